namespace MeshConf.Terminal.Screen;

/// <summary>One character cell: a glyph (one UTF-16 unit, single width) and its style.</summary>
public readonly record struct ScreenCell(char Glyph, CellStyle Style)
{
    public static ScreenCell Blank => new(' ', CellStyle.Plain);
}
