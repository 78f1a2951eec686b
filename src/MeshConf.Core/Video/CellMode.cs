namespace MeshConf.Core.Video;

/// <summary>
/// How a <see cref="CellGrid"/> draws a picture with terminal characters. The core knows nothing about terminals;
/// the compositor maps these to escape sequences.
/// </summary>
public enum CellMode : byte
{
    /// <summary>One glyph per cell from a brightness ramp, no colour: one pixel per cell.</summary>
    Mono = 0,

    /// <summary>The half block <c>▀</c>: 24-bit foreground for the top pixel, background for the bottom one.</summary>
    TrueColor = 1,

    /// <summary>As <see cref="TrueColor"/>, both colours quantized to the xterm 256-colour palette (16..255).</summary>
    Ansi256 = 2,

    /// <summary>As <see cref="TrueColor"/>, both colours quantized to the 16 standard ANSI colours.</summary>
    Ansi16 = 3,
}
