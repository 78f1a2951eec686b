using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

/// <summary>Known pictures as rgb24 buffers.</summary>
internal static class TestFrames
{
    public static byte[] Solid(int width, int height, uint rgb) => Build(width, height, (_, _) => rgb);

    /// <summary>Grey rising from 0 at the left edge to 255 at the right.</summary>
    public static byte[] HorizontalGradient(int width, int height) =>
        Build(width, height, (x, _) => Grey((uint)(x * 255 / (width - 1))));

    /// <summary>Squares of <paramref name="squareWidth"/> x <paramref name="squareHeight"/>, black at the top left.</summary>
    public static byte[] Checkerboard(int width, int height, int squareWidth, int squareHeight, uint dark = 0, uint light = 0xFFFFFF) =>
        Build(width, height, (x, y) => ((x / squareWidth) + (y / squareHeight)) % 2 == 0 ? dark : light);

    public static byte[] Random(int width, int height, int seed)
    {
        var pixels = new byte[width * height * RgbFrame.BytesPerPixel];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }

    public static byte[] Build(int width, int height, Func<int, int, uint> colorAt)
    {
        var pixels = new byte[width * height * RgbFrame.BytesPerPixel];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var rgb = colorAt(x, y);
                var i = (y * width + x) * RgbFrame.BytesPerPixel;
                pixels[i] = (byte)(rgb >> 16);
                pixels[i + 1] = (byte)(rgb >> 8);
                pixels[i + 2] = (byte)rgb;
            }
        }

        return pixels;
    }

    public static uint Grey(uint v) => (v << 16) | (v << 8) | v;

    public static CellGrid Convert(byte[] pixels, int width, int height, int cols, int rows, CellMode mode, bool mirror = false)
    {
        var grid = new CellGrid(cols, rows, mode);
        FrameConverter.Convert(new RgbFrame(pixels, width, height), grid, mirror);
        return grid;
    }
}
