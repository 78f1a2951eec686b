using MeshConf.Core.Video;
using MeshConf.Core.Video.Quality;
using MeshConf.TestSupport;

namespace MeshConf.Core.Tests.Video;

/// <summary>
/// How close each render mode's picture, drawn as a terminal draws it (<see cref="CellRasterizer"/>, 8 x 16 pixel
/// cells), comes to the camera picture itself: an 80 x 40 tile (640 x 640 pixels drawn) of corpus frames, SSIM of
/// the luma against the frame scaled to the same 640 x 640. The exact conversions, no codec: what the mode can show.
/// </summary>
public sealed class RenderModeQualityTests(ITestOutputHelper output)
{
    private const int Cols = 80;
    private const int Rows = 40;

    [Theory]
    [InlineData("portrait-shake")]
    [InlineData("person-moving")]
    public void Given_camera_frames_When_drawn_in_each_mode_Then_quadrants_beat_half_blocks_and_sextants_beat_quadrants(string clip)
    {
        var width = CellRasterizer.WidthOf(Cols);
        var height = CellRasterizer.HeightOf(Rows);
        var frames = VideoCorpus.Decode(clip, width, height).Frames;
        var drawn = new byte[width * height * RgbFrame.BytesPerPixel];
        var drawnLuma = new byte[width * height];
        var sourceLuma = new byte[width * height];
        var scores = new Dictionary<CellMode, double>();
        foreach (var mode in new[] { CellMode.TrueColor, CellMode.Quadrant, CellMode.Sextant })
        {
            var grid = new CellGrid(Cols, Rows, mode);
            double sum = 0;
            var measured = 0;
            for (var i = 0; i < frames.Count; i += 10)
            {
                FrameConverter.Convert(new RgbFrame(frames[i], width, height), grid, mirror: false);
                CellRasterizer.Rasterize(grid, drawn);
                CellRasterizer.ToLuma(drawn, drawnLuma);
                CellRasterizer.ToLuma(frames[i], sourceLuma);
                sum += Ssim.Compute(drawnLuma, sourceLuma, width, height);
                measured++;
            }

            scores[mode] = sum / measured;
            output.WriteLine($"{clip} {mode}: SSIM {scores[mode]:F3} against the camera picture");
        }

        Assert.True(scores[CellMode.Quadrant] > scores[CellMode.TrueColor] + 0.01, $"quadrant {scores[CellMode.Quadrant]:F3}");
        Assert.True(scores[CellMode.Sextant] > scores[CellMode.Quadrant], $"sextant {scores[CellMode.Sextant]:F3}");
    }
}
