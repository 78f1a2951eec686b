namespace MeshConf.Terminal.Screen;

/// <summary>
/// What the screen should show, cell by cell. The compositor draws into one, the writer sends the difference
/// from the previous one. Writes outside the buffer are clipped, never thrown.
/// </summary>
/// <remarks>
/// Text is inert here whatever the caller did: every way a glyph gets in (the indexer, <see cref="Write"/>,
/// <see cref="Fill"/>) turns a control character (C0, DEL, C1: ESC and the 8-bit CSI U+009B among them) or a
/// lone UTF-16 surrogate into <see cref="Replacement"/>, so a peer's name or chat line cannot start an escape
/// sequence in the terminal. <see cref="AnsiScreenWriter"/> checks again as it emits each cell.
/// </remarks>
public sealed class ScreenBuffer
{
    private readonly ScreenCell[] _cells;

    public ScreenBuffer(int cols, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        Cols = cols;
        Rows = rows;
        _cells = new ScreenCell[cols * rows];
        Clear();
    }

    public int Cols { get; }

    public int Rows { get; }

    public ScreenCell this[int col, int row]
    {
        get => _cells[(row * Cols) + col];
        set
        {
            if ((uint)col < (uint)Cols && (uint)row < (uint)Rows)
            {
                _cells[(row * Cols) + col] = value with { Glyph = Inert(value.Glyph) };
            }
        }
    }

    /// <summary>What a glyph that cannot be shown as itself in one cell becomes.</summary>
    public const char Replacement = '?';

    public void Clear() => Array.Fill(_cells, ScreenCell.Blank);

    /// <summary>
    /// Writes text from (col, row) rightwards, one cell per UTF-16 unit, clipped at the edge; control
    /// characters and surrogates become <see cref="Replacement"/>.
    /// </summary>
    public void Write(int col, int row, string text, CellStyle style)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length && col + i < Cols; i++)
        {
            this[col + i, row] = new ScreenCell(text[i], style);
        }
    }

    /// <summary>Fills a rectangle (clipped) with one cell.</summary>
    public void Fill(int col, int row, int width, int height, ScreenCell cell)
    {
        cell = cell with { Glyph = Inert(cell.Glyph) };
        for (var r = Math.Max(0, row); r < Math.Min(Rows, row + height); r++)
        {
            for (var c = Math.Max(0, col); c < Math.Min(Cols, col + width); c++)
            {
                _cells[(r * Cols) + c] = cell;
            }
        }
    }

    public void CopyTo(ScreenBuffer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Cols != Cols || other.Rows != Rows)
        {
            throw new ArgumentException("buffers differ in size", nameof(other));
        }

        _cells.CopyTo(other._cells, 0);
    }

    internal ReadOnlySpan<ScreenCell> Row(int row) => _cells.AsSpan(row * Cols, Cols);

    /// <summary>The glyph itself, or <see cref="Replacement"/> for a control character or a lone surrogate.</summary>
    internal static char Inert(char glyph) => char.IsControl(glyph) || char.IsSurrogate(glyph) ? Replacement : glyph;
}
