namespace MeshConf.Terminal.Screen;

/// <summary>
/// What the screen should show, cell by cell. The compositor draws into one, the writer sends the difference
/// from the previous one. Writes outside the buffer are clipped, never thrown.
/// </summary>
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
                _cells[(row * Cols) + col] = value;
            }
        }
    }

    public void Clear() => Array.Fill(_cells, ScreenCell.Blank);

    /// <summary>Writes text from (col, row) rightwards, clipped at the edge; control characters become spaces.</summary>
    public void Write(int col, int row, string text, CellStyle style)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length && col + i < Cols; i++)
        {
            var c = text[i];
            this[col + i, row] = new ScreenCell(char.IsControl(c) || char.IsSurrogate(c) ? ' ' : c, style);
        }
    }

    /// <summary>Fills a rectangle (clipped) with one cell.</summary>
    public void Fill(int col, int row, int width, int height, ScreenCell cell)
    {
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
}
