using System.IO.Compression;

namespace MeshConf.Core.Video;

/// <summary>
/// Decodes one incoming video stream. Every frame is rebuilt from its base (a recent picture kept here, or the
/// blank picture) into a spare grid and checked against the sender's content hash before it becomes
/// <see cref="Current"/>, so the picture is always exactly a frame the sender made, never a mix. Tells the sender
/// what it holds through <see cref="Feedback"/>. Never throws for any input bytes. Not thread-safe: one per stream.
/// </summary>
/// <remarks>
/// A frame of another stream id, size or mode than the pictures kept starts the stream afresh (the sender made a
/// new stream for a new request); the video channel is sequenced, so a frame of the old stream cannot follow.
/// </remarks>
internal sealed class VideoFrameDecoder
{
    /// <summary>Pictures kept for senders to build on: more than the sender keeps unacknowledged.</summary>
    public const int Slots = 32;

    private readonly uint[] _sequences = new uint[Slots];
    private readonly CellGrid?[] _grids = new CellGrid?[Slots];
    private CellGrid? _blank;
    private int _current = -1;
    private byte _stream;
    private byte[] _raw = [];
    private CellEntropyCoder? _entropy;

    // Arrivals of the last 64 sequences below and at _newestArrived (bit i = _newestArrived - i arrived).
    private ulong _arrivals;
    private uint _newestArrived;
    private bool _baseMissing;

    /// <summary>The last good frame, or null before the first.</summary>
    public CellGrid? Current => _current < 0 ? null : _grids[_current];

    /// <summary>Header of <see cref="Current"/>.</summary>
    public VideoFrameHeader? CurrentHeader { get; private set; }

    public long Decoded { get; private set; }

    public long Malformed { get; private set; }

    public long HashMismatches { get; private set; }

    public long Stale { get; private set; }

    /// <summary>Frames whose base this receiver did not hold (it was lost, or too old).</summary>
    public long NeedKeyframes { get; private set; }

    /// <summary>
    /// What to tell the sender now: the newest frame decoded and the others kept, whether a base was missing since
    /// the last success, and the share of the last 32 sequences that never arrived.
    /// </summary>
    public VideoFeedback Feedback
    {
        get
        {
            var newest = CurrentHeader?.Sequence ?? 0;
            var mask = 0u;
            for (var i = 0; i < Slots && newest != 0; i++)
            {
                var behind = newest - _sequences[i];
                if (_sequences[i] != 0 && behind is >= 1 and <= 32)
                {
                    mask |= 1u << (int)(behind - 1);
                }
            }

            return new VideoFeedback(_stream, newest, mask, _baseMissing, LossPermille());
        }
    }

    public VideoDecodeResult Decode(ReadOnlySpan<byte> message, out VideoFrameHeader header)
    {
        var result = DecodeCore(message, out header);
        switch (result)
        {
            case VideoDecodeResult.Decoded: Decoded++; break;
            case VideoDecodeResult.Malformed: Malformed++; break;
            case VideoDecodeResult.HashMismatch: HashMismatches++; break;
            case VideoDecodeResult.Stale: Stale++; break;
            case VideoDecodeResult.NeedKeyframe: NeedKeyframes++; break;
        }

        return result;
    }

    private VideoDecodeResult DecodeCore(ReadOnlySpan<byte> message, out VideoFrameHeader header)
    {
        if (!VideoFrameHeader.TryRead(message, out header))
        {
            return VideoDecodeResult.Malformed;
        }

        if (_blank is null || header.Stream != _stream || header.Cols != _blank.Cols || header.Rows != _blank.Rows || header.Mode != _blank.Mode)
        {
            StartStream(header);
        }
        else if (CurrentHeader is { } shown && header.Sequence <= shown.Sequence)
        {
            return VideoDecodeResult.Stale;
        }

        Arrived(header.Sequence);
        CellGrid basePicture;
        var baseIndex = -1;
        if (header.BaseSequence == 0)
        {
            basePicture = _blank!;
        }
        else
        {
            baseIndex = Array.IndexOf(_sequences, header.BaseSequence);
            if (baseIndex < 0)
            {
                _baseMissing = true;
                return VideoDecodeResult.NeedKeyframe;
            }

            basePicture = _grids[baseIndex]!;
        }

        var cells = header.Cols * header.Rows;
        var maxRaw = VideoFrameCodec.MaxRawBody(cells, header.Mode);
        if (_raw.Length < maxRaw)
        {
            _raw = new byte[maxRaw];
        }

        var body = message[VideoFrameHeader.Size..];
        int rawLength = 0;
        if (header.IsRangeCoded)
        {
            // Decoded straight into the picture, below.
        }
        else if (header.IsCompressed)
        {
            if (!BrotliDecoder.TryDecompress(body, _raw, out rawLength))
            {
                return VideoDecodeResult.Malformed;
            }
        }
        else
        {
            if (body.Length > _raw.Length)
            {
                return VideoDecodeResult.Malformed;
            }

            body.CopyTo(_raw);
            rawLength = body.Length;
        }

        var target = Spare(baseIndex);
        var grid = _grids[target] ??= new CellGrid(header.Cols, header.Rows, header.Mode);
        _sequences[target] = 0;
        if (header.HasMotion)
        {
            GlobalMotion.Warp(basePicture, grid, header.MotionX, header.MotionY);
        }
        else
        {
            basePicture.CopyTo(grid);
        }

        if (header.IsRangeCoded)
        {
            _entropy = _entropy is { } coder && coder.Fits(header.Cols, header.Rows, header.Mode) ? coder : new CellEntropyCoder(header.Cols, header.Rows, header.Mode);
            if (!_entropy.TryDecode(body, grid, header.IsTemporal))
            {
                return VideoDecodeResult.Malformed;
            }
        }
        else if (!ReadBody(_raw.AsSpan(0, rawLength), grid, header.IsTemporal))
        {
            return VideoDecodeResult.Malformed;
        }

        if (grid.ContentHash() != header.ContentHash)
        {
            // The base was not what the sender built on: never build on it again, and say so.
            if (baseIndex >= 0)
            {
                _sequences[baseIndex] = 0;
            }

            _baseMissing = true;
            return VideoDecodeResult.HashMismatch;
        }

        _sequences[target] = header.Sequence;
        _current = target;
        _baseMissing = false;
        CurrentHeader = header;
        return VideoDecodeResult.Decoded;
    }

