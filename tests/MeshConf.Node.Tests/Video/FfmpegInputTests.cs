using MeshConf.Node.Video;

namespace MeshConf.Node.Tests.Video;

public sealed class FfmpegInputTests
{
    [Fact]
    public void Given_a_v4l2_camera_When_arguments_are_built_Then_quiet_no_stdin_scaled_cropped_rgb24_on_stdout()
    {
        var arguments = FfmpegFrameSource.BuildArguments(FfmpegInput.V4l2("/dev/video2", 15), 208, 160, 15);

        Assert.Equal(
            [
                "-hide_banner", "-loglevel", "error", "-nostdin",
                "-f", "v4l2", "-framerate", "15", "-i", "/dev/video2",
                "-an", "-sn",
                "-vf", "fps=15,scale=208:160:force_original_aspect_ratio=increase,crop=208:160,setsar=1",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
            ],
            arguments);
    }

    [Fact]
    public void Given_a_file_When_input_is_built_Then_it_loops_at_its_own_pace_through_the_file_protocol()
    {
        var input = FfmpegInput.File("-odd:name.mp4");

        Assert.Equal(["-stream_loop", "-1", "-re", "-i", "file:" + Path.GetFullPath("-odd:name.mp4")], input.Arguments);
        Assert.Equal("file lost: -odd:name.mp4", input.LostText);
    }

    [Theory]
    [InlineData("0", "0:none")]
    [InlineData("FaceTime HD Camera", "FaceTime HD Camera:none")]
    [InlineData("1:0", "1:0")]
    public void Given_a_mac_camera_When_input_is_built_Then_video_only(string device, string expected)
    {
        Assert.Equal(["-f", "avfoundation", "-framerate", "30", "-i", expected], FfmpegInput.AvFoundation(device, 30).Arguments);
    }

    [Fact]
    public void Given_a_windows_camera_When_input_is_built_Then_dshow_by_name()
    {
        Assert.Equal(["-f", "dshow", "-i", "video=Integrated Camera"], FfmpegInput.Dshow("Integrated Camera").Arguments);
        Assert.Equal("camera lost: Integrated Camera", FfmpegInput.Dshow("Integrated Camera").LostText);
    }

    [Fact]
    public void Given_a_dshow_listing_of_ffmpeg_5_When_parsed_Then_only_the_video_devices()
    {
        const string listing = """
            [dshow @ 000001c6a5a4e2c0] "Integrated Camera" (video)
            [dshow @ 000001c6a5a4e2c0]   Alternative name "@device_pnp_\\?\usb#vid_04f2&pid_b6d9&mi_00#6&1b5b3c2b&0&0000#{65e8773d}\global"
            [dshow @ 000001c6a5a4e2c0] "OBS Virtual Camera" (none)
            [dshow @ 000001c6a5a4e2c0] "USB Capture (HDMI)" (audio, video)
            [dshow @ 000001c6a5a4e2c0] "Microphone Array (Realtek(R) Audio)" (audio)
            [dshow @ 000001c6a5a4e2c0]   Alternative name "@device_cm_{33D9A762}\wave_{B4C2B1D0}"
            dummy: Immediate exit requested
            """;

        Assert.Equal(["Integrated Camera", "USB Capture (HDMI)"], FfmpegInput.ParseDshowVideoDevices(listing));
    }

    [Fact]
    public void Given_a_dshow_listing_of_ffmpeg_4_When_parsed_Then_the_devices_under_the_video_heading()
    {
        const string listing = "[dshow @ 0a] DirectShow video devices (some may be both video and audio devices)\r\n"
            + "[dshow @ 0a]  \"Integrated Webcam\"\r\n"
            + "[dshow @ 0a]     Alternative name \"@device_pnp_\\\\?\\usb#vid_0c45\"\r\n"
            + "[dshow @ 0a] DirectShow audio devices\r\n"
            + "[dshow @ 0a]  \"Microphone (Realtek Audio)\"\r\n";

        Assert.Equal(["Integrated Webcam"], FfmpegInput.ParseDshowVideoDevices(listing));
    }

    [Fact]
    public void Given_no_listing_When_parsed_Then_no_devices()
    {
        Assert.Empty(FfmpegInput.ParseDshowVideoDevices(string.Empty));
        Assert.Empty(FfmpegInput.ParseDshowVideoDevices("dummy: Immediate exit requested\n"));
    }
}
