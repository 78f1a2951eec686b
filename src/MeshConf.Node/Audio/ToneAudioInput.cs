using System.Globalization;

namespace MeshConf.Node.Audio;

/// <summary>
/// `--audio tone`: a sine at a fixed level, or two sines taking turns (each <see cref="Segment"/> long) so that
/// listeners can tell peers apart by ear. The phase runs on across a change of pitch, so there is no click.
/// Frames are paced by the clock.
/// </summary>
internal sealed class ToneAudioInput : IAudioInput
{
    /// <summary>The default pitch: A4.</summary>
    public const double DefaultFrequency = 440;

    /// <summary>The default peak level: -12 dBFS (an RMS of about -15 dBFS).</summary>
    public const double DefaultLevelDbfs = -12;

    private readonly FramePacer _pacer;
    private readonly double _amplitude;
    private readonly long _segmentSamples;
    private readonly double _step;
    private readonly double _alternateStep;
    private double _phase;
    private long _sample;

    /// <param name="frameSamples">480, 960 or 1920.</param>
    /// <param name="time">The clock that paces the frames.</param>
    /// <param name="frequency">Hz.</param>
    /// <param name="levelDbfs">Peak level in dB below full scale (0 or less).</param>
    /// <param name="alternateFrequency">A second pitch taking turns with the first, or null for a steady tone.</param>
    /// <param name="segment">How long each pitch lasts when there are two (default half a second).</param>
    public ToneAudioInput(int frameSamples, TimeProvider time, double frequency = DefaultFrequency, double levelDbfs = DefaultLevelDbfs, double? alternateFrequency = null, TimeSpan? segment = null)
    {
        AudioFormat.CheckFrameSize(frameSamples);
        CheckFrequency(frequency);
        if (alternateFrequency is { } alternate)
        {
            CheckFrequency(alternate);
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(levelDbfs, 0);
        Segment = segment ?? TimeSpan.FromMilliseconds(500);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Segment, TimeSpan.Zero);
        _pacer = new FramePacer(time, frameSamples);
        _amplitude = Math.Pow(10, levelDbfs / 20);
        _segmentSamples = Math.Max(1, (long)(Segment.TotalSeconds * AudioFormat.SampleRate));
        _step = 2 * Math.PI * frequency / AudioFormat.SampleRate;
        _alternateStep = alternateFrequency is { } second ? 2 * Math.PI * second / AudioFormat.SampleRate : 0;
        FrameSamples = frameSamples;
        Frequency = frequency;
        AlternateFrequency = alternateFrequency;
        LevelDbfs = levelDbfs;
        Description = alternateFrequency is null
            ? string.Create(CultureInfo.InvariantCulture, $"tone {frequency:0.#} Hz")
            : string.Create(CultureInfo.InvariantCulture, $"tone {frequency:0.#}/{alternateFrequency:0.#} Hz");
    }

    public int FrameSamples { get; }

    public bool IsDevice => false;

    public string Description { get; }

    public long Errors => 0;

    public string? Problem => null;

    public double Frequency { get; }

    public double? AlternateFrequency { get; }

    public double LevelDbfs { get; }

    /// <summary>How long each pitch lasts when there are two.</summary>
    public TimeSpan Segment { get; }

    public bool Read(Span<float> frame)
    {
        if (frame.Length < FrameSamples)
        {
            throw new ArgumentException($"a frame is {FrameSamples} samples; got {frame.Length}", nameof(frame));
        }

        if (!_pacer.WaitNext())
        {
            return false;
        }

        for (var i = 0; i < FrameSamples; i++)
        {
            var second = _alternateStep > 0 && (_sample / _segmentSamples) % 2 == 1;
            frame[i] = (float)(_amplitude * Math.Sin(_phase));
            _phase += second ? _alternateStep : _step;
            if (_phase >= 2 * Math.PI)
            {
                _phase -= 2 * Math.PI;
            }

            _sample++;
        }

        return true;
    }

    public void Dispose() => _pacer.Dispose();

    private static void CheckFrequency(double hz)
    {
        if (hz is < 20 or > 20000 || double.IsNaN(hz))
        {
            throw new ArgumentOutOfRangeException(nameof(hz), hz, "a tone is 20 to 20000 Hz");
        }
    }
}
