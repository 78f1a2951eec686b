using System.IO.Compression;

namespace MeshConf.Core.Video;

/// <summary>
/// Encodes one outgoing video stream (one sender to one receiver size): a keyframe first, after a size or mode
/// change, every <c>keyframeInterval</c> frames and when the receiver asks (it lost something); deltas in
/// between, against the previous frame sent. A delta that would be larger than a keyframe is sent as one.
/// Bodies go Brotli-compressed (quality 1, the fastest) when that is smaller. Not thread-safe: one per stream.
/// </summary>
internal sealed class VideoFrameEncoder
{
    private const int BrotliQuality = 1;
    private const int BrotliWindow = 22;

    private readonly byte _stream;
    private readonly int _keyframeInterval;
    private CellGrid? _reference;
    private byte[] _raw = [];
    private uint _sequence;
    private int _sinceKeyframe;
    private bool _keyframeRequested = true;

    public VideoFrameEncoder(byte stream, int keyframeInterval = 30)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keyframeInterval);
        _stream = stream;
        _keyframeInterval = keyframeInterval;
    }

    /// <summary>The header of the frame last encoded.</summary>
    public VideoFrameHeader LastHeader { get; private set; }

    /// <summary>Frames encoded so far.</summary>
    public uint Sequence => _sequence;

    /// <summary>The next frame will be a keyframe (the receiver lost one, or asked).</summary>
    public void RequestKeyframe() => _keyframeRequested = true;

    /// <summary>
    /// Encodes <paramref name="grid"/> into <paramref name="destination"/> (at least
    /// <see cref="VideoFrameCodec.MaxMessage"/> bytes) and returns the message length.
    /// </summary>
    public int Encode(CellGrid grid, ulong captureMicroseconds, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Count > VideoFrameCodec.MaxCells)
        {
            throw new ArgumentException($"at most {VideoFrameCodec.MaxCells} cells per frame", nameof(grid));
        }

        var maxRaw = VideoFrameCodec.MaxRawBody(grid.Count, grid.Mode);
        if (_raw.Length < maxRaw)
        {
            _raw = new byte[maxRaw];
        }

        var sizeChanged = _reference is null || _reference.Cols != grid.Cols || _reference.Rows != grid.Rows || _reference.Mode != grid.Mode;
        var key = sizeChanged || _keyframeRequested || _sinceKeyframe + 1 >= _keyframeInterval;
        var rawLength = key ? WriteKeyframe(grid, _raw) : WriteDelta(_reference!, grid, _raw);
        if (!key && rawLength >= grid.Count * VideoFrameCodec.BytesPerCell(grid.Mode))
        {
            key = true;
            rawLength = WriteKeyframe(grid, _raw);
        }

        _sequence++;
        var body = destination[VideoFrameHeader.Size..];
        var compressed = BrotliEncoder.TryCompress(_raw.AsSpan(0, rawLength), body, out var compressedLength, BrotliQuality, BrotliWindow)
            && compressedLength < rawLength;
        if (!compressed)
        {
            _raw.AsSpan(0, rawLength).CopyTo(body);
        }

        var header = new VideoFrameHeader(
            _stream, _sequence, key ? _sequence : _sequence - 1, captureMicroseconds,
            (ushort)grid.Cols, (ushort)grid.Rows, grid.Mode, key, compressed, grid.ContentHash());
        header.Write(destination);
        LastHeader = header;

        if (sizeChanged)
        {
            _reference = new CellGrid(grid.Cols, grid.Rows, grid.Mode);
        }

        grid.Foreground.CopyTo(_reference!.ForegroundStorage);
        grid.Background.CopyTo(_reference.BackgroundStorage);
        _sinceKeyframe = key ? 0 : _sinceKeyframe + 1;
        _keyframeRequested = false;
        return VideoFrameHeader.Size + (compressed ? compressedLength : rawLength);
    }

    private static int WriteKeyframe(CellGrid grid, Span<byte> raw)
    {
        var length = 0;
        var foreground = grid.Foreground;
        var background = grid.Background;
        for (var i = 0; i < foreground.Length; i++)
        {
            length += VideoFrameCodec.WriteCell(grid.Mode, foreground[i], background[i], raw[length..]);
        }

        return length;
    }

    private static int WriteDelta(CellGrid reference, CellGrid grid, Span<byte> raw)
    {
        var length = 0;
        var foreground = grid.Foreground;
        var background = grid.Background;
        var oldForeground = reference.Foreground;
        var oldBackground = reference.Background;
        var i = 0;
        var skipped = 0;
        while (i < foreground.Length)
        {
            if (foreground[i] == oldForeground[i] && background[i] == oldBackground[i])
            {
                skipped++;
                i++;
                continue;
            }

            var start = i;
            while (i < foreground.Length && (foreground[i] != oldForeground[i] || background[i] != oldBackground[i]))
            {
                i++;
            }

            length += VideoFrameCodec.WriteVarint((uint)skipped, raw[length..]);
            length += VideoFrameCodec.WriteVarint((uint)(i - start), raw[length..]);
            for (var c = start; c < i; c++)
            {
                length += VideoFrameCodec.WriteCell(grid.Mode, foreground[c], background[c], raw[length..]);
            }

            skipped = 0;
        }

        return length;
    }
}
