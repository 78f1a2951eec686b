using MeshConf.Interop.Native;
using MeshConf.Node.Audio;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Audio;

/// <summary>
/// Real devices through PortAudio and a private PulseAudio: playback goes to the null sink spk, capture comes from
/// its monitor, so what a DeviceAudioOutput plays a DeviceAudioInput hears about 20-80 ms later.
/// </summary>
[Collection(AudioDeviceCollection.Name)]
public sealed class AudioDeviceTests
{
    private const int Frame = AudioFormat.Frame20Ms;
    private const double ToneHz = 1000;

    // -12 dBFS peak, as ToneAudioInput makes it, in 16-bit units.
    private static readonly double ToneAmplitude = 32768 * Math.Pow(10, ToneAudioInput.DefaultLevelDbfs / 20);

    private readonly PulseAudioFixture _pulse;

    public AudioDeviceTests(PulseAudioFixture pulse)
    {
        SystemPiece.RequireLibrary(NativeDependency.PortAudio);
        pulse.Require();
        _pulse = pulse;
    }

    [Fact(Timeout = 60_000)]
    public void Given_a_mic_name_no_device_has_When_created_Then_listening_only_with_a_notice_listing_the_devices()
    {
        var input = AudioIoFactory.System.CreateInput(AudioDeviceSpec.Default, "no such microphone", Frame, TimeProvider.System, out var notice);

        Assert.Null(input);
        Assert.NotNull(notice);
        Assert.StartsWith("microphone 'no such microphone' not found (capture devices: ", notice, StringComparison.Ordinal);
        Assert.Contains(" pulse", notice, StringComparison.Ordinal);
        Assert.EndsWith("): listening only", notice, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public void Given_a_speaker_index_no_device_has_When_created_Then_a_silent_output_with_a_notice()
    {
        using var output = AudioIoFactory.System.CreateOutput(AudioDeviceSpec.Default, "999", Frame, TimeProvider.System, out var notice);

        Assert.IsType<NullAudioOutput>(output);
        Assert.NotNull(notice);
        Assert.StartsWith("speaker '999' not found (playback devices: ", notice, StringComparison.Ordinal);
        Assert.EndsWith("): the call is silent here", notice, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public void Given_no_mic_or_speaker_named_When_created_Then_the_default_devices()
    {
        using var input = AudioIoFactory.System.CreateInput(AudioDeviceSpec.Default, null, Frame, TimeProvider.System, out var inNotice);
        using var output = AudioIoFactory.System.CreateOutput(AudioDeviceSpec.Default, null, Frame, TimeProvider.System, out var outNotice);

        Assert.Null(inNotice);
        Assert.Null(outNotice);
        var mic = Assert.IsType<DeviceAudioInput>(input);
        var speaker = Assert.IsType<DeviceAudioOutput>(output);
        Assert.True(mic.Device.IsDefaultInput);
        Assert.True(speaker.Device.IsDefaultOutput);
        Assert.True(mic.IsDevice && speaker.IsDevice);
        Assert.Equal($"microphone {mic.Device.Name} (ALSA)", mic.Description);
        Assert.True(CaptureProcessor.EchoCancellationByDefault(mic, speaker, noAec: false));
    }

    [Fact(Timeout = 90_000)]
    public async Task Given_a_tone_played_to_the_speaker_When_its_monitor_is_captured_Then_the_tone_is_heard()
    {
        using var output = AudioIoFactory.System.CreateOutput(AudioDeviceSpec.Default, "pulse", Frame, TimeProvider.System, out var outNotice);
        using var input = AudioIoFactory.System.CreateInput(AudioDeviceSpec.Default, "pulse", Frame, TimeProvider.System, out var inNotice);
        Assert.Null(outNotice);
        Assert.Null(inNotice);
        var speaker = Assert.IsType<DeviceAudioOutput>(output);
        var mic = Assert.IsType<DeviceAudioInput>(input!);

        using var player = new TonePlayer(speaker, ToneHz);
        using var recorder = new CaptureRecorder(mic);

        // The first reads can stall while PulseAudio warms up; then two clean seconds.
        await Eventually.TrueAsync(() => recorder.Frames >= 150, TimeSpan.FromSeconds(30), () => $"{recorder.Frames} frames captured");
        await Eventually.TrueAsync(() => recorder.ToneInLastSecond(ToneHz) > ToneAmplitude * 0.7, TimeSpan.FromSeconds(10), () => $"tone at {recorder.ToneInLastSecond(ToneHz):F0}");

        var heard = recorder.ToneInLastSecond(ToneHz);
        var beside = recorder.ToneInLastSecond(1500);
        Assert.InRange(heard, ToneAmplitude * 0.7, ToneAmplitude * 1.3);
        Assert.True(beside < heard / 20, $"1 kHz at {heard:F0}, 1.5 kHz at {beside:F0}");
        Assert.Null(mic.Problem);
        Assert.Null(speaker.Problem);
        Assert.True(mic.IsOpen && speaker.IsOpen);
    }

    [Fact(Timeout = 120_000)]
    public async Task Given_the_sound_server_loses_its_devices_mid_call_When_they_come_back_Then_errors_are_counted_silence_flows_meanwhile_and_audio_returns()
    {
        using var output = AudioIoFactory.System.CreateOutput(AudioDeviceSpec.Default, "pulse", Frame, TimeProvider.System, out _);
        using var input = AudioIoFactory.System.CreateInput(AudioDeviceSpec.Default, "pulse", Frame, TimeProvider.System, out _);
        var speaker = Assert.IsType<DeviceAudioOutput>(output);
        var mic = Assert.IsType<DeviceAudioInput>(input!);
        var log = TestContext.Current.TestOutputHelper!;
        try
        {
            using var player = new TonePlayer(speaker, ToneHz);
            using var recorder = new CaptureRecorder(mic);
            await Eventually.TrueAsync(() => recorder.ToneInLastSecond(ToneHz) > ToneAmplitude * 0.7, TimeSpan.FromSeconds(30), () => $"tone at {recorder.ToneInLastSecond(ToneHz):F0} before the loss");

            // Both sinks gone (with one left, PulseAudio would move the streams to it): every stream dies.
            _pulse.UnloadSink("spk");
            _pulse.UnloadSink("mic");
            await Eventually.TrueAsync(() => mic.Errors > 0 && !mic.IsOpen && speaker.Errors > 0 && !speaker.IsOpen, TimeSpan.FromSeconds(15), () => $"mic errors {mic.Errors} open {mic.IsOpen}, speaker errors {speaker.Errors} open {speaker.IsOpen}");
            log.WriteLine($"lost: mic '{mic.Problem}', speaker '{speaker.Problem}'");

            // Meanwhile the capture loop still gets a frame every 20 ms, of silence.
            var framesAtLoss = recorder.Frames;
            await Eventually.TrueAsync(() => recorder.Frames >= framesAtLoss + 60, TimeSpan.FromSeconds(10), () => $"{recorder.Frames - framesAtLoss} frames since the loss");
            Assert.False(mic.IsOpen);
            Assert.All(recorder.LastSecond(), s => Assert.Equal(0, s));
            Assert.StartsWith("microphone lost: ", mic.Problem, StringComparison.Ordinal);
            Assert.StartsWith("speaker lost: ", speaker.Problem, StringComparison.Ordinal);

            _pulse.LoadSink("mic");
            _pulse.LoadSink("spk");
            await Eventually.TrueAsync(() => mic.IsOpen && speaker.IsOpen && recorder.ToneInLastSecond(ToneHz) > ToneAmplitude * 0.7, TimeSpan.FromSeconds(30), () => $"mic open {mic.IsOpen}, speaker open {speaker.IsOpen}, tone at {recorder.ToneInLastSecond(ToneHz):F0}");
            log.WriteLine($"back after {mic.Errors} microphone and {speaker.Errors} speaker errors");
        }
        finally
        {
            RestoreSinks();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_blocked_device_read_When_disposed_from_another_thread_Then_the_read_ends_and_nothing_crashes()
    {
        using var input = AudioIoFactory.System.CreateInput(AudioDeviceSpec.Default, "pulse", Frame, TimeProvider.System, out _);
        var mic = Assert.IsType<DeviceAudioInput>(input!);
        var recorder = new CaptureRecorder(mic);
        await Eventually.TrueAsync(() => recorder.Frames >= 10, TimeSpan.FromSeconds(30), () => $"{recorder.Frames} frames");

        mic.Dispose();

        var before = recorder.Frames;
        recorder.Stop();
        Assert.False(mic.IsOpen);
        Assert.False(mic.Read(new float[Frame]));
        Assert.InRange(recorder.Frames - before, 0, 1);
    }

    [Fact(Timeout = 60_000)]
    public void Given_running_devices_When_frames_are_read_and_written_Then_nothing_is_allocated()
    {
        using var output = AudioIoFactory.System.CreateOutput(AudioDeviceSpec.Default, "pulse", Frame, TimeProvider.System, out _);
        using var input = AudioIoFactory.System.CreateInput(AudioDeviceSpec.Default, "pulse", Frame, TimeProvider.System, out _);
        var speaker = Assert.IsType<DeviceAudioOutput>(output);
        var mic = Assert.IsType<DeviceAudioInput>(input!);
        var frame = new float[Frame];

        // Past tiered compilation's call counting (30 calls, then a rejit on a background thread), which can
        // allocate a little on the calling thread when a method is promoted.
        for (var i = 0; i < 100; i++)
        {
            speaker.Write(frame);
            mic.Read(frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            speaker.Write(frame);
            mic.Read(frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(mic.IsOpen && speaker.IsOpen);
    }

    private void RestoreSinks()
    {
        var sinks = _pulse.Pactl("list", "short", "sinks");
        foreach (var name in new[] { "mic", "spk" })
        {
            if (!sinks.Split('\n').Any(line => line.Split('\t') is { Length: > 1 } f && f[1] == name))
            {
                _pulse.LoadSink(name);
            }
        }
    }

    /// <summary>A playout thread: a tone (generated without pacing) written to a device, which paces it.</summary>
    private sealed class TonePlayer : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stopping;

        public TonePlayer(IAudioOutput output, double hz)
        {
            var tone = new ToneAudioInput(output.FrameSamples, new FakeClock { AutoAdvance = true }, hz);
            _thread = new Thread(() =>
            {
                var frame = new float[output.FrameSamples];
                while (!_stopping && tone.Read(frame))
                {
                    output.Write(frame);
                }

                tone.Dispose();
            })
            { IsBackground = true, Name = "tone player" };
            _thread.Start();
        }

        public void Dispose()
        {
            _stopping = true;
            _thread.Join(TimeSpan.FromSeconds(10));
        }
    }
}
