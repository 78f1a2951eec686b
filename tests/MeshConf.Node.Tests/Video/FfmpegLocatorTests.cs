using MeshConf.Node.Video;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Video;

public sealed class FfmpegLocatorTests
{
    [Theory]
    [InlineData("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers", "5.1.6-0+deb12u1")]
    [InlineData("ffmpeg version n7.0", "n7.0")]
    [InlineData("ffprobe version 5.1", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Version_is_taken_from_the_first_line(string? line, string? expected)
    {
        Assert.Equal(expected, FfmpegLocator.ParseVersion(line));
    }

    [Fact]
    public void A_program_that_is_not_ffmpeg_yields_no_version()
    {
        Assert.Null(FfmpegLocator.GetVersion("/bin/true", TimeSpan.FromSeconds(5)));
        Assert.Null(FfmpegLocator.GetVersion("/nonexistent/ffmpeg", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void The_installed_ffmpeg_reports_a_version()
    {
        var path = FfmpegLocator.Find();
        SystemPiece.Require(path is not null, "ffmpeg");

        Assert.Matches(@"^\S+$", FfmpegLocator.GetVersion(path!, TimeSpan.FromSeconds(10)));
    }
}
