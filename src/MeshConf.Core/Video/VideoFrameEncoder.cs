using System.IO.Compression;

namespace MeshConf.Core.Video;

/// <summary>
/// Encodes one outgoing video stream (one sender to one receiver size): a keyframe first, after a size or mode
/// change, every <c>keyframeInterval</c> frames and when the receiver asks (it lost something); deltas in
/// between, against the previous frame sent. A delta that would be larger than a keyframe is sent as one.
/// Bodies (<see cref="VideoFrameCodec"/>) go Brotli-compressed when that is smaller. Allocates nothing once its
/// buffers fit the grid. Not thread-safe: one per stream.
/// </summary>
internal sealed class VideoFrameEncoder
{
    /// <summary>
    /// Brotli quality 5. On the pattern's 80 x 40 truecolor keyframes (19.2 KB raw) quality 1 gives about 2.7 KB
    /// in 40 us, 5 about 1.8 KB in 0.2 ms; 6 and 7 are under 1 % smaller, 9 to 11 up to 7 % smaller but take
    /// milliseconds. Over the 10 s pattern stream: 1 needs 108 kbit/s, 5 needs 89.
    /// </summary>
    private const int BrotliQuality = 5;

    private const int BrotliWindow = 22;

    private readonly byte _stream;
    private readonly int _keyframeInterval;
    private CellGrid? _reference;

    // Scratch, owned by the encoder and grown to the largest grid seen: the raw body, and a delta's runs and cells
    // before they are joined behind the run count.
    private byte[] _raw = [];
    private byte[] _runs = [];
    private byte[] _cells = [];
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

        Grow(ref _raw, VideoFrameCodec.MaxRawBody(grid.Count, grid.Mode));
        Grow(ref _runs, 6 * grid.Count);
        Grow(ref _cells, VideoFrameCodec.BytesPerCell(grid.Mode) * grid.Count);

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

    private static void Grow(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[length];
        }
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

    private int WriteDelta(CellGrid reference, CellGrid grid, Span<byte> raw)
    {
        var runs = _runs.AsSpan();
        var cells = _cells.AsSpan();
        var runsLength = 0;
        var cellsLength = 0;
        var runCount = 0u;
        var mode = grid.Mode;
        var cols = grid.Cols;
        var foreground = grid.Foreground;
        var background = grid.Background;
        var oldForeground = reference.Foreground;
        var oldBackground = reference.Background;
        var i = 0;
        while (i < foreground.Length)
        {
            // Unchanged cells end where either word first differs (found vectorised).
            var start = i;
            i += Math.Min(foreground[i..].CommonPrefixLength(oldForeground[i..]), background[i..].CommonPrefixLength(oldBackground[i..]));

            if (i == foreground.Length)
            {
                break;
            }

            var changed = i;
            while (i < foreground.Length && (foreground[i] != oldForeground[i] || background[i] != oldBackground[i]))
            {
                cellsLength += VideoFrameCodec.WriteDeltaCell(mode, foreground, background, i, cols, cells[cellsLength..]);
                i++;
            }

            runsLength += VideoFrameCodec.WriteVarint((uint)(changed - start), runs[runsLength..]);
            runsLength += VideoFrameCodec.WriteVarint((uint)(i - changed), runs[runsLength..]);
            runCount++;
        }

        var length = VideoFrameCodec.WriteVarint(runCount, raw);
        runs[..runsLength].CopyTo(raw[length..]);
        length += runsLength;
        cells[..cellsLength].CopyTo(raw[length..]);
        return length + cellsLength;
    }
}
