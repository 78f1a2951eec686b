namespace MeshConf.Terminal.Screen;

/// <summary>Text attributes of a cell, beyond its colours.</summary>
[Flags]
public enum CellAttributes : byte
{
    None = 0,
    Bold = 1,
    Dim = 2,
    Reverse = 4,
}

/// <summary>Everything SGR sets for a cell: foreground, background and attributes.</summary>
public readonly record struct CellStyle(TermColor Foreground, TermColor Background, CellAttributes Attributes = CellAttributes.None)
{
    public static CellStyle Plain => default;
}
