using MeshConf.Core.Video;
using MeshConf.Node.Video;

namespace MeshConf.Node.Tests.Video;

public sealed class FrameSourceFactoryTests
{
    private static readonly FrameSourceFactory NoFfmpeg = new(() => null, _ => throw new InvalidOperationException("not asked"));

    [Fact]
    public void Given_none_When_created_Then_no_source_and_no_notice()
    {
        Assert.Null(NoFfmpeg.Create(new VideoSourceSpec(VideoSourceKind.None), "ann", 15, TimeProvider.System, out var notice));
        Assert.Null(notice);
    }

    [Fact]
    public void Given_pattern_When_created_without_ffmpeg_Then_the_live_pattern()
    {
        using var source = NoFfmpeg.Create(new VideoSourceSpec(VideoSourceKind.Pattern), "ann", 15, TimeProvider.System, out var notice);

        Assert.IsType<PatternFrameSource>(source);
        Assert.Null(notice);
        Assert.Equal(VideoSourceState.Live, source.State);
        Assert.Equal((FrameSourceFactory.InitialWidth, FrameSourceFactory.InitialHeight), (source.Width, source.Height));
    }

    [Theory]
    [InlineData("camera")]
    [InlineData("camera:/dev/video0")]
    public void Given_no_ffmpeg_When_a_camera_is_wanted_Then_a_notice_to_install_it(string text)
    {
        Assert.True(VideoSourceSpec.TryParse(text, out var spec, out _));

        var source = NoFfmpeg.Create(spec, "ann", 15, TimeProvider.System, out var notice);

        Assert.Null(source);
        Assert.NotNull(notice);
        Assert.StartsWith("ffmpeg not found: install ffmpeg (", notice, StringComparison.Ordinal);
        Assert.EndsWith("); joining without video", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_locator_pointed_at_nothing_When_a_camera_is_wanted_Then_the_same_notice()
    {
        var bogus = new FrameSourceFactory(() => FindAt("/nonexistent/meshconf/ffmpeg"), _ => []);

        Assert.Null(bogus.Create(VideoSourceSpec.Default, "ann", 15, TimeProvider.System, out var notice));
        Assert.StartsWith("ffmpeg not found", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_missing_file_When_created_Then_a_notice_naming_it_and_no_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), "meshconf-absent-" + Guid.NewGuid().ToString("N") + ".mp4");

        var source = NoFfmpeg.Create(new VideoSourceSpec(VideoSourceKind.File, path), "ann", 15, TimeProvider.System, out var notice);

        Assert.Null(source);
        Assert.Equal($"file not found: {path}; joining without video", notice);
    }

    [Fact]
    public void Given_ffmpeg_but_no_camera_When_the_default_camera_is_wanted_Then_a_notice_and_no_source()
    {
        var factory = new FrameSourceFactory(() => "/usr/bin/ffmpeg", _ => []);

        Assert.Null(factory.Create(VideoSourceSpec.Default, "ann", 15, TimeProvider.System, out var notice));
        Assert.StartsWith("no camera found (", notice, StringComparison.Ordinal);
        Assert.EndsWith("): joining without video", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_ffmpeg_When_a_named_camera_device_is_absent_Then_a_notice_naming_it()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "device paths are checked on Linux");
        var factory = new FrameSourceFactory(() => "/usr/bin/ffmpeg", _ => throw new InvalidOperationException("not asked"));

        Assert.Null(factory.Create(new VideoSourceSpec(VideoSourceKind.Camera, "/dev/video-meshconf-absent"), "ann", 15, TimeProvider.System, out var notice));
        Assert.Equal("camera not found: /dev/video-meshconf-absent; joining without video", notice);
    }

    [Fact]
    public void Given_ffmpeg_and_a_camera_When_the_default_camera_is_wanted_Then_an_ffmpeg_source_on_the_first_one()
    {
        var ffmpeg = TestClip.RequireFfmpeg();
        var factory = new FrameSourceFactory(() => ffmpeg, _ => [new CameraDevice("/dev/video-meshconf-first", "First"), new CameraDevice("/dev/video-meshconf-second", "Second")]);

        using var source = factory.Create(VideoSourceSpec.Default, "ann", 15, TimeProvider.System, out var notice);

        Assert.Null(notice);
        var ffmpegSource = Assert.IsType<FfmpegFrameSource>(source);
        Assert.Equal("/dev/video-meshconf-first", ffmpegSource.Input.Device);
        Assert.Equal("camera", ffmpegSource.Input.Kind);
    }

    [Fact]
    public void Given_ffmpeg_and_a_file_When_created_Then_an_ffmpeg_source_looping_it()
    {
        using var clip = TestClip.Make();
        var factory = new FrameSourceFactory(() => clip.Ffmpeg, _ => throw new InvalidOperationException("not asked"));

        using var source = factory.Create(new VideoSourceSpec(VideoSourceKind.File, clip.Path), "ann", 15, TimeProvider.System, out var notice);

        Assert.Null(notice);
        var ffmpegSource = Assert.IsType<FfmpegFrameSource>(source);
        Assert.Equal(("file", clip.Path), (ffmpegSource.Input.Kind, ffmpegSource.Input.Device));
        Assert.Equal(FfmpegInput.File(clip.Path).Arguments, ffmpegSource.Input.Arguments);
    }

    // What FfmpegLocator does with MESHCONF_FFMPEG pointing at a path, without changing the test process's environment.
    private static string? FindAt(string path) => File.Exists(path) ? path : null;
}
