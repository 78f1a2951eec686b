using MeshConf.Core.Video;

namespace MeshConf.Benchmarks;

/// <summary>Frames of the built-in pattern (320 x 240, as `--video pattern` captures), converted to a tile.</summary>
internal static class PatternFrames
{
    public const int Width = 320;
    public const int Height = 240;

    public static CellGrid Convert(string name, TimeSpan time, int cols, int rows, CellMode mode)
    {
        var grid = new CellGrid(cols, rows, mode);
        Convert(new TestPattern(name, Width, Height), time, grid);
        return grid;
    }

    public static void Convert(TestPattern pattern, TimeSpan time, CellGrid grid)
    {
        var rgb = new byte[pattern.FrameBytes];
        pattern.Render(time, rgb);
        FrameConverter.Convert(new RgbFrame(rgb, pattern.Width, pattern.Height), grid, mirror: false);
    }
}
