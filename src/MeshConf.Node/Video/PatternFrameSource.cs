using MeshConf.Core.Video;

namespace MeshConf.Node.Video;

/// <summary>
/// `--video pattern`: the built-in <see cref="TestPattern"/>, drawn for the time since the source started. Always
/// live. A new size is adopted at the next capture (a new pattern, the clock running on); nothing else allocates.
/// </summary>
internal sealed class PatternFrameSource : IFrameSource
{
    /// <summary>The smallest side <see cref="TestPattern"/> draws.</summary>
    public const int MinSide = 16;

    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly Lock _gate = new();
    private TestPattern _pattern;
    private int _requestedWidth;
    private int _requestedHeight;

    public PatternFrameSource(string name, TimeProvider time, int width = 320, int height = 240)
    {
        _name = name;
        _time = time;
        _start = time.GetTimestamp();
        _pattern = new TestPattern(name, width, height);
        _requestedWidth = width;
        _requestedHeight = height;
    }

    public int Width
    {
        get
        {
            lock (_gate)
            {
                return _requestedWidth;
            }
        }
    }

    public int Height
    {
        get
        {
            lock (_gate)
            {
                return _requestedHeight;
            }
        }
    }

    public VideoSourceState State => VideoSourceState.Live;

    public string? Problem => null;

    public void RequestSize(int width, int height)
    {
        lock (_gate)
        {
            _requestedWidth = Math.Max(MinSide, width);
            _requestedHeight = Math.Max(MinSide, height);
        }
    }

    public bool TryCapture(Span<byte> rgb, out int width, out int height)
    {
        lock (_gate)
        {
            width = _requestedWidth;
            height = _requestedHeight;
        }

        if (rgb.Length < width * height * RgbFrame.BytesPerPixel)
        {
            return false;
        }

        // Only the capture thread gets here, so the pattern is swapped without a lock.
        if (_pattern.Width != width || _pattern.Height != height)
        {
            _pattern = new TestPattern(_name, width, height);
        }

        _pattern.Render(_time.GetElapsedTime(_start), rgb);
        return true;
    }

    public void Dispose()
    {
    }
}
