namespace MeshConf.Core.Video;

/// <summary>
/// One mono stream's contrast window (the luma that maps to black and the luma that maps to the densest glyph),
/// smoothed over frames so that the picture does not flicker when a bright or dark object crosses it: each frame's
/// robust percentiles pull the window <see cref="SmoothingShift"/> of the way towards them (an exponential moving
/// average with weight 1/4, about four frames' memory), and a jump larger than <see cref="CutDistance"/> at
/// either end (a scene cut, a light switched on) is taken at once. Whole numbers in 1/256 of a luma step, so a
/// stream's pictures are the same on every machine.
/// </summary>
/// <remarks>
/// Owned by one stream: <see cref="FrameConverter.Convert"/> reads and updates it for each of the stream's frames.
/// Not thread-safe. <see cref="Reset"/> forgets the history (a new camera, a new tile).
/// </remarks>
internal sealed class MonoToneTracker
{
    /// <summary>The window moves by (target − window) >> SmoothingShift per frame.</summary>
    public const int SmoothingShift = 2;

    /// <summary>A change of either end by more than this many luma steps is followed at once.</summary>
    public const int CutDistance = 64;

    private const int Fraction = 8;

    private int _low;
    private int _high;

    /// <summary>False until the first frame, and after <see cref="Reset"/>.</summary>
    public bool HasWindow { get; private set; }

    /// <summary>The luma (0..255) that maps to the blank glyph.</summary>
    public int Low => (_low + (1 << (Fraction - 1))) >> Fraction;

    /// <summary>The luma (0..255) that maps to the densest glyph; at least <see cref="FrameConverter.MinContrastSpan"/> above <see cref="Low"/>.</summary>
    public int High => (_high + (1 << (Fraction - 1))) >> Fraction;

    /// <summary>Forgets the window: the next frame sets it directly.</summary>
    public void Reset() => HasWindow = false;

    /// <summary>
    /// Moves the window towards one frame's window (<paramref name="low"/>, <paramref name="high"/>, already at
    /// least <see cref="FrameConverter.MinContrastSpan"/> apart and inside 0..255) and returns the window to use.
    /// </summary>
    public (int Low, int High) Update(int low, int high)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(high - low, FrameConverter.MinContrastSpan, nameof(high));
        var (targetLow, targetHigh) = (low << Fraction, high << Fraction);
        if (!HasWindow || Math.Abs(targetLow - _low) > CutDistance << Fraction || Math.Abs(targetHigh - _high) > CutDistance << Fraction)
        {
            (_low, _high) = (targetLow, targetHigh);
            HasWindow = true;
        }
        else
        {
            // Arithmetic shifts of the differences: a window within 1/256 of a step of its target rests there,
            // and both ends move by averaging two windows at least MinContrastSpan wide, so the span stays so.
            _low += (targetLow - _low) >> SmoothingShift;
            _high += (targetHigh - _high) >> SmoothingShift;
        }

        var (l, h) = (Low, High);
        if (h - l < FrameConverter.MinContrastSpan)
        {
            // Rounding of the two ends can lose a step.
            h = Math.Min(255, l + FrameConverter.MinContrastSpan);
            l = h - FrameConverter.MinContrastSpan;
        }

        return (l, h);
    }
}
