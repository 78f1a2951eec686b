using MeshConf.Core.Audio;
using MeshConf.Interop.Native;
using MeshConf.Interop.PortAudio;
using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.PortAudio;

[Collection(PortAudioCollection.Name)]
public sealed class PortAudioTests
{
    private const int Rate = 48000;
    private const int Block = 960;

    public PortAudioTests(PulseAudioFixture pulse)
    {
        SystemPiece.RequireLibrary(NativeDependency.PortAudio);
        pulse.Require();
    }

    [Fact]
    public void Version_text_names_PortAudio()
    {
        Assert.StartsWith("PortAudio V19", PortAudioSession.VersionText, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_PulseAudio_server_When_listing_devices_Then_the_pulse_device_captures_and_plays()
    {
        using var session = new PortAudioSession();

        var devices = session.GetDevices();

        var pulse = Assert.Single(devices, d => d.Name == "pulse");
        Assert.Equal("ALSA", pulse.HostApi);
        Assert.True(pulse.CanCapture && pulse.CanPlay);
        Assert.True(pulse.DefaultSampleRate > 0);
        Assert.NotNull(session.DefaultInput);
        Assert.NotNull(session.DefaultOutput);
        Assert.Equal(pulse, session.FindDevice("pulse", capture: true));
        Assert.Equal(pulse, session.FindDevice(pulse.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), capture: false));
        Assert.Null(session.FindDevice("no such device anywhere", capture: true));
    }

    [Fact]
    public void Given_a_null_sink_loopback_When_a_tone_is_played_Then_the_same_tone_is_captured()
    {
        using var session = new PortAudioSession();
        var pulse = session.FindDevice("pulse", capture: false)!;
        var options = new AudioStreamOptions(Device: pulse.Index, SampleRate: Rate, FramesPerBuffer: Block, SuggestedLatencySeconds: 0.05);
        using var output = session.OpenOutput(options);
        using var input = session.OpenInput(options);
        var captured = new short[Rate * 4];
        using var stop = new CancellationTokenSource();

        // Play on a device thread while this thread captures, the way the node's pipelines will.
        var player = new Thread(() =>
        {
            var tone = new SineOscillator(1000, 0.5, Rate);
            var block = new short[Block];
            while (!stop.IsCancellationRequested)
            {
                tone.Fill(block);
                output.Write(block);
            }
        });
        player.Start();
        try
        {
            for (var offset = 0; offset < captured.Length; offset += Block)
            {
                input.Read(captured.AsSpan(offset, Block));
            }
        }
        finally
        {
            stop.Cancel();
            player.Join();
        }

        // The first read can stall while PulseAudio warms up; judge the last second.
        var lastSecond = captured.AsSpan(captured.Length - Rate);
        var atTone = SignalMetrics.ToneAmplitude(lastSecond, 1000, Rate);
        var offTone = SignalMetrics.ToneAmplitude(lastSecond, 1500, Rate);
        Assert.InRange(atTone, 0.5 * 32767 * 0.7, 0.5 * 32767 * 1.3);
        Assert.True(offTone < atTone / 20, $"1 kHz at {atTone:F0}, 1.5 kHz at {offTone:F0}");
        Assert.Equal(Rate, input.SampleRate);
        Assert.True(input.InputLatencySeconds > 0);
    }

    [Fact]
    public void Given_a_float_stream_When_reading_int16_Then_the_mismatch_is_an_argument_error()
    {
        using var session = new PortAudioSession();
        var pulse = session.FindDevice("pulse", capture: true)!;
        using var input = session.OpenInput(new AudioStreamOptions(Device: pulse.Index, Format: AudioSampleFormat.PcmFloat));

        Assert.Throws<ArgumentException>(() => input.Read(new short[Block]));
        var block = new float[Block];
        input.Read(block);
    }

    [Fact]
    public void Given_a_playback_stream_fed_late_When_writing_Then_the_underflow_is_counted_not_thrown()
    {
        using var session = new PortAudioSession();
        var pulse = session.FindDevice("pulse", capture: false)!;
        using var output = session.OpenOutput(new AudioStreamOptions(Device: pulse.Index, FramesPerBuffer: 256, SuggestedLatencySeconds: 0.01));
        var block = new short[256];
        var log = new List<string>();
        var underflowSeen = false;
        for (var i = 0; i < 6 && !underflowSeen; i++)
        {
            underflowSeen = !output.Write(block);
            Thread.Sleep(500);
            log.Add($"write {i} underflow={underflowSeen} writable={output.FramesWritable}");
        }

        Assert.True(underflowSeen, string.Join("; ", log));
        Assert.True(output.Underflows >= 1);
    }

    [Fact]
    public void Given_an_invalid_device_When_opening_Then_a_PortAudioException_names_Pa_OpenStream_or_the_lookup()
    {
        using var session = new PortAudioSession();

        var error = Assert.ThrowsAny<PortAudioException>(() => session.OpenOutput(new AudioStreamOptions(Device: 10_000)));

        Assert.Equal(-9996, error.Code);
        Assert.Contains("Invalid device", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
