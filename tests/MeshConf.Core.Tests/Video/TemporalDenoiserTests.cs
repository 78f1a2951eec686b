using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class TemporalDenoiserTests
{
    [Theory]
    [InlineData(80, 40)]
    [InlineData(7, 3)]
    [InlineData(1, 1)]
    public void Given_noisy_and_moving_samples_Then_every_pixel_follows_the_documented_rule(int cols, int rows)
    {
        // The rule, per pixel and channel, as the type's doc states it (a transcription independent of the
        // vectorised filter): within the gate in all three channels, halfway rounded towards the new sample;
        // otherwise the new sample. Values cover small steps, large ones and both ends of the range.
        var random = new Random(11);
        var grid = new CellGrid(cols, rows, CellMode.TrueColor);
        var denoiser = new TemporalDenoiser(grid.Count);
        var top = new uint[grid.Count];
        var bottom = new uint[grid.Count];
        for (var frame = 0; frame < 40; frame++)
        {
            for (var i = 0; i < grid.Count; i++)
            {
                grid.ForegroundStorage[i] = Next(random, top[i], frame);
                grid.BackgroundStorage[i] = Next(random, bottom[i], frame);
            }

            var expectedTop = new uint[grid.Count];
            var expectedBottom = new uint[grid.Count];
            for (var i = 0; i < grid.Count; i++)
            {
                expectedTop[i] = frame == 0 ? grid.Foreground[i] : Rule(top[i], grid.Foreground[i]);
                expectedBottom[i] = frame == 0 ? grid.Background[i] : Rule(bottom[i], grid.Background[i]);
            }

            denoiser.Filter(grid);
            Assert.Equal(expectedTop, grid.Foreground.ToArray());
            Assert.Equal(expectedBottom, grid.Background.ToArray());
            grid.Foreground.CopyTo(top);
            grid.Background.CopyTo(bottom);
        }
    }

    [Theory]
    [InlineData(CellMode.Quadrant, 80, 40)]
    [InlineData(CellMode.Sextant, 7, 3)]
    public void Given_block_cells_Then_colours_are_filtered_only_while_the_pattern_stays(CellMode mode, int cols, int rows)
    {
        // As above, and a cell whose pattern (the foreground's top byte) changes takes both new colours at once.
        var random = new Random(5);
        var grid = new CellGrid(cols, rows, mode);
        var denoiser = new TemporalDenoiser(grid.Count);
        var top = new uint[grid.Count];
        var bottom = new uint[grid.Count];
        for (var frame = 0; frame < 40; frame++)
        {
            for (var i = 0; i < grid.Count; i++)
            {
                var pattern = random.Next(3) == 0 ? (uint)random.Next(1, 16) : top[i] >> 24;
                grid.ForegroundStorage[i] = (pattern << 24) | Next(random, top[i] & 0xFFFFFF, frame);
                grid.BackgroundStorage[i] = Next(random, bottom[i], frame);
            }

            var expectedTop = new uint[grid.Count];
            var expectedBottom = new uint[grid.Count];
            for (var i = 0; i < grid.Count; i++)
            {
                var kept = (grid.Foreground[i] >> 24) == (top[i] >> 24);
                expectedTop[i] = frame == 0 || !kept ? grid.Foreground[i] : (grid.Foreground[i] & 0xFF000000) | Rule(top[i] & 0xFFFFFF, grid.Foreground[i] & 0xFFFFFF);
                expectedBottom[i] = frame == 0 || !kept ? grid.Background[i] : Rule(bottom[i], grid.Background[i]);
            }

            denoiser.Filter(grid);
            Assert.Equal(expectedTop, grid.Foreground.ToArray());
            Assert.Equal(expectedBottom, grid.Background.ToArray());
            grid.Foreground.CopyTo(top);
            grid.Background.CopyTo(bottom);
        }
    }

    private static uint Next(Random random, uint previous, int frame)
    {
        uint result = 0;
        for (var shift = 0; shift < 24; shift += 8)
        {
            var channel = (int)((previous >> shift) & 0xFF);
            var step = random.Next(4) switch { 0 => random.Next(-3, 4), 1 => random.Next(-11, 12), 2 => random.Next(-60, 61), _ => frame % 2 == 0 ? 255 : -255 };
            result |= (uint)Math.Clamp(channel + step, 0, 255) << shift;
        }

        return result;
    }

    private static uint Rule(uint filtered, uint sample)
    {
        for (var shift = 0; shift < 24; shift += 8)
        {
            if (Math.Abs((int)((sample >> shift) & 0xFF) - (int)((filtered >> shift) & 0xFF)) > TemporalDenoiser.Gate)
            {
                return sample;
            }
        }

        uint result = 0;
        for (var shift = 0; shift < 24; shift += 8)
        {
            var f = (int)((filtered >> shift) & 0xFF);
            var s = (int)((sample >> shift) & 0xFF);
            var sum = f + s;
            result |= (uint)(s > f ? (sum + 1) / 2 : sum / 2) << shift;
        }

        return result;
    }
}
