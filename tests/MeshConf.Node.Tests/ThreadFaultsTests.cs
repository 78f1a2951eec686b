using MeshConf.Core.Video;
using MeshConf.Node.Audio;
using MeshConf.Node.Tests.Mesh;
using MeshConf.Node.Video;
using MeshConf.Node.Voice;

namespace MeshConf.Node.Tests;

/// <summary>
/// A bug on one of the call's threads is handed to <see cref="ThreadFaults"/> (and from there ends the call in
/// order) instead of ending the process: a fault injected into each long-running loop arrives, named.
/// </summary>
public sealed class ThreadFaultsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Given_a_thread_that_throws_When_started_guarded_Then_its_fault_is_reported_once_with_its_name()
    {
        var faults = new ThreadFaults();
        var reported = new List<ThreadFault>();
        var arrived = new TaskCompletionSource<ThreadFault>(TaskCreationOptions.RunContinuationsAsynchronously);
        faults.Faulted += fault =>
        {
            lock (reported)
            {
                reported.Add(fault);
            }

            arrived.TrySetResult(fault);
        };

        var thread = faults.Start("meshconf-video-capture", () => throw new InvalidOperationException("boom\nsecond line"));
        var first = await arrived.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.True(thread.Join(Patience));

        Assert.Single(reported);
        Assert.Equal("meshconf-video-capture", first.Thread);
        Assert.Same(first, faults.First);
        Assert.Equal("video failed (meshconf-video-capture): InvalidOperationException: boom", first.Describe());
    }

    [Fact]
    public void Given_no_handler_When_a_guarded_body_throws_Then_the_exception_goes_on_as_it_would_have()
    {
        var faults = new ThreadFaults();
        var thrown = Assert.Throws<InvalidOperationException>(() => faults.Run("meshconf-render", () => throw new InvalidOperationException("unwatched")));
        Assert.Equal("unwatched", thrown.Message);
        Assert.Equal("meshconf-render", faults.First?.Thread);
    }

    [Fact]
    public void Given_a_body_that_returns_Then_nothing_is_reported()
    {
        var faults = new ThreadFaults();
        faults.Faulted += _ => Assert.Fail("no fault expected");
        faults.Run("meshconf-keys", () => { });
        Assert.Null(faults.First);
    }

    [Fact]
    public async Task Given_a_microphone_that_throws_When_the_voice_call_runs_Then_the_capture_loop_reports_it_and_the_call_still_stops()
    {
        using var node = new MeshTestNode("a");
        var faults = new ThreadFaults();
        var arrived = Watch(faults);
        var voice = new VoiceCall(node.Node, new ThrowingInput(), new NullAudioOutput(Frame, TimeProvider.System), processor: null,
            new VoiceOptions { FrameSamples = Frame }, TimeProvider.System, faults);
        voice.Start();

        var fault = await arrived.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal("meshconf-audio-capture", fault.Thread);
        Assert.IsType<IOException>(fault.Exception);
        voice.Dispose();
    }

    [Fact]
    public async Task Given_a_speaker_that_throws_When_the_voice_call_runs_Then_the_playout_loop_reports_it()
    {
        using var node = new MeshTestNode("a");
        var faults = new ThreadFaults();
        var arrived = Watch(faults);
        var voice = new VoiceCall(node.Node, input: null, new ThrowingOutput(), processor: null,
            new VoiceOptions { FrameSamples = Frame }, TimeProvider.System, faults);
        voice.Start();

        var fault = await arrived.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal("meshconf-audio-playout", fault.Thread);
        voice.Dispose();
    }

    [Fact]
    public async Task Given_a_frame_source_that_throws_When_the_video_sender_runs_Then_the_capture_loop_reports_it()
    {
        using var node = new MeshTestNode("a");
        var faults = new ThreadFaults();
        var arrived = Watch(faults);
        using var sender = new VideoSender(node.Node, new ThrowingFrameSource(), 15, TimeProvider.System, faults: faults);
        sender.Start();

        var fault = await arrived.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal("meshconf-video-capture", fault.Thread);
    }

    private const int Frame = 960;

    private static Task<ThreadFault> Watch(ThreadFaults faults)
    {
        var arrived = new TaskCompletionSource<ThreadFault>(TaskCreationOptions.RunContinuationsAsynchronously);
        faults.Faulted += fault => arrived.TrySetResult(fault);
        return arrived.Task;
    }

    private sealed class ThrowingInput : IAudioInput
    {
        public int FrameSamples => Frame;

        public bool IsDevice => false;

        public string Description => "a microphone that breaks";

        public long Errors => 0;

        public string? Problem => null;

        public bool Read(Span<float> frame) => throw new IOException("the microphone broke");

        public void Dispose()
        {
        }
    }

    // A speaker that breaks (the playout loop writes to any output but none, even with no peer).
    private sealed class ThrowingOutput : IAudioOutput
    {
        public int FrameSamples => Frame;

        public bool IsDevice => true;

        public string Description => "a speaker that breaks";

        public long Errors => 0;

        public string? Problem => null;

        public void Write(ReadOnlySpan<float> frame) => throw new IOException("the speaker broke");

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingFrameSource : IFrameSource
    {
        public int Width => 160;

        public int Height => 120;

        public VideoSourceState State => VideoSourceState.Live;

        public string? Problem => null;

        public void RequestSize(int width, int height)
        {
        }

        public bool TryCapture(Span<byte> rgb, out int width, out int height) => throw new InvalidOperationException("the camera broke");

        public void Dispose()
        {
        }
    }
}
