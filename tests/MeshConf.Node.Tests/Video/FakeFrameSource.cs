using MeshConf.Core.Video;
using MeshConf.Node.Video;

namespace MeshConf.Node.Tests.Video;

/// <summary>
/// A frame source for sender tests: a new frame on every capture, drawn by <see cref="Draw"/> (a function of the
/// size only, so a frame read with the wrong width or height converts to something else), a size that can
/// change after each capture, a settable state, and a record of every size the sender asked for. It measures
/// what the capture thread allocated between two of its captures.
/// </summary>
internal sealed class FakeFrameSource : IFrameSource
{
    private readonly Lock _gate = new();
    private readonly (int Width, int Height)[] _sizes;
    private readonly List<(int Width, int Height)> _requested = [];
    private readonly List<long> _allocatedBetweenCaptures = [];
    private int _next;
    private long _allocatedAtLastCapture = -1;

    /// <param name="sizes">The frame sizes in turn, one capture each (one size: always that).</param>
    public FakeFrameSource(params (int Width, int Height)[] sizes)
    {
        _sizes = sizes.Length == 0 ? [(320, 240)] : sizes;
    }

    public int Width
    {
        get
        {
            lock (_gate)
            {
                return _sizes[_next].Width;
            }
        }
    }

    public int Height
    {
        get
        {
            lock (_gate)
            {
                return _sizes[_next].Height;
            }
        }
    }

    public VideoSourceState State { get; set; } = VideoSourceState.Live;

    public string? Problem => State == VideoSourceState.Lost ? "fake lost" : null;

    /// <summary>Successful captures.</summary>
    public int Captures { get; private set; }

    /// <summary>Every size passed to <see cref="RequestSize"/>, in order.</summary>
    public List<(int Width, int Height)> Requested
    {
        get
        {
            lock (_gate)
            {
                return [.. _requested];
            }
        }
    }

    /// <summary>Bytes the capture thread allocated from one capture to the next (a whole sender iteration).</summary>
    public List<long> AllocatedBetweenCaptures
    {
        get
        {
            lock (_gate)
            {
                return [.. _allocatedBetweenCaptures];
            }
        }
    }

    public bool Disposed { get; private set; }

    public void RequestSize(int width, int height)
    {
        lock (_gate)
        {
            _requested.Add((width, height));
        }
    }

    public bool TryCapture(Span<byte> rgb, out int width, out int height)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        (width, height) = _sizes[Volatile.Read(ref _next)];
        if (rgb.Length < width * height * RgbFrame.BytesPerPixel)
        {
            return false;
        }

        Draw(width, height, rgb);
        Captures++;
        lock (_gate)
        {
            if (_allocatedAtLastCapture >= 0)
            {
                _allocatedBetweenCaptures.Add(allocated - _allocatedAtLastCapture);
            }

            _next = (_next + 1) % _sizes.Length;
            _allocatedAtLastCapture = GC.GetAllocatedBytesForCurrentThread();
        }

        return true;
    }

    public void Dispose() => Disposed = true;

    /// <summary>A two-way gradient whose steps depend on the size: red across, green down, blue from both.</summary>
    public static void Draw(int width, int height, Span<byte> rgb)
    {
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                rgb[i] = (byte)(x * 255 / Math.Max(1, width - 1));
                rgb[i + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                rgb[i + 2] = (byte)((x + (2 * y)) % 256);
            }
        }
    }

    /// <summary>The grid a sender must produce for a frame of this size and a request.</summary>
    public static ulong ExpectedHash(int width, int height, VideoRequest request)
    {
        var rgb = new byte[width * height * 3];
        Draw(width, height, rgb);
        var grid = new CellGrid(request.Cols, request.Rows, request.Mode);
        FrameConverter.Convert(new RgbFrame(rgb, width, height), grid, mirror: false);

        // Truecolor travels at 64 levels a channel (VideoFrameCodec.Quantize): that is what an exact stream shows.
        if (request.Mode == CellMode.TrueColor)
        {
            foreach (ref var cell in grid.ForegroundStorage)
            {
                cell = VideoFrameCodec.Quantize(cell);
            }

            foreach (ref var cell in grid.BackgroundStorage)
            {
                cell = VideoFrameCodec.Quantize(cell);
            }
        }

        return grid.ContentHash();
    }
}
