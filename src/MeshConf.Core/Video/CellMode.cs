namespace MeshConf.Core.Video;

/// <summary>
/// How a <see cref="CellGrid"/> draws a picture with terminal characters. The core knows nothing about terminals;
/// the compositor maps these to escape sequences.
/// </summary>
public enum CellMode : byte
{
    /// <summary>
    /// One glyph per cell, white on the terminal's black, chosen by the shape and brightness of 4 x 4 samples of
    /// the cell from <see cref="FrameConverter.MonoRamp"/>. Foreground = the glyph's UTF-16 code.
    /// </summary>
    Mono = 0,

    /// <summary>The half block <c>▀</c>: 24-bit foreground for the top pixel, background for the bottom one.</summary>
    TrueColor = 1,

    /// <summary>As <see cref="TrueColor"/>, both colours quantized to the xterm 256-colour palette (16..255).</summary>
    Ansi256 = 2,

    /// <summary>As <see cref="TrueColor"/>, both colours quantized to the 16 standard ANSI colours.</summary>
    Ansi16 = 3,

    /// <summary>
    /// Quadrant blocks (U+2596..U+259F with <c>▀ ▄ ▌ ▐ █</c> and the space): each cell is 2 x 2 pixels in two 24-bit
    /// colours. Foreground = <c>pattern &lt;&lt; 24 | 0xRRGGBB</c>, where the 4-bit pattern says which pixels take
    /// the foreground (bit 0 top left, 1 top right, 2 bottom left, 3 bottom right); background = <c>0x00RRGGBB</c>.
    /// </summary>
    Quadrant = 4,

    /// <summary>
    /// Sextants (U+1FB00..U+1FB3B, Symbols for Legacy Computing, with the half and full blocks): each cell is 2 x 3
    /// pixels in two 24-bit colours. Foreground = <c>pattern &lt;&lt; 24 | 0xRRGGBB</c> with a 6-bit pattern, bits
    /// row-major (bit 0 top left, 1 top right, 2 middle left, ... 5 bottom right); background as <see cref="Quadrant"/>.
    /// </summary>
    Sextant = 5,

    /// <summary>
    /// Coloured glyphs: one glyph per cell chosen by its shape and coverage, drawn in a 24-bit foreground colour on
    /// the terminal's black. Foreground = <c>glyph index &lt;&lt; 24 | 0xRRGGBB</c>, the index into
    /// <see cref="FrameConverter.MonoRamp"/>; background always 0.
    /// </summary>
    GlyphColor = 6,
}
