using System.Diagnostics;
using System.Text.Json;
using MeshConf.Core.Audio;
using MeshConf.Interop.Native;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>
/// Two `meshconf join --headless` processes with real audio devices: PortAudio, ALSA's pulse plugin and one private
/// PulseAudio daemon whose sinks stand in for each node's microphone and speaker (TESTBED: PulseAudio null sinks).
/// Speech played into A's microphone must come out of B's speaker, recognisably, and we measure how late.
/// </summary>
/// <remarks>
/// <para>
/// The devices. A null sink <c>probe</c> with two channels carries A's mouth on the left and B's ear on the right:
/// <c>amic</c> and <c>bspk</c> are remap sinks onto its left and right channels. paplay speaks into amic, and A
/// captures amic.monitor; B plays into bspk. One parecord of probe.monitor then holds what entered A's microphone
/// and what left B's speaker on one clock, sample for sample, so the lag between the channels IS the mouth-to-ear
/// delay: two recorders of two sinks would add their start skew (a few ms, unknown per run) to it. aspk (A's
/// speaker) and bmic (B's microphone, silent) are plain null sinks. Each node finds its own pair through
/// PULSE_SOURCE/PULSE_SINK, which libpulse reads for the default devices of the process.
/// </para>
/// <para>
/// The measure: over 8 s of speech, the peak normalised cross-correlation of ear against mouth. B's jitter buffer
/// steers its delay by dropping or repeating whole 20 ms frames, so a single lag for 8 s undersells what was
/// heard: every 100 ms is aligned on its own near the overall lag and the stretch then correlated as a whole, on
/// the speech band (above 200 Hz); the single-lag and full-band figures are printed beside it. The delay is the
/// median of those 100 ms windows' lags.
/// </para>
/// </remarks>
[Collection(RealTimeAudioCollection.Name)]
public sealed class AudioDeviceCallTests
{
    private const int Rate = 48_000;
    private const int StereoBytesPerSecond = Rate * 2 * 2;
    private const int Decimation = 8;
    private const int MaxLagSamples = Rate;
    private const int StretchSamples = 8 * Rate;
    private const int WarmupPackets = 50;

    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 120_000)]
    public async Task Given_two_nodes_on_PulseAudio_devices_When_speech_enters_As_microphone_Then_Bs_speaker_plays_it_correlated_and_the_delay_is_measured()
    {
        var log = TestContext.Current.TestOutputHelper!;
        var ct = TestContext.Current.CancellationToken;
        foreach (var dependency in NativeDependency.All)
        {
            SystemPiece.RequireLibrary(dependency);
        }

        var paplay = SystemPiece.RequireProgram("paplay", "pulseaudio-utils");
        var parecord = SystemPiece.RequireProgram("parecord", "pulseaudio-utils");
        using var pulse = PulseAudioServer.TryStart(out var problem);
        SystemPiece.Require(pulse is not null, problem);
        var speech = SpeechSample.Get();
        using var files = new TempFiles("meshconf-audio-");
        var speechPath = files.Path("speech.wav");
        WaveFile.Write(speechPath, speech);
        var recordingPath = files.Path("probe.wav");
        var clock = Stopwatch.StartNew();

        pulse!.Pactl("load-module", "module-null-sink", "sink_name=probe", "rate=48000", "channels=2", "channel_map=front-left,front-right");
        pulse.Pactl("load-module", "module-remap-sink", "sink_name=amic", "master=probe", "channels=1", "channel_map=mono", "master_channel_map=front-left", "remix=no");
        pulse.Pactl("load-module", "module-remap-sink", "sink_name=bspk", "master=probe", "channels=1", "channel_map=mono", "master_channel_map=front-right", "remix=no");
        pulse.LoadNullSink("aspk");
        pulse.LoadNullSink("bmic");

        // Both devices real, so echo cancellation is on, as users get it.
        string[] devices = ["--audio", "device", "--audio-out", "device", "--mic", "pulse", "--speaker", "pulse"];
        using var nodes = new HeadlessNodes();
        var a = nodes.Start("voice", "a", nodes.NewConfigDir(), devices, NodeEnvironment(pulse, "amic.monitor", "aspk"));
        var port = await HeadlessNodes.PortAsync(a, Startup);
        var b = nodes.Start("voice", "b", nodes.NewConfigDir(), [.. devices, "--peer", $"127.0.0.1:{port}"], NodeEnvironment(pulse, "bmic.monitor", "bspk"));
        var idA = HeadlessNodes.Id(await a.WaitForEventAsync("ready", Startup));
        var idB = HeadlessNodes.Id(await b.WaitForEventAsync("ready", Startup));

        // Warm-up: the first capture reads can stall for seconds; speak only once audio flows both ways.
        await b.WaitForEventAsync("stats", Startup, l => PacketsIn(l, idA) >= WarmupPackets);
        await a.WaitForEventAsync("stats", Startup, l => PacketsIn(l, idB) >= WarmupPackets);
        Assert.Empty(Notices(a).Concat(Notices(b)));
        log.WriteLine($"audio flowing both ways {clock.ElapsedMilliseconds} ms after the daemon started");

        using var recorder = JsonLinesProcess.Start(parecord,
            ["-d", "probe.monitor", "--rate=48000", "--channels=2", "--format=s16le", "--file-format=wav", "--latency-msec=20", recordingPath],
            new Dictionary<string, string>(pulse.Environment));
        await Eventually.TrueAsync(() => RecordedBytes(recordingPath) >= StereoBytesPerSecond / 5, TimeSpan.FromSeconds(10), () => $"parecord wrote {RecordedBytes(recordingPath)} bytes; stderr: {recorder.StandardError}");
        var statsBefore = b.Lines.Count;

        var played = await Task.Run(() => ExternalProgram.Run(paplay, ["-d", "amic", speechPath], new Dictionary<string, string>(pulse.Environment), TimeSpan.FromSeconds(40)), ct);
        Assert.True(played.ExitCode == 0, $"paplay: exit {played.ExitCode}: {played.StandardError}");

        // The speech has all entered the microphone; what is still on its way takes far less than a second.
        var atEnd = RecordedBytes(recordingPath);
        await Eventually.TrueAsync(() => RecordedBytes(recordingPath) >= atEnd + StereoBytesPerSecond, TimeSpan.FromSeconds(10), () => $"parecord stopped growing at {RecordedBytes(recordingPath)} bytes");
        recorder.Signal(JsonLinesProcess.SigInt);
        Assert.True(recorder.WaitForExit(TimeSpan.FromSeconds(10)), "parecord did not stop on SIGINT");
        Assert.True(recorder.ExitCode == 0, $"parecord: exit {recorder.ExitCode}: {recorder.StandardError}");

        // What B's stats said while the speech went through.
        var during = b.Lines.Skip(statsBefore).Where(l => PeerAudio(l, idA) is not null).ToList();
        Assert.NotEmpty(during);
        var last = during[^1];
        var fromA = PeerAudio(last, idA)!.Value;
        var node = last.GetProperty("node");
        log.WriteLine($"B's stats of A: {fromA.GetRawText()}");
        log.WriteLine($"B's node: {node.GetRawText()}");
        var packets = fromA.GetProperty("audio_packets_in").GetInt64();
        var lost = fromA.GetProperty("audio_lost").GetInt64();
        Assert.True(packets >= (long)(speech.Duration.TotalSeconds * 50), $"{packets} packets from A, for {speech.Duration.TotalSeconds:0.0} s of speech");
        Assert.True(lost * 50 <= packets, $"{lost} of {packets} audio packets lost on loopback");
        Assert.Equal(0, fromA.GetProperty("audio_malformed").GetInt64());
        Assert.Contains(during, l => PeerAudio(l, idA)!.Value.GetProperty("speaking").GetBoolean());
        Assert.True(node.TryGetProperty("audio_latency_ms_p50", out var p50) && p50.GetDouble() > 0, node.GetRawText());

        var recording = WaveFile.Read(recordingPath);
        Assert.Equal((Rate, 2), (recording.SampleRate, recording.Channels));
        var mouth = Channel(recording, 0);
        var ear = Channel(recording, 1);
        var onset = Onset(mouth);
        Assert.True(onset >= 0, "no speech entered A's microphone");
        Assert.True(ear.Length >= onset + StretchSamples + MaxLagSamples + (Rate / 10), $"only {ear.Length * 1000 / Rate} ms recorded, speech from {onset * 1000 / Rate} ms");

        Assert.True(SignalMetrics.RmsDbfs(ear.AsSpan(onset, StretchSamples)) > -40, "B's speaker played nothing while A was spoken to (its playout stalled?)");
        var (single, lag) = Align(mouth.AsSpan(onset, StretchSamples), ear.AsSpan(onset));
        var full = Realigned(mouth, ear, onset, lag);
        var band = Realigned(HighPass(mouth), HighPass(ear), onset, lag);
        var delays = band.DelaysMs.Order().ToArray();
        var delayMs = delays[delays.Length / 2];
        log.WriteLine($"speech {speech.Duration.TotalSeconds:0.0} s; over {StretchSamples / Rate} s from its onset, mouth to ear:");
        log.WriteLine($"  at one lag: correlation {single:0.000} at {lag * 1000.0 / Rate:0.0} ms");
        log.WriteLine($"  every 100 ms aligned on its own: correlation {full.Correlation:0.000}, above 200 Hz {band.Correlation:0.000}");
        log.WriteLine($"  delay median {delayMs:0.0} ms, {delays[0]:0.0} to {delays[^1]:0.0} ms over {delays.Length} windows (B's capture-to-playback-write p50 {p50.GetDouble():0.0} ms)");
        log.WriteLine($"  delay track: {string.Join(' ', band.DelaysMs.Select(d => d.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
        log.WriteLine($"test body {clock.ElapsedMilliseconds} ms");
        Assert.True(band.Correlation >= 0.8, $"correlation {band.Correlation:0.000} above 200 Hz ({full.Correlation:0.000} full band)");
        Assert.True(delayMs is > 0 and < 500, $"mouth-to-ear {delayMs:0.0} ms");
    }

    /// <summary>
    /// The daemon, and this node's microphone and speaker. No PULSE_LATENCY_MSEC, as users run it: with
    /// PULSE_LATENCY_MSEC=30 B's speaker stopped for good after its first underruns in about half the runs on a
    /// busy 2-core machine (the playout thread stayed in the blocking write, its stats frozen).
    /// </summary>
    private static Dictionary<string, string> NodeEnvironment(PulseAudioServer pulse, string source, string sink) => new(pulse.Environment)
    {
        ["PULSE_SOURCE"] = source,
        ["PULSE_SINK"] = sink,
    };

    private static IEnumerable<string> Notices(JsonLinesProcess process) =>
        process.Lines.Where(l => l.GetProperty("event").GetString() == "notice").Select(l => l.GetProperty("message").GetString()!);

    private static long PacketsIn(JsonElement stats, string peer) =>
        PeerAudio(stats, peer) is { } audio ? audio.GetProperty("audio_packets_in").GetInt64() : 0;

    private static JsonElement? PeerAudio(JsonElement stats, string peer)
    {
        return stats.GetProperty("event").GetString() == "stats" ? HeadlessNodes.PeerOf(stats, peer, "audio_packets_in") : null;
    }

    private static long RecordedBytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>
    /// The lag (0 to <see cref="MaxLagSamples"/>) at which <paramref name="ear"/> best matches
    /// <paramref name="mouth"/>, and that peak normalised cross-correlation: a coarse search on signals decimated
    /// <see cref="Decimation"/> times, then every sample around its best.
    /// </summary>
    private static (double Correlation, int Lag) Align(ReadOnlySpan<short> mouth, ReadOnlySpan<short> ear)
    {
        var (_, coarse) = SignalMetrics.PeakCrossCorrelation(Decimate(mouth), Decimate(ear[..(mouth.Length + MaxLagSamples)]), MaxLagSamples / Decimation);
        var from = Math.Max(0, (coarse - 1) * Decimation);
        var (correlation, fine) = SignalMetrics.PeakCrossCorrelation(mouth, ear.Slice(from, mouth.Length + (2 * Decimation)), 2 * Decimation);
        return (correlation, from + fine);
    }

    /// <summary>
    /// The stretch cut into 100 ms windows, each aligned on its own within 150 ms of <paramref name="lag"/>, then
    /// correlated as a whole (normalised over all windows together); and the delay of each window that holds
    /// speech. A jitter buffer steering its delay drops or repeats a whole frame, which shifts what follows
    /// without changing it: one lag for the whole stretch would count that as a mismatch.
    /// </summary>
    private static (double Correlation, double[] DelaysMs) Realigned(short[] mouth, short[] ear, int onset, int lag)
    {
        const int Window = Rate / 10;
        const int Slack = 150 * Rate / 1000;
        var from = Math.Max(0, lag - Slack);
        var to = Math.Min(MaxLagSamples, lag + Slack);
        double dot = 0, mouthEnergy = 0, earEnergy = 0;
        var delays = new List<double>();
        for (var start = onset; start + Window <= onset + StretchSamples; start += Window)
        {
            var window = mouth.AsSpan(start, Window);
            var candidate = ear.AsSpan(start + from, Window + (to - from));
            var (_, coarse) = SignalMetrics.PeakCrossCorrelation(Decimate(window), Decimate(candidate), (to - from) / Decimation);
            var near = Math.Clamp((coarse - 1) * Decimation, 0, candidate.Length - Window - (2 * Decimation));
            var (_, fine) = SignalMetrics.PeakCrossCorrelation(window, candidate.Slice(near, Window + (2 * Decimation)), 2 * Decimation);
            var at = from + near + fine;
            var heard = ear.AsSpan(start + at, Window);
            for (var i = 0; i < Window; i++)
            {
                dot += (double)window[i] * heard[i];
                mouthEnergy += (double)window[i] * window[i];
                earEnergy += (double)heard[i] * heard[i];
            }

            if (SignalMetrics.RmsDbfs(window) > -35)
            {
                delays.Add(at * 1000.0 / Rate);
            }
        }

        Assert.True(delays.Count > 0, "no window of the stretch holds speech");
        return (mouthEnergy > 0 && earEnergy > 0 ? dot / Math.Sqrt(mouthEnergy * earEnergy) : 0, [.. delays]);
    }

    /// <summary>
    /// A second-order Butterworth high-pass at 200 Hz (RBJ biquad), applied alike to both sides. Below that the
    /// capture path turns the phase of the voice's lowest partials (speexdsp's echo canceller starts with a DC notch
    /// filter), which a waveform correlation holds against it and an ear does not.
    /// </summary>
    private static short[] HighPass(short[] samples)
    {
        var w0 = 2 * Math.PI * 200 / Rate;
        var alpha = Math.Sin(w0) / (2 * Math.Sqrt(0.5));
        var cos = Math.Cos(w0);
        var a0 = 1 + alpha;
        double b0 = (1 + cos) / 2 / a0, b1 = -(1 + cos) / a0, b2 = (1 + cos) / 2 / a0, a1 = -2 * cos / a0, a2 = (1 - alpha) / a0;
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        var result = new short[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            double x = samples[i];
            var y = (b0 * x) + (b1 * x1) + (b2 * x2) - (a1 * y1) - (a2 * y2);
            (x2, x1, y2, y1) = (x1, x, y1, y);
            result[i] = (short)Math.Clamp(Math.Round(y), short.MinValue, short.MaxValue);
        }

        return result;
    }

    /// <summary>The first sample of the first 10 ms block louder than -40 dBFS, or -1.</summary>
    private static int Onset(short[] samples)
    {
        const int Block = Rate / 100;
        for (var i = 0; i + Block <= samples.Length; i += Block)
        {
            if (SignalMetrics.RmsDbfs(samples.AsSpan(i, Block)) > -40)
            {
                return i;
            }
        }

        return -1;
    }

    private static short[] Channel(PcmAudio audio, int channel)
    {
        var result = new short[audio.FrameCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = audio.Samples[(i * audio.Channels) + channel];
        }

        return result;
    }

    /// <summary>Averages of <see cref="Decimation"/> samples: enough bandwidth (3 kHz) for speech to align on.</summary>
    private static short[] Decimate(ReadOnlySpan<short> samples)
    {
        var result = new short[samples.Length / Decimation];
        for (var i = 0; i < result.Length; i++)
        {
            var sum = 0;
            for (var j = 0; j < Decimation; j++)
            {
                sum += samples[(i * Decimation) + j];
            }

            result[i] = (short)(sum / Decimation);
        }

        return result;
    }
}
