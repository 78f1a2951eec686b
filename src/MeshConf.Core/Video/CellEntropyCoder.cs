namespace MeshConf.Core.Video;

/// <summary>
/// The range-coded body of a frame (<see cref="RangeEncoder"/>), for one stream's size and mode: per cell in order, one
/// bit for "changed", in the context of whether its left, upper and upper-right neighbours changed (changes come in
/// patches); then a changed cell's bytes as <see cref="VideoFrameCodec.WriteCell"/> lays them out. A shape or palette
/// byte travels as a binary tree of its bits; a colour residual (-32..31 levels) as "zero?", its sign and its size in
/// unary, each in the context of the same residual's size in the cell to the left and the cell above when they
/// changed too (a smooth patch has small residuals throughout, an edge large ones). Every model starts at one half on
/// each frame, so a frame decodes on its own given its base. On the corpus's hand-held portrait the body is about a
/// fifth smaller than the same cells through Brotli. Allocates nothing after construction; not thread-safe.
/// </summary>
internal sealed class CellEntropyCoder
{
    // Residual sizes past this travel as 5 plain bits after the unary part.
    private const int UnaryLimit = 12;
    private const int EscapeBits = 5;

    // Neighbour contexts for a residual: none changed, or the mean size of those that did, bucketed.
    private const int SizeContexts = 6;
    private const byte NotSent = 255;

    private readonly CellMode _mode;
    private readonly int _cols;
    private readonly int _cells;
    private readonly int _cellBytes;
    private readonly int _symbolBytes;
    private readonly int _symbolBits;
    private readonly int _residualBytes;

    private readonly ushort[] _changed = new ushort[8];
    private readonly ushort[] _symbols;
    private readonly ushort[] _zero;
    private readonly ushort[] _sign;
    private readonly ushort[] _unary;
    private readonly byte[] _sizes;
    private readonly byte[] _changedCells;
    private readonly byte[] _cell = new byte[8];

    public CellEntropyCoder(int cols, int rows, CellMode mode)
    {
        _mode = mode;
        _cols = cols;
        _cells = cols * rows;
        _cellBytes = VideoFrameCodec.BytesPerCell(mode);
        _symbolBytes = mode switch
        {
            CellMode.TrueColor => 0,
            CellMode.Ansi256 => 2,
            _ => 1,
        };
        _symbolBits = mode switch
        {
            CellMode.Quadrant => 4,
            CellMode.Ansi256 or CellMode.Ansi16 => 8,
            _ => 6, // sextant patterns, mono glyphs and coloured glyphs: fewer than 64
        };
        _residualBytes = _cellBytes - _symbolBytes;
        _symbols = new ushort[Math.Max(1, _symbolBytes) << _symbolBits];
        _zero = new ushort[Math.Max(1, _residualBytes) * SizeContexts];
        _sign = new ushort[Math.Max(1, _residualBytes) * SizeContexts];
        _unary = new ushort[Math.Max(1, _residualBytes) * SizeContexts * UnaryLimit];
        _sizes = new byte[Math.Max(1, _residualBytes) * _cells];
        _changedCells = new byte[_cells];
    }

    /// <summary>Whether this coder is for grids of this size and mode.</summary>
    public bool Fits(int cols, int rows, CellMode mode) => cols == _cols && cols * rows == _cells && mode == _mode;

    /// <summary>
    /// Codes the cells of <paramref name="picture"/> (final) whose <paramref name="distance"/> reaches
    /// <paramref name="cut"/>, predicted as <see cref="VideoFrameCodec.WriteCell"/> does from
    /// <paramref name="basePicture"/> when <paramref name="temporal"/>; returns the length, or -1 when it did not fit.
    /// </summary>
    public int Encode(CellGrid picture, CellGrid basePicture, ReadOnlySpan<byte> distance, int cut, bool temporal, Span<byte> destination)
    {
        Reset();
        var encoder = new RangeEncoder(destination);
        var foreground = picture.Foreground;
        var background = picture.Background;
        var baseForeground = basePicture.Foreground;
        var baseBackground = basePicture.Background;
        var cell = _cell.AsSpan();
        for (var i = 0; i < _cells; i++)
        {
            var changed = distance[i] >= cut;
            encoder.Encode(ref _changed[ChangedContext(i)], changed ? 1 : 0);
            if (!changed)
            {
                continue;
            }

            _changedCells[i] = 1;

            VideoFrameCodec.WriteCell(_mode, foreground, background, i, _cols, temporal, baseForeground[i], baseBackground[i], cell);
            for (var k = 0; k < _symbolBytes; k++)
            {
                EncodeSymbol(ref encoder, k, cell[k]);
            }

            for (var r = 0; r < _residualBytes; r++)
            {
                EncodeResidual(ref encoder, r, i, cell[_symbolBytes + r]);
            }
        }

        var length = encoder.Finish();
        return encoder.Overflowed ? -1 : length;
    }

