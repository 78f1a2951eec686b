using System.Diagnostics;
using MeshConf.Core.Video;
using MeshConf.Node.Video;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Video;

public sealed class FfmpegFrameSourceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact(Timeout = 60_000)]
    public async Task Given_a_one_second_clip_When_read_for_three_seconds_Then_frames_of_the_requested_size_keep_coming_as_it_loops()
    {
        using var clip = TestClip.Make();
        using var source = new FfmpegFrameSource(clip.Ffmpeg, FfmpegInput.File(clip.Path), 15, TimeProvider.System, 208, 160);
        Assert.Equal(VideoSourceState.Starting, source.State);
        var rgb = new byte[208 * 160 * 3];

        var started = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => source.TryCapture(rgb, out _, out _), Patience, () => $"no frame: {source.State} {source.Problem}");
        TestContext.Current.TestOutputHelper?.WriteLine($"first frame {started.ElapsedMilliseconds} ms after the start");
        var first = Stopwatch.StartNew();
        Assert.Equal(VideoSourceState.Live, source.State);
        Assert.Equal((208, 160), (source.Width, source.Height));
        Assert.True(DistinctColours(rgb) > 8, "testsrc's bars and gradient, not a blank frame");

        var frames = 1;
        while (first.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Eventually.TrueAsync(() => source.TryCapture(rgb, out var w, out var h) && (w, h) == (208, 160), TimeSpan.FromSeconds(2),
                () => $"frames stopped after {frames} at {first.Elapsed}: {source.State} {source.Problem}");
            frames++;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{frames} frames in {first.Elapsed.TotalSeconds:0.0} s, {source.Starts} start(s)");
        Assert.InRange(frames, 30, 50); // 15 fps for 3 s over three passes of the clip, less a little at each rewind
        Assert.Equal(1, source.Starts); // looped by ffmpeg, not restarted by us
        Assert.Equal(VideoSourceState.Live, source.State);
        Assert.Null(source.Problem);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_running_source_When_a_new_size_is_requested_Then_frames_come_at_that_size_without_a_loss()
    {
        using var clip = TestClip.Make();
        using var source = new FfmpegFrameSource(clip.Ffmpeg, FfmpegInput.File(clip.Path), 15, TimeProvider.System, 160, 128);
        var rgb = new byte[320 * 240 * 3];
        await Eventually.TrueAsync(() => source.TryCapture(rgb, out _, out _), Patience, () => $"no frame: {source.Problem}");
        Assert.Equal((160, 128), (source.Width, source.Height));

        // A drag: several sizes in quick succession, one restart at the last.
        source.RequestSize(100, 80);
        source.RequestSize(110, 90);
        source.RequestSize(96, 64);
        int width = 0, height = 0;
        await Eventually.TrueAsync(() => source.TryCapture(rgb, out width, out height) && (width, height) == (96, 64), Patience,
            () => $"last frame {width}x{height}, source {source.Width}x{source.Height}: {source.Problem}");

        Assert.Equal((96, 64), (source.Width, source.Height));
        Assert.Equal(2, source.Starts);
        Assert.Equal(VideoSourceState.Live, source.State);
        Assert.Null(source.Problem);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_ffmpeg_killed_When_watched_Then_lost_with_a_reason_and_live_again_with_new_frames()
    {
        using var clip = TestClip.Make();
        using var source = new FfmpegFrameSource(clip.Ffmpeg, FfmpegInput.File(clip.Path), 15, TimeProvider.System, 64, 48);
        var rgb = new byte[64 * 48 * 3];
        await Eventually.TrueAsync(() => source.TryCapture(rgb, out _, out _), Patience, () => $"no frame: {source.Problem}");
        var pid = source.ProcessId!.Value;

        using (var child = Process.GetProcessById(pid))
        {
            child.Kill();
        }

        var killed = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => source.State == VideoSourceState.Lost, Patience, () => $"state {source.State}");
        var lostAfter = killed.Elapsed;
        Assert.StartsWith("file lost: " + clip.Path + " (ffmpeg exited with code ", source.Problem, StringComparison.Ordinal);
        var framesBefore = source.FramesRead;

        await Eventually.TrueAsync(() => source.State == VideoSourceState.Live && source.FramesRead > framesBefore + 3, Patience,
            () => $"state {source.State}, {source.FramesRead} frames: {source.Problem}");
        TestContext.Current.TestOutputHelper?.WriteLine($"lost {lostAfter.TotalMilliseconds:0} ms after the kill, frames again {killed.ElapsedMilliseconds} ms after: {source.Problem}");
        Assert.NotEqual(pid, source.ProcessId);
        Assert.Equal(2, source.Starts);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_ffmpeg_stalled_When_no_frame_comes_for_two_seconds_Then_lost_and_restarted()
    {
        SystemPiece.Require(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "a POSIX kill to stop a process");
        using var clip = TestClip.Make();
        using var source = new FfmpegFrameSource(clip.Ffmpeg, FfmpegInput.File(clip.Path), 15, TimeProvider.System, 64, 48);
        var rgb = new byte[64 * 48 * 3];
        await Eventually.TrueAsync(() => source.TryCapture(rgb, out _, out _), Patience, () => $"no frame: {source.Problem}");
        var pid = source.ProcessId!.Value;

        // SIGSTOP: the process is there but silent, like a camera that hangs.
        var stopped = ExternalProgram.Run("kill", ["-STOP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, stopped.ExitCode);
        var silent = Stopwatch.StartNew();

        await Eventually.TrueAsync(() => source.State == VideoSourceState.Lost, Patience, () => $"state {source.State}");
        TestContext.Current.TestOutputHelper?.WriteLine($"lost after {silent.ElapsedMilliseconds} ms: {source.Problem}");
        Assert.InRange(silent.Elapsed, FfmpegFrameSource.StallTimeout - TimeSpan.FromMilliseconds(200), FfmpegFrameSource.StallTimeout + TimeSpan.FromSeconds(3));
        Assert.Matches(@"^file lost: .* \(no frames for \d+(\.\d)? s\)$", source.Problem);

        await Eventually.TrueAsync(() => source.State == VideoSourceState.Live, Patience, () => $"state {source.State}: {source.Problem}");
        Assert.NotEqual(pid, source.ProcessId);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid)); // the stopped one was killed, not left behind
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_camera_that_is_not_there_When_ffmpeg_fails_to_open_it_Then_lost_with_ffmpegs_own_words_and_retried()
    {
        var ffmpeg = TestClip.RequireFfmpeg();
        SystemPiece.Require(OperatingSystem.IsLinux(), "Linux (v4l2)");
        using var source = new FfmpegFrameSource(ffmpeg, FfmpegInput.V4l2("/dev/video-meshconf-absent", 15), 15, TimeProvider.System);

        await Eventually.TrueAsync(() => source.State == VideoSourceState.Lost, Patience, () => $"state {source.State}");
        Assert.StartsWith("camera lost: /dev/video-meshconf-absent (ffmpeg exited with code 1: ", source.Problem, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", source.Problem, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => source.Starts >= 2, Patience, () => $"{source.Starts} starts");
        Assert.Equal(0, source.FramesRead);
        Assert.False(source.TryCapture(new byte[320 * 240 * 3], out _, out _));
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_no_ffmpeg_at_the_path_When_started_Then_lost_with_the_reason_and_no_exception()
    {
        using var source = new FfmpegFrameSource("/nonexistent/meshconf/ffmpeg", FfmpegInput.File("clip.mkv"), 15, TimeProvider.System);

        await Eventually.TrueAsync(() => source.State == VideoSourceState.Lost, Patience, () => $"state {source.State}");
        Assert.StartsWith("file lost: clip.mkv (cannot start ffmpeg: ", source.Problem, StringComparison.Ordinal);
        Assert.Null(source.ProcessId);
        Assert.False(source.TryCapture(new byte[320 * 240 * 3], out _, out _));
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_running_source_When_disposed_Then_its_ffmpeg_is_gone()
    {
        using var clip = TestClip.Make();
        var source = new FfmpegFrameSource(clip.Ffmpeg, FfmpegInput.File(clip.Path), 15, TimeProvider.System, 64, 48);
        await Eventually.TrueAsync(() => source.ProcessId is not null && source.FramesRead > 0, Patience, () => $"not running: {source.Problem}");
        var pid = source.ProcessId!.Value;

        source.Dispose();

        Assert.Null(source.ProcessId);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        Assert.Equal(VideoSourceState.Live, source.State); // stopping is not a loss
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_frames_flowing_When_captured_Then_capturing_allocates_nothing()
    {
        using var clip = TestClip.Make();
        using var source = new FfmpegFrameSource(clip.Ffmpeg, FfmpegInput.File(clip.Path), 15, TimeProvider.System, 160, 120);
        var rgb = new byte[160 * 120 * 3];
        await Eventually.TrueAsync(() => source.TryCapture(rgb, out _, out _), Patience, () => $"no frame: {source.Problem}");

        long allocated = 0;
        var captured = 0;
        var deadline = Stopwatch.StartNew();
        while (captured < 10 && deadline.Elapsed < Patience)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var got = source.TryCapture(rgb, out _, out _);
            var probe = source.Width + source.Height + (int)source.State + (source.Problem?.Length ?? 0);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            captured += got && probe > 0 ? 1 : 0;
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.Equal(10, captured);
        Assert.Equal(0, allocated);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_frames_flowing_When_read_from_ffmpeg_Then_the_reader_thread_allocates_nothing_per_frame()
    {
        using var clip = TestClip.Make();
        using var source = new FfmpegFrameSource(clip.Ffmpeg, FfmpegInput.File(clip.Path), 15, TimeProvider.System, 160, 120);
        await Eventually.TrueAsync(() => source.FramesRead >= 5, Patience, () => $"{source.FramesRead} frames: {source.Problem}");

        // Windows of 20 frames, a pass through the clip's end (ffmpeg rewinds; our reader just reads on) among
        // them. An allocation per frame shows in every window; the runtime's own one-off work on the thread (a
        // method recompiled at its next tier, seen as 56 B on a loaded machine) in one at most, so the best of
        // three windows must be 0.
        var windows = new List<long>();
        for (var window = 0; window < 3 && (windows.Count == 0 || windows[^1] != 0); window++)
        {
            var frames = source.FramesRead;
            var allocated = source.ReaderAllocatedBytes;
            Assert.NotNull(allocated);
            await Eventually.TrueAsync(() => source.FramesRead >= frames + 20, Patience, () => $"{source.FramesRead} frames: {source.Problem}");
            windows.Add(source.ReaderAllocatedBytes!.Value - allocated.Value);
        }

        Assert.Equal(1, source.Starts);
        Assert.True(windows[^1] == 0, $"bytes allocated by the reader per 20 frames, window by window: {string.Join(", ", windows)}");
    }

    private static int DistinctColours(byte[] rgb)
    {
        var colours = new HashSet<int>();
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            colours.Add((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
        }

        return colours.Count;
    }
}
