using MeshConf.Core.Video;
using MeshConf.TestSupport;

namespace MeshConf.Core.Tests.Video;

public sealed class GlobalMotionTests
{
    private const int Cols = 80;
    private const int Rows = 40;

    [Fact]
    public void Given_no_move_When_warped_Then_the_picture_is_unchanged()
    {
        var picture = Quantized(PortraitFrame(0));
        var moved = new CellGrid(Cols, Rows, CellMode.TrueColor);

        GlobalMotion.Warp(picture, moved, 0, 0);

        Assert.True(moved.ContentEquals(picture));
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(-16, 0)]
    [InlineData(0, 8)]
    [InlineData(0, -8)]
    [InlineData(24, 16)]
    public void Given_a_whole_pixel_move_When_warped_Then_every_pixel_comes_from_its_neighbour_and_the_edge_repeats(int dx, int dy)
    {
        var picture = Quantized(PortraitFrame(0));
        var moved = new CellGrid(Cols, Rows, CellMode.TrueColor);

        GlobalMotion.Warp(picture, moved, dx, dy);

        for (var y = 0; y < 2 * Rows; y++)
        {
            for (var x = 0; x < Cols; x++)
            {
                var from = PixelOf(picture, Math.Clamp(x + (dx / 8), 0, Cols - 1), Math.Clamp(y + (dy / 8), 0, (2 * Rows) - 1));
                Assert.Equal(from, PixelOf(moved, x, y));
            }
        }
    }

    [Fact]
    public void Given_a_half_pixel_move_When_warped_Then_each_channel_is_the_mean_of_the_two_pixels_at_travelling_precision()
    {
        var picture = new CellGrid(Cols, Rows, CellMode.TrueColor);
        var top = picture.ForegroundStorage;
        top[0] = VideoFrameCodec.Quantize(0x000000);
        top[1] = VideoFrameCodec.Quantize(0xFF8040);
        var moved = new CellGrid(Cols, Rows, CellMode.TrueColor);

        GlobalMotion.Warp(picture, moved, 4, 0);

        Assert.Equal(VideoFrameCodec.Quantize(0x804020), moved.Foreground[0]);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(0, -1)]
    [InlineData(3, 2)]
    [InlineData(-5, 7)]
    [InlineData(12, -9)]
    [InlineData(-24, 24)]
    public void Given_a_photograph_moved_by_a_known_shift_When_estimated_Then_the_shift_is_found(int dx, int dy)
    {
        var picture = Quantized(PortraitFrame(0));
        var moved = new CellGrid(Cols, Rows, CellMode.TrueColor);
        GlobalMotion.Warp(picture, moved, dx, dy);

        var found = new GlobalMotion(Cols, Rows).Estimate(picture, moved);

        Assert.Equal((dx, dy), found);
    }

    [Fact]
    public void Given_a_still_scene_with_its_own_noise_When_estimated_Then_nothing_moves()
    {
        var estimate = new GlobalMotion(Cols, Rows);
        var clip = VideoCorpus.Decode("still-noise", 160, 160);
        var first = Convert(clip.Frames[0]);

        for (var i = 1; i < clip.Frames.Count; i += 7)
        {
            Assert.Equal((0, 0), estimate.Estimate(first, Convert(clip.Frames[i])));
        }
    }

    [Fact]
    public void Given_the_panning_clip_When_estimated_frame_to_frame_Then_most_frames_move_and_the_move_explains_the_change()
    {
        var estimate = new GlobalMotion(Cols, Rows);
        var clip = VideoCorpus.Decode("person-moving", 160, 160);
        var moved = new CellGrid(Cols, Rows, CellMode.TrueColor);
        int moving = 0, better = 0;
        for (var i = 1; i < clip.Frames.Count; i++)
        {
            var before = Quantized(Convert(clip.Frames[i - 1]));
            var after = Convert(clip.Frames[i]);
            var (dx, dy) = estimate.Estimate(before, after);
            if ((dx | dy) == 0)
            {
                continue;
            }

            moving++;
            GlobalMotion.Warp(before, moved, dx, dy);
            if (Difference(moved, after) < 0.8 * Difference(before, after))
            {
                better++;
            }
        }

        Assert.True(moving >= 50, $"{moving} of {clip.Frames.Count - 1} frames moved");
        Assert.True(better >= 0.9 * moving, $"{better} of {moving} moves cut the difference by 20 %");
    }

    [Fact]
    public void Given_a_tiny_grid_When_estimated_Then_nothing_moves_and_nothing_is_read_out_of_bounds()
    {
        var small = new CellGrid(4, 2, CellMode.TrueColor);
        var moved = new CellGrid(4, 2, CellMode.TrueColor);
        small.ForegroundStorage.Fill(0xFFFFFF);

        Assert.Equal((0, 0), new GlobalMotion(4, 2).Estimate(small, moved));
        GlobalMotion.Warp(small, moved, -GlobalMotion.MaxShift, GlobalMotion.MaxShift);
    }

    private static CellGrid PortraitFrame(int index) => Convert(VideoCorpus.Decode("portrait-shake", 160, 160).Frames[index]);

    private static CellGrid Convert(byte[] frame)
    {
        var grid = new CellGrid(Cols, Rows, CellMode.TrueColor);
        FrameConverter.Convert(new RgbFrame(frame, 160, 160), grid, mirror: false);
        return grid;
    }

    private static CellGrid Quantized(CellGrid grid)
    {
        var top = grid.ForegroundStorage;
        var bottom = grid.BackgroundStorage;
        for (var i = 0; i < grid.Count; i++)
        {
            top[i] = VideoFrameCodec.Quantize(top[i]);
            bottom[i] = VideoFrameCodec.Quantize(bottom[i]);
        }

        return grid;
    }

    private static uint PixelOf(CellGrid grid, int x, int y) =>
        (y & 1) == 0 ? grid.ForegroundAt(x, y / 2) : grid.BackgroundAt(x, y / 2);

    // The mean absolute channel difference over the picture.
    private static double Difference(CellGrid a, CellGrid b)
    {
        long sum = 0;
        for (var i = 0; i < a.Count; i++)
        {
            for (var shift = 0; shift <= 16; shift += 8)
            {
                sum += Math.Abs((int)((a.Foreground[i] >> shift) & 0xFF) - (int)((b.Foreground[i] >> shift) & 0xFF));
                sum += Math.Abs((int)((a.Background[i] >> shift) & 0xFF) - (int)((b.Background[i] >> shift) & 0xFF));
            }
        }

        return sum / (6.0 * a.Count);
    }
}