    /// <summary>
    /// Rebuilds the changed cells into <paramref name="grid"/>, which holds the (moved) base picture; false when the
    /// bytes cannot be such a body (a cell no sender writes, input cut short).
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> source, CellGrid grid, bool temporal)
    {
        Reset();
        var decoder = new RangeDecoder(source);
        var foreground = grid.ForegroundStorage;
        var background = grid.BackgroundStorage;
        var cell = _cell.AsSpan();
        for (var i = 0; i < _cells; i++)
        {
            if (decoder.Decode(ref _changed[ChangedContext(i)]) == 0)
            {
                continue;
            }

            _changedCells[i] = 1;
            for (var k = 0; k < _symbolBytes; k++)
            {
                cell[k] = (byte)DecodeSymbol(ref decoder, k);
            }

            for (var r = 0; r < _residualBytes; r++)
            {
                cell[_symbolBytes + r] = DecodeResidual(ref decoder, r, i);
            }

            if (!VideoFrameCodec.TryReadCell(_mode, cell, foreground, background, i, _cols, temporal))
            {
                return false;
            }

            // A forged body could run on past its bytes as zeros: more than the flush's worth is not ours.
            if (decoder.Overrun > 4)
            {
                return false;
            }
        }

        return decoder.Overrun <= 4;
    }

    private void Reset()
    {
        _changed.AsSpan().Fill(RangeEncoder.Half);
        _symbols.AsSpan().Fill(RangeEncoder.Half);
        _zero.AsSpan().Fill(RangeEncoder.Half);
        _sign.AsSpan().Fill(RangeEncoder.Half);
        _unary.AsSpan().Fill(RangeEncoder.Half);
        _sizes.AsSpan().Fill(NotSent);
        _changedCells.AsSpan().Clear();
    }

    // Which of the cell's left, upper and upper-right neighbours changed: only cells before `i`, as both ends know them.
    private int ChangedContext(int i)
    {
        var column = i % _cols;
        var changed = _changedCells;
        var left = column > 0 ? changed[i - 1] : 0;
        var up = i >= _cols ? changed[i - _cols] << 1 : 0;
        var upRight = i >= _cols && column + 1 < _cols ? changed[i - _cols + 1] << 2 : 0;
        return left | up | upRight;
    }

    private void EncodeSymbol(ref RangeEncoder encoder, int slot, int value)
    {
        var tree = _symbols.AsSpan(slot << _symbolBits, 1 << _symbolBits);
        var node = 1;
        for (var b = _symbolBits - 1; b >= 0; b--)
        {
            var bit = (value >> b) & 1;
            encoder.Encode(ref tree[node], bit);
            node = (node << 1) | bit;
        }
    }

    private int DecodeSymbol(ref RangeDecoder decoder, int slot)
    {
        var tree = _symbols.AsSpan(slot << _symbolBits, 1 << _symbolBits);
        var node = 1;
        for (var b = 0; b < _symbolBits; b++)
        {
            node = (node << 1) | decoder.Decode(ref tree[node]);
        }

        return node - (1 << _symbolBits);
    }

    private void EncodeResidual(ref RangeEncoder encoder, int slot, int i, byte residual)
    {
        var context = (slot * SizeContexts) + SizeContext(slot, i);
        var signed = residual >= VideoFrameCodec.ColorLevels / 2 ? residual - VideoFrameCodec.ColorLevels : residual;
        var size = Math.Abs(signed);
        _sizes[(slot * _cells) + i] = (byte)size;
        encoder.Encode(ref _zero[context], size == 0 ? 0 : 1);
        if (size == 0)
        {
            return;
        }

        encoder.Encode(ref _sign[context], signed < 0 ? 1 : 0);
        var unary = _unary.AsSpan(context * UnaryLimit, UnaryLimit);
        for (var j = 1; j <= UnaryLimit; j++)
        {
            var more = size > j ? 1 : 0;
            encoder.Encode(ref unary[j - 1], more);
            if (more == 0)
            {
                return;
            }
        }

        encoder.EncodeDirect((uint)(size - UnaryLimit - 1), EscapeBits);
    }

    private byte DecodeResidual(ref RangeDecoder decoder, int slot, int i)
    {
        var context = (slot * SizeContexts) + SizeContext(slot, i);
        var size = 0;
        var negative = false;
        if (decoder.Decode(ref _zero[context]) != 0)
        {
            negative = decoder.Decode(ref _sign[context]) != 0;
            var unary = _unary.AsSpan(context * UnaryLimit, UnaryLimit);
            size = 1;
            while (size <= UnaryLimit && decoder.Decode(ref unary[size - 1]) != 0)
            {
                size++;
            }

            if (size > UnaryLimit)
            {
                size += (int)decoder.DecodeDirect(EscapeBits);
            }
        }

        // Sizes past 32 are no residual a sender writes; 32 itself is only -32.
        size = Math.Min(size, VideoFrameCodec.ColorLevels / 2);
        _sizes[(slot * _cells) + i] = (byte)size;
        return (byte)((negative ? -size : size) & (VideoFrameCodec.ColorLevels - 1));
    }

    private int SizeContext(int slot, int i)
    {
        var plane = _sizes.AsSpan(slot * _cells, _cells);
        var left = i % _cols > 0 ? plane[i - 1] : NotSent;
        var up = i >= _cols ? plane[i - _cols] : NotSent;
        int sum, count;
        if (left == NotSent && up == NotSent)
        {
            return 0;
        }

        if (left == NotSent)
        {
            (sum, count) = (up, 1);
        }
        else if (up == NotSent)
        {
            (sum, count) = (left, 1);
        }
        else
        {
            (sum, count) = (left + up, 2);
        }

        var mean2 = 2 * sum / count; // twice the mean size
        return mean2 switch
        {
            0 => 1,
            <= 2 => 2,
            <= 6 => 3,
            <= 14 => 4,
            _ => 5,
        };
    }
}
