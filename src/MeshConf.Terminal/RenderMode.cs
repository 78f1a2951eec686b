namespace MeshConf.Terminal;

/// <summary>How pictures are drawn with characters (`--render`), apart from how many colours they use.</summary>
public enum RenderMode
{
    /// <summary>Chosen from the terminal: half blocks for now (<see cref="TerminalCapabilities.ChooseRender"/>).</summary>
    Auto = 0,

    /// <summary><c>▀</c> in two colours: 1 x 2 pixels a cell.</summary>
    HalfBlock = 1,

    /// <summary>Quadrant blocks in two colours: 2 x 2 pixels a cell. Needs a UTF-8 locale.</summary>
    Quadrant = 2,

    /// <summary>Sextants (Unicode 13, Symbols for Legacy Computing) in two colours: 2 x 3 pixels a cell.</summary>
    Sextant = 3,

    /// <summary>One ASCII glyph a cell, chosen by shape, in one colour on the terminal's background.</summary>
    Glyph = 4,
}
