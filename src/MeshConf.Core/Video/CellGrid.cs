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
///   <item><term><see cref="CellMode.GlyphColor"/></term><description><c>index &lt;&lt; 24 | 0xRRGGBB</c>: the
///     glyph's index in <see cref="FrameConverter.MonoRamp"/> and its colour on black / always 0.</description></item>
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

    /// <summary>The character to print in a cell of the mono, half-block and coloured-glyph modes (the compositor draws quadrants and sextants).</summary>
    public char GlyphAt(int col, int row) => Mode switch
    {
        CellMode.Mono => (char)_foreground[IndexOf(col, row)],
        CellMode.GlyphColor => FrameConverter.ColorGlyphOf(_foreground[IndexOf(col, row)]),
        _ => HalfBlock,
    };

    public uint ForegroundAt(int col, int row) => _foreground[IndexOf(col, row)];

    public uint BackgroundAt(int col, int row) => _background[IndexOf(col, row)];

    /// <summary>The blank picture: spaces in mono (and coloured glyphs: index 0, black), black (colour or index 0 / 16) otherwise.</summary>
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
    /// (unlike <see cref="object.GetHashCode"/>), so two peers can compare what they converted and decoded. For
    /// checks and tests, not for security.
    /// </summary>
    /// <remarks>
    /// Each cell is one 64-bit word, <c>Foreground | Background &lt;&lt; 32</c>. Cells go round four lanes in turn
    /// (cell i to lane i mod 4), each lane taking its word in the round of XXH64 (Yann Collet's xxHash, its
    /// published constants): <c>lane = rotl(lane + word · P2, 31) · P1</c>. The lanes start from the size and mode,
    /// are folded into one as XXH64 folds them, and the result is mixed by XXH64's avalanche. Four independent
    /// lanes keep a core's multipliers busy: an 80 x 40 grid hashes in a few microseconds, where a byte-wise FNV
    /// took tens (the hash is made by the encoder and checked by the decoder on every frame).
    /// </remarks>
    public ulong ContentHash()
    {
        var seed = (ulong)(uint)Cols | ((ulong)(uint)Rows << 32);
        ulong lane0 = seed + P1 + P2, lane1 = seed + P2, lane2 = seed + (byte)Mode, lane3 = seed - P1;
        var foreground = _foreground;
        var background = _background;
        var i = 0;
        for (; i + 4 <= foreground.Length; i += 4)
        {
            lane0 = Round(lane0, foreground[i] | ((ulong)background[i] << 32));
            lane1 = Round(lane1, foreground[i + 1] | ((ulong)background[i + 1] << 32));
            lane2 = Round(lane2, foreground[i + 2] | ((ulong)background[i + 2] << 32));
            lane3 = Round(lane3, foreground[i + 3] | ((ulong)background[i + 3] << 32));
        }

        var hash = ulong.RotateLeft(lane0, 1) + ulong.RotateLeft(lane1, 7) + ulong.RotateLeft(lane2, 12) + ulong.RotateLeft(lane3, 18);
        hash = Merge(Merge(Merge(Merge(hash, lane0), lane1), lane2), lane3);
        hash += (ulong)foreground.Length;
        for (; i < foreground.Length; i++)
        {
            hash ^= Round(0, foreground[i] | ((ulong)background[i] << 32));
            hash = (ulong.RotateLeft(hash, 27) * P1) + P4;
        }

        hash ^= hash >> 33;
        hash *= P2;
        hash ^= hash >> 29;
        hash *= P3;
        return hash ^ (hash >> 32);
    }

    private const ulong P1 = 11400714785074694791UL;
    private const ulong P2 = 14029467366897019727UL;
    private const ulong P3 = 1609587929392839161UL;
    private const ulong P4 = 9650029242287828579UL;

    private static ulong Round(ulong lane, ulong word) => ulong.RotateLeft(lane + (word * P2), 31) * P1;

    private static ulong Merge(ulong hash, ulong lane) => ((hash ^ Round(0, lane)) * P1) + P4;

    private int IndexOf(int col, int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)col, (uint)Cols, nameof(col));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        return row * Cols + col;
    }
}
