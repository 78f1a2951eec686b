using System.IO.Compression;

namespace MeshConf.Core.Video;

/// <summary>
/// Decodes one incoming video stream. Every frame is decoded into a scratch grid and checked against the
/// sender's content hash before it replaces <see cref="Current"/>, so the picture is always exactly a frame the
/// sender converted, never a mix. Never throws for any input bytes. Not thread-safe: one per stream.
/// </summary>
internal sealed class VideoFrameDecoder
{
    private CellGrid? _current;
    private CellGrid? _scratch;
    private byte[] _raw = [];

    /// <summary>The last good frame, or null before the first keyframe.</summary>
    public CellGrid? Current => _current;

    /// <summary>Header of <see cref="Current"/>.</summary>
    public VideoFrameHeader? CurrentHeader { get; private set; }

    public long Decoded { get; private set; }

    public long Malformed { get; private set; }

    public long HashMismatches { get; private set; }

    public long Stale { get; private set; }

    public long NeedKeyframes { get; private set; }

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

        if (CurrentHeader is { } shown && header.Sequence <= shown.Sequence)
        {
            return VideoDecodeResult.Stale;
        }

        if (!header.IsKeyframe)
        {
            if (header.BaseSequence >= header.Sequence)
            {
                return VideoDecodeResult.Malformed;
            }

            if (CurrentHeader is not { } current || current.Sequence != header.BaseSequence
                || current.Cols != header.Cols || current.Rows != header.Rows || current.Mode != header.Mode)
            {
                return VideoDecodeResult.NeedKeyframe;
            }
        }
        else if (header.BaseSequence != header.Sequence)
        {
            return VideoDecodeResult.Malformed;
        }

        var cells = header.Cols * header.Rows;
        var maxRaw = VideoFrameCodec.MaxRawBody(cells, header.Mode);
        if (_raw.Length < maxRaw)
        {
            _raw = new byte[maxRaw];
        }

        var body = message[VideoFrameHeader.Size..];
        int rawLength;
        if (header.IsCompressed)
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

        if (_scratch is null || _scratch.Cols != header.Cols || _scratch.Rows != header.Rows || _scratch.Mode != header.Mode)
        {
            _scratch = new CellGrid(header.Cols, header.Rows, header.Mode);
        }

        var raw = _raw.AsSpan(0, rawLength);
        var ok = header.IsKeyframe ? ReadKeyframe(raw, _scratch) : ReadDelta(raw, _current!, _scratch);
        if (!ok)
        {
            return VideoDecodeResult.Malformed;
        }

        if (_scratch.ContentHash() != header.ContentHash)
        {
            return VideoDecodeResult.HashMismatch;
        }

        (_current, _scratch) = (_scratch, _current);
        CurrentHeader = header;
        return VideoDecodeResult.Decoded;
    }

    private static bool ReadKeyframe(ReadOnlySpan<byte> raw, CellGrid target)
    {
        var size = VideoFrameCodec.BytesPerCell(target.Mode);
        if (raw.Length != target.Count * size)
        {
            return false;
        }

        var foreground = target.ForegroundStorage;
        var background = target.BackgroundStorage;
        for (var i = 0; i < foreground.Length; i++)
        {
            if (!VideoFrameCodec.TryReadCell(target.Mode, raw.Slice(i * size, size), out foreground[i], out background[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ReadDelta(ReadOnlySpan<byte> raw, CellGrid baseGrid, CellGrid target)
    {
        baseGrid.Foreground.CopyTo(target.ForegroundStorage);
        baseGrid.Background.CopyTo(target.BackgroundStorage);
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

        // Then the cells, in order, each predicted from the cells already rebuilt before it.
        offset = runsStart;
        var cell = 0;
        for (var run = 0; run < runCount; run++)
        {
            VideoFrameCodec.TryReadVarint(raw, ref offset, out var skip);
            VideoFrameCodec.TryReadVarint(raw, ref offset, out var count);
            cell += (int)skip;
            for (var n = 0; n < count; n++, cell++, at += size)
            {
                if (!VideoFrameCodec.TryReadDeltaCell(mode, raw.Slice(at, size), foreground, background, cell, cols))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
