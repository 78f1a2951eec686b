using MeshConf.Core.Video;

namespace MeshConf.Node.Video;

/// <summary>`--video pattern`: the built-in <see cref="TestPattern"/>, drawn for the time since the source started.</summary>
internal sealed class PatternFrameSource(string name, TimeProvider time, int width = 320, int height = 240) : IFrameSource
{
    private readonly TestPattern _pattern = new(name, width, height);
    private readonly long _start = time.GetTimestamp();

    public int Width => _pattern.Width;

    public int Height => _pattern.Height;

    public bool TryCapture(Span<byte> rgb)
    {
        _pattern.Render(time.GetElapsedTime(_start), rgb);
        return true;
    }

    public void Dispose()
    {
    }
}
