namespace MeshConf.Core.Video;

/// <summary>How a <see cref="VideoFrameEncoder"/> trades bits for picture.</summary>
/// <param name="TargetKbps">The stream's bitrate target, kbit/s; 0 picks <see cref="DefaultKbps"/> for the grid.</param>
/// <param name="Fps">The capture rate, for a frame's share of the rate.</param>
/// <param name="Threshold">
/// The smallest change (ΔE-like units, <see cref="PerceptualDistance"/>) worth sending while the rate allows.
/// </param>
/// <param name="Denoise">Filter sensor noise over time before deciding what changed (<see cref="TemporalDenoiser"/>).</param>
/// <param name="RangeCoding">Range-code the body (<see cref="CellEntropyCoder"/>) rather than Brotli it.</param>
/// <param name="Motion">Follow the whole picture's motion (<see cref="GlobalMotion"/>; truecolor).</param>
internal sealed record VideoEncoderSettings(int TargetKbps = 0, int Fps = 15, double Threshold = VideoEncoderSettings.DefaultThreshold, bool Denoise = true, bool Motion = true, bool RangeCoding = true)
{
    /// <summary>
    /// The default threshold: 2.5 ΔE-like units, just past a just-noticeable difference (about 2.3 ΔE*ab) on a
    /// single cell; the corpus tests measure what it gives against the exact stream.
    /// </summary>
    public const double DefaultThreshold = 2.5;

    /// <summary>The coarsest threshold rate control may go to: a crowded link still gets a recognisable picture.</summary>
    public const double MaxThreshold = 24;

    /// <summary>Cells of the 80 x 40 tile the defaults were measured on.</summary>
    public const int ReferenceCells = 80 * 40;

    /// <summary>
    /// The default target for a grid: per mode, about what a hand-held camera clip (a portrait with shake and sensor
    /// noise, the corpus's portrait-shake) needs at 80 x 40 and 15 fps with nothing held back (truecolor 400, 256
    /// colours 150, 16 colours 100, mono 60 kbit/s; quadrants 600 and sextants 800, measured at about 520 and 600;
    /// coloured glyphs 300, one colour a cell, not yet measured), scaled by the grid's cells (a full-screen tile carries more),
    /// never below a quarter of it. A steady camera needs a small part of it (a still scene with sensor noise about
    /// 20 kbit/s in truecolor): the target only binds while much of the picture moves.
    /// </summary>
    public static int DefaultKbps(CellMode mode, int cells)
    {
        var reference = mode switch
        {
            CellMode.TrueColor => 400,
            CellMode.Ansi256 => 150,
            CellMode.Ansi16 => 100,
            CellMode.Quadrant => 600,
            CellMode.Sextant => 800,
            CellMode.GlyphColor => 300,
            _ => 60,
        };

        return (int)Math.Round(reference * Math.Max(0.25, (double)cells / ReferenceCells));
    }
}