    private void StartStream(in VideoFrameHeader header)
    {
        _stream = header.Stream;
        if (_blank is null || header.Cols != _blank.Cols || header.Rows != _blank.Rows || header.Mode != _blank.Mode)
        {
            _blank = new CellGrid(header.Cols, header.Rows, header.Mode);
            Array.Clear(_grids);
        }

        Array.Clear(_sequences);
        _current = -1;
        CurrentHeader = null;
        _arrivals = 0;
        _newestArrived = 0;
        _baseMissing = false;
    }

    // The slot to rebuild into: empty, else the oldest that is neither the base nor the picture shown.
    private int Spare(int baseIndex)
    {
        var spare = -1;
        for (var i = 0; i < Slots; i++)
        {
            if (i == baseIndex || i == _current)
            {
                continue;
            }

            if (spare < 0 || _sequences[i] < _sequences[spare])
            {
                spare = i;
            }
        }

        return spare;
    }

    private void Arrived(uint sequence)
    {
        if (_newestArrived == 0 || sequence > _newestArrived)
        {
            var shift = _newestArrived == 0 ? 64 : sequence - _newestArrived;
            _arrivals = shift >= 64 ? 0 : _arrivals << (int)shift;
            _arrivals |= 1;
            _newestArrived = sequence;
        }
        else if (_newestArrived - sequence < 64)
        {
            _arrivals |= 1UL << (int)(_newestArrived - sequence);
        }
    }

    // Of the last 32 sequences (fewer at the start of a stream), the share that never arrived, per mille.
    private ushort LossPermille()
    {
        if (_newestArrived == 0)
        {
            return 0;
        }

        var span = (int)Math.Min(32u, _newestArrived);
        var window = _arrivals & ((1UL << span) - 1);
        var arrived = System.Numerics.BitOperations.PopCount(window);
        return (ushort)((span - arrived) * 1000 / span);
    }

    private static bool ReadBody(ReadOnlySpan<byte> raw, CellGrid target, bool temporal)
    {
        var foreground = target.ForegroundStorage;
        var background = target.BackgroundStorage;
        var mode = target.Mode;
        var cols = target.Cols;
        var size = VideoFrameCodec.BytesPerCell(mode);

        // First the runs alone: they must stay inside the grid and announce exactly the cells after them.
        var offset = 0;
        if (!VideoFrameCodec.TryReadVarint(raw, ref offset, out var runCount) || runCount > foreground.Length)
        {
            return false;
        }

        var runsStart = offset;
        long end = 0;
        long changed = 0;
        for (var run = 0; run < runCount; run++)
        {
            if (!VideoFrameCodec.TryReadVarint(raw, ref offset, out var skip) || !VideoFrameCodec.TryReadVarint(raw, ref offset, out var count)
                || count == 0)
            {
                return false;
            }

            end += (long)skip + count;
            changed += count;
            if (end > foreground.Length)
            {
                return false;
            }
        }

        var at = offset;
        if (raw.Length - at != changed * size)
        {
            return false;
        }

        // Then the cells, in order, each predicted from the cells already rebuilt before it or from its base.
        offset = runsStart;
        var cell = 0;
        for (var run = 0; run < runCount; run++)
        {
            VideoFrameCodec.TryReadVarint(raw, ref offset, out var skip);
            VideoFrameCodec.TryReadVarint(raw, ref offset, out var count);
            cell += (int)skip;
            for (var n = 0; n < count; n++, cell++, at += size)
            {
                if (!VideoFrameCodec.TryReadCell(mode, raw.Slice(at, size), foreground, background, cell, cols, temporal))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
