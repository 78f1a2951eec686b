namespace MeshConf.Terminal.Screen;

/// <summary>
/// The characters of the block render modes: quadrants (U+2596..U+259F with <c>▀ ▄ ▌ ▐ █</c> and the space) and
/// sextants (U+1FB00..U+1FB3B, Symbols for Legacy Computing, with the space, <c>▌ ▐ █</c> for the three patterns
/// that range leaves out). Patterns as <see cref="Core.Video.CellMode"/> documents them: bit 0 top left, then
/// row-major.
/// </summary>
/// <remarks>
/// A <see cref="ScreenCell"/> holds one UTF-16 unit, and the sextants lie past U+FFFF. They are kept in the cell
/// as stand-ins from the private use area, <see cref="SextantStandIn"/> + their offset in the range, and
/// <see cref="ToScalar"/> gives the real character where bytes leave (<see cref="AnsiScreenWriter"/>). A private
/// use character arriving in text (a peer's chat) thus shows as a sextant: a shape, never a control.
/// </remarks>
internal static class BlockGlyphs
{
    /// <summary>The first sextant, U+1FB00 BLOCK SEXTANT-1 (pattern 1).</summary>
    public const int FirstSextant = 0x1FB00;

    /// <summary>The stand-in of <see cref="FirstSextant"/>; the 60 sextants follow it.</summary>
    public const char SextantStandIn = '\uEB00';

    /// <summary>How many sextant characters the range has: 64 patterns less empty, full, left and right half.</summary>
    public const int SextantCount = 60;

    private const int LeftColumn = 0b010101;
    private const int RightColumn = 0b101010;

    // Quadrant pattern (bit 0 top left, 1 top right, 2 bottom left, 3 bottom right) -> character.
    private static readonly char[] s_quadrants =
    [
        ' ', '\u2598', '\u259D', '\u2580', '\u2596', '\u258C', '\u259E', '\u259B',
        '\u2597', '\u259A', '\u2590', '\u259C', '\u2584', '\u2599', '\u259F', '\u2588',
    ];

    /// <summary>The character of a quadrant pattern (0..15; higher bits ignored).</summary>
    public static char Quadrant(int pattern) => s_quadrants[pattern & 0xF];

    /// <summary>
    /// The cell character of a sextant pattern (0..63; higher bits ignored): the space, the half and full blocks,
    /// else the stand-in of U+1FB00 + the pattern's place in the range (which skips the half blocks).
    /// </summary>
    public static char Sextant(int pattern)
    {
        pattern &= 0x3F;
        return pattern switch
        {
            0 => ' ',
            LeftColumn => '\u258C',
            RightColumn => '\u2590',
            0x3F => '\u2588',
            _ => (char)(SextantStandIn + pattern - 1 - (pattern > LeftColumn ? 1 : 0) - (pattern > RightColumn ? 1 : 0)),
        };
    }

    /// <summary>The Unicode scalar a cell character stands for: a sextant stand-in's sextant, else itself.</summary>
    public static int ToScalar(char glyph) =>
        glyph >= SextantStandIn && glyph < SextantStandIn + SextantCount ? FirstSextant + (glyph - SextantStandIn) : glyph;
}
