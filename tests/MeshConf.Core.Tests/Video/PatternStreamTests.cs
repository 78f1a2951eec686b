using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

/// <summary>
/// The bandwidth of one real stream: the built-in pattern as `--video pattern` sends it (320 x 240, converted to
/// an 80 x 40 truecolor tile, 15 fps, the encoder's default keyframe interval). A size measure, not a timing, so
/// the same on every machine.
/// </summary>
public sealed class PatternStreamTests
{
    private const int Fps = 15;
    private const int Seconds = 10;
    private const double MaxKilobitsPerSecond = 150;

    [Fact]
    public void Given_ten_seconds_of_the_pattern_When_streamed_as_80x40_truecolor_at_15_fps_Then_it_needs_at_most_150_kbit_s_and_decodes_exactly()
    {
        var pattern = new TestPattern("alice", 320, 240);
        var rgb = new byte[pattern.FrameBytes];
        var grid = new CellGrid(80, 40, CellMode.TrueColor);
        var previous = new CellGrid(80, 40, CellMode.TrueColor);
        var encoder = new VideoFrameEncoder(0);
        var decoder = new VideoFrameDecoder();
        var message = new byte[VideoFrameCodec.MaxMessage(grid.Count, grid.Mode)];
        long bytes = 0;
        long keyframeBytes = 0;
        var keyframes = 0;
        for (var i = 0; i < Fps * Seconds; i++)
        {
            pattern.Render(TimeSpan.FromSeconds(i / (double)Fps), rgb);
            FrameConverter.Convert(new RgbFrame(rgb, pattern.Width, pattern.Height), grid, mirror: false);
            var length = encoder.Encode(grid, (ulong)i, message);

            Assert.False(i > 0 && grid.ContentEquals(previous), $"frame {i} repeats the one before: nothing to measure");
            Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message.AsSpan(0, length), out var header));
            Assert.Equal(grid.ContentHash(), decoder.Current!.ContentHash());
            Assert.True(decoder.Current.ContentEquals(grid), $"frame {i} decoded to other cells");
            bytes += length;
            keyframes += header.IsKeyframe ? 1 : 0;
            keyframeBytes += header.IsKeyframe ? length : 0;
            grid.Foreground.CopyTo(previous.ForegroundStorage);
            grid.Background.CopyTo(previous.BackgroundStorage);
        }

        var kilobitsPerSecond = bytes * 8 / 1000.0 / Seconds;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"pattern 80x40 truecolor {Fps} fps: {kilobitsPerSecond:F1} kbit/s, {bytes / (Fps * Seconds)} B/frame, "
            + $"{keyframes} keyframes of {keyframeBytes / keyframes} B, deltas {(bytes - keyframeBytes) / ((Fps * Seconds) - keyframes)} B");
        Assert.True(keyframes >= Fps * Seconds / 30, $"only {keyframes} keyframes: the periodic ones are missing");
        Assert.True(kilobitsPerSecond <= MaxKilobitsPerSecond, $"{kilobitsPerSecond:F1} kbit/s");
    }
}
