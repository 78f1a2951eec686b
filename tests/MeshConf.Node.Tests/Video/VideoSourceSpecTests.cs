using MeshConf.Node.Video;

namespace MeshConf.Node.Tests.Video;

public sealed class VideoSourceSpecTests
{
    [Theory]
    [InlineData("camera", "Camera", null)]
    [InlineData("CAMERA", "Camera", null)]
    [InlineData(" camera ", "Camera", null)]
    [InlineData("camera:/dev/video2", "Camera", "/dev/video2")]
    [InlineData("camera:Integrated Camera", "Camera", "Integrated Camera")]
    [InlineData("camera:1", "Camera", "1")]
    [InlineData("file:clip.mp4", "File", "clip.mp4")]
    [InlineData("file:C:\\videos\\a:b.mp4", "File", "C:\\videos\\a:b.mp4")]
    [InlineData("file:/tmp/with space.mkv", "File", "/tmp/with space.mkv")]
    [InlineData("pattern", "Pattern", null)]
    [InlineData("Pattern", "Pattern", null)]
    [InlineData("none", "None", null)]
    public void Given_a_source_When_parsed_Then_kind_and_argument_are_kept(string text, string kind, string? argument)
    {
        Assert.True(VideoSourceSpec.TryParse(text, out var spec, out var error));
        Assert.Null(error);
        Assert.Equal(Enum.Parse<VideoSourceKind>(kind), spec.Kind);
        Assert.Equal(argument, spec.Argument);
        Assert.True(VideoSourceSpec.TryParse(spec.ToString(), out var again, out _));
        Assert.Equal(spec, again);
    }

    [Theory]
    [InlineData("file:", "needs a path")]
    [InlineData("file:   ", "needs a path")]
    [InlineData("file", "needs a path")]
    [InlineData("camera:", "needs a device")]
    [InlineData("pattern:3", "not a source")]
    [InlineData("none:x", "not a source")]
    [InlineData("webcam", "not a source")]
    [InlineData("", "not a source")]
    [InlineData(null, "not a source")]
    [InlineData("/dev/video0", "not a source")]
    public void Given_something_else_When_parsed_Then_false_with_a_one_line_error(string? text, string expected)
    {
        Assert.False(VideoSourceSpec.TryParse(text, out _, out var error));
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Given_no_video_option_Then_the_default_is_the_first_camera()
    {
        Assert.Equal(new VideoSourceSpec(VideoSourceKind.Camera), VideoSourceSpec.Default);
        Assert.Equal("camera", VideoSourceSpec.Default.ToString());
    }
}
