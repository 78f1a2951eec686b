namespace MeshConf.Core.Video;

/// <summary>
/// A picture in terminal cells: <see cref="Cols"/> x <see cref="Rows"/> cells in one <see cref="CellMode"/>,
/// row-major (cell <c>row * Cols + col</c>). Storage is allocated once by the constructor and overwritten by
/// every conversion, so a grid is reused frame after frame; allocate a new grid when the size or mode changes.
/// </summary>
/// <remarks>
/// Each cell is two 32-bit words, kept in two parallel arrays so that a delta codec compares or copies a cell as a
/// pair of integers and a whole row as two spans:
/// <list type="table">
///   <listheader><term>Mode</term><description><see cref="Foreground"/> / <see cref="Background"/></description></listheader>
///   <item><term><see cref="CellMode.Mono"/></term><description>the glyph's UTF-16 code (one of
///     <see cref="FrameConverter.MonoRamp"/>) / always 0.</description></item>
///   <item><term><see cref="CellMode.TrueColor"/></term><description>top pixel / bottom pixel as <c>0x00RRGGBB</c>;
///     the glyph is <see cref="HalfBlock"/>.</description></item>
///   <item><term><see cref="CellMode.Ansi256"/></term><description>top / bottom xterm palette index, 16..255.</description></item>
///   <item><term><see cref="CellMode.Ansi16"/></term><description>top / bottom ANSI colour index, 0..15.</description></item>
///   <item><term><see cref="CellMode.Quadrant"/>, <see cref="CellMode.Sextant"/></term><description>pattern &lt;&lt; 24 |
///     foreground colour / background colour, as <see cref="CellMode"/> documents them.</description></item>
/// </list>
/// Not thread-safe: one converter writes it, then readers read it, in turn.
/// </remarks>
internal sealed class CellGrid
{
    /// <summary>U+2580 UPPER HALF BLOCK: foreground paints the top half of the cell, background the bottom.</summary>
    public const char HalfBlock = '\u2580';

    /// <summary>More cells than any terminal shows (a 4K screen of 1-pixel cells is ~8M); keeps sizes in int.</summary>
    public const int MaxCells = 1 << 24;

    // Owned by the grid for its whole life; FrameConverter writes them through the internal spans below.
    private readonly uint[] _foreground;
    private readonly uint[] _background;

    /// <param name="cols">Cells per row, at least 1.</param>
    /// <param name="rows">Rows of cells, at least 1.</param>
    /// <param name="mode">What the cells hold.</param>
    public CellGrid(int cols, int rows, CellMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)cols * rows, MaxCells, nameof(rows));
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown cell mode.");
        }

        Cols = cols;
        Rows = rows;
        Mode = mode;
        _foreground = new uint[cols * rows];
        _background = new uint[cols * rows];
        Clear();
    }

    public int Cols { get; }

    public int Rows { get; }

    public CellMode Mode { get; }

    /// <summary>Cols * Rows.</summary>
    public int Count => _foreground.Length;

    /// <summary>True for the half-block modes, which carry two pixels per cell (top and bottom).</summary>
    public bool IsHalfBlock => Mode is CellMode.TrueColor or CellMode.Ansi256 or CellMode.Ansi16;

    /// <summary>Per cell, row-major: the glyph (mono) or the top pixel's colour; see the type's remarks.</summary>
    public ReadOnlySpan<uint> Foreground => _foreground;

    /// <summary>Per cell, row-major: 0 (mono) or the bottom pixel's colour; see the type's remarks.</summary>
    public ReadOnlySpan<uint> Background => _background;

    internal Span<uint> ForegroundStorage => _foreground;

    internal Span<uint> BackgroundStorage => _background;

    /// <summary>The character to print in a cell of the mono and half-block modes (the compositor draws the others).</summary>
    public char GlyphAt(int col, int row) => Mode == CellMode.Mono ? (char)_foreground[IndexOf(col, row)] : HalfBlock;

    public uint ForegroundAt(int col, int row) => _foreground[IndexOf(col, row)];

    public uint BackgroundAt(int col, int row) => _background[IndexOf(col, row)];

    /// <summary>The blank picture: spaces in mono, black (colour or index 0 / 16) otherwise.</summary>
    public void Clear()
    {
        _foreground.AsSpan().Fill(Mode switch
        {
            CellMode.Mono => FrameConverter.MonoRamp[0],
            CellMode.Ansi256 => ColorQuantizer.Xterm256Black,
            _ => 0u,
        });
        _background.AsSpan().Fill(Mode == CellMode.Ansi256 ? ColorQuantizer.Xterm256Black : 0u);
    }

    /// <summary>Copies every cell into <paramref name="other"/>, which must have the same size and mode.</summary>
    public void CopyTo(CellGrid other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Cols != Cols || other.Rows != Rows || other.Mode != Mode)
        {
            throw new ArgumentException($"A {other.Cols}x{other.Rows} {other.Mode} grid cannot hold a {Cols}x{Rows} {Mode} one.", nameof(other));
        }

        _foreground.CopyTo(other._foreground, 0);
        _background.CopyTo(other._background, 0);
    }

    /// <summary>Same size, same mode and the same value in every cell.</summary>
    public bool ContentEquals(CellGrid? other) =>
        other is not null
        && other.Cols == Cols && other.Rows == Rows && other.Mode == Mode
        && Foreground.SequenceEqual(other.Foreground)
        && Background.SequenceEqual(other.Background);

    /// <summary>
    /// A hash of the size, mode and cells that is the same in every process, on every machine and runtime
    /// (unlike <see cref="object.GetHashCode"/>), so two peers can compare what they converted and decoded:
    /// 64-bit FNV-1a over the little-endian bytes of Cols, Rows, Mode (one byte), then per cell Foreground and
    /// Background. For checks and tests, not for security.
    /// </summary>
    public ulong ContentHash()
    {
        var hash = FnvOffsetBasis;
        hash = Fnv(hash, (uint)Cols);
        hash = Fnv(hash, (uint)Rows);
        hash = (hash ^ (byte)Mode) * FnvPrime;
        for (var i = 0; i < _foreground.Length; i++)
        {
            hash = Fnv(hash, _foreground[i]);
            hash = Fnv(hash, _background[i]);
        }

        return hash;
    }

    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    // The word's four bytes, least significant first, as the type's doc says.
    private static ulong Fnv(ulong hash, uint word)
    {
        hash = (hash ^ (word & 0xFF)) * FnvPrime;
        hash = (hash ^ ((word >> 8) & 0xFF)) * FnvPrime;
        hash = (hash ^ ((word >> 16) & 0xFF)) * FnvPrime;
        return (hash ^ (word >> 24)) * FnvPrime;
    }

    private int IndexOf(int col, int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)col, (uint)Cols, nameof(col));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        return row * Cols + col;
    }
}
