using System.Text.Json;
using MeshConf.Core.Audio;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>Speech from a file on one node, written to a file by another, over loopback.</summary>
[Collection(RealTimeAudioCollection.Name)]
public sealed class AudioHeadlessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 120_000)]
    public async Task Given_speech_from_a_file_When_played_into_a_file_at_the_peer_Then_it_correlates_with_no_loss()
    {
        using var files = new TempFiles();
        var speech = SpeechSample.Get();
        var source = files.Path("speech.wav");
        WaveFile.Write(source, speech);
        var output = files.Path("out.wav");

        using var nodes = new HeadlessNodes();
        var a = nodes.Start("voice", "a", nodes.NewConfigDir(), ["--audio", "file:" + source]);
        var port = await HeadlessNodes.PortAsync(a, Startup);
        var b = nodes.Start("voice", "b", nodes.NewConfigDir(), ["--peer", $"127.0.0.1:{port}", "--audio-out", "file:" + output]);
        var idA = HeadlessNodes.Id(await a.WaitForEventAsync("ready", Startup));

        var stats = await b.WaitForEventAsync("stats", Startup, line => AudioOf(line, idA) is { } v && v.GetProperty("audio_packets_in").GetInt64() > 400);
        var peer = AudioOf(stats, idA)!.Value;
        TestContext.Current.TestOutputHelper?.WriteLine(peer.GetRawText());
        TestContext.Current.TestOutputHelper?.WriteLine(stats.GetProperty("node").GetRawText());
        // Nothing lost on a lossless link: a frame may still be concealed when its packet came a moment late
        // (scheduling on a busy machine, before the jitter buffer's target has learned it; one may still be on its
        // way when the stats are taken), but never more than 1% of them.
        var packets = peer.GetProperty("audio_packets_in").GetInt64();
        var late = peer.GetProperty("audio_late").GetInt64();
        Assert.True(peer.GetProperty("audio_lost").GetInt64() <= late + (packets / 100), peer.GetRawText());
        Assert.True(peer.GetProperty("audio_concealed").GetInt64() <= late + (packets / 100), peer.GetRawText());
        Assert.True(stats.GetProperty("node").GetProperty("audio_latency_ms_p50").GetDouble() is > 0 and < 250, stats.GetProperty("node").GetRawText());

        var heard = WaveFile.Read(output);
        var (whole, offset) = Align(speech.Samples, heard.Samples, skipSeconds: 2, seconds: 5);
        var correlation = WindowedCorrelation(speech.Samples, heard.Samples, offset, skipSeconds: 2, seconds: 5);
        TestContext.Current.TestOutputHelper?.WriteLine($"peak normalised cross-correlation {correlation:0.000} (1 s windows; {whole:0.000} over 5 s at one lag), source offset {offset}");
        Assert.True(correlation >= 0.9, $"correlation {correlation:0.000} (over 5 s at one lag: {whole:0.000})");
    }

    [Fact(Timeout = 180_000)]
    public async Task Given_a_link_losing_10_percent_When_speech_goes_through_Then_fec_recovers_and_no_silent_gap_over_60_ms_appears()
    {
        using var files = new TempFiles();
        var speech = SpeechSample.Get();
        var source = files.Path("speech.wav");
        WaveFile.Write(source, speech);
        var output = files.Path("out.wav");

        using var nodes = new HeadlessNodes();
        var a = nodes.Start("lossy", "a", nodes.NewConfigDir(), ["--audio", "file:" + source]);
        var port = await HeadlessNodes.PortAsync(a, Startup);
        using var relay = JsonLinesProcess.Start("dotnet", [MeshConfProcess.DllPath, "relay", "--target", $"127.0.0.1:{port}", "--listen", "0", "--impair", "loss=10%,seed=11", "--impair-back", "loss=10%,seed=12"],
            new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
        var relayPort = System.Net.IPEndPoint.Parse((await relay.WaitForEventAsync("relay_ready", Startup)).GetProperty("listen").GetString()!).Port;
        var b = nodes.Start("lossy", "b", nodes.NewConfigDir(), ["--peer", $"127.0.0.1:{relayPort}", "--audio-out", "file:" + output]);
        var idA = HeadlessNodes.Id(await a.WaitForEventAsync("ready", Startup));

        var stats = await b.WaitForEventAsync("stats", TimeSpan.FromSeconds(60), line => AudioOf(line, idA) is { } v && v.GetProperty("audio_packets_in").GetInt64() > 400);
        var peer = AudioOf(stats, idA)!.Value;
        TestContext.Current.TestOutputHelper?.WriteLine(peer.GetRawText());
        Assert.True(peer.GetProperty("audio_lost").GetInt64() > 0, "the relay lost nothing?");
        Assert.True(peer.GetProperty("audio_fec_recovered").GetInt64() > 0, peer.GetRawText());

        var heard = WaveFile.Read(output);
        var (correlation, offset) = Align(speech.Samples, heard.Samples, skipSeconds: 2, seconds: 5);
        TestContext.Current.TestOutputHelper?.WriteLine($"correlation through 10% loss {correlation:0.000}");
        var start = 2 * 48_000;
        var gaps = SilentGaps(heard.Samples.AsSpan(start, 5 * 48_000), minSamples: (60 * 48) + 1);
        foreach (var (gapStart, gapLength) in gaps)
        {
            // What the call added is the output's silence beyond the source's own there: a pause in the speech may
            // come out longer (its first lost packet reads as the end of a spurt), but by no more than 60 ms. The
            // source is searched ±40 ms around the aligned spot: the jitter buffer moves playout by whole frames.
            const int Slack = 40 * 48;
            var sourceStart = (offset + start + gapStart - Slack) % speech.Samples.Length;
            var around = Looped(speech.Samples, (sourceStart + speech.Samples.Length) % speech.Samples.Length, gapLength + (2 * Slack));
            var ownSilence = SilentGaps(around, minSamples: 1).Select(g => g.Length).DefaultIfEmpty(0).Max();
            TestContext.Current.TestOutputHelper?.WriteLine($"silent gap of {gapLength / 48} ms at {gapStart / 48} ms; the source's own silence there: {ownSilence / 48} ms");
            Assert.True(gapLength - ownSilence <= 60 * 48,
                $"a {gapLength / 48} ms silent gap at {gapStart / 48} ms where the source is silent for only {ownSilence / 48} ms");
        }
    }

    /// <summary>Runs of at least <paramref name="minSamples"/> whose 5 ms windows all sit below -50 dBFS.</summary>
    private static List<(int Start, int Length)> SilentGaps(ReadOnlySpan<short> samples, int minSamples)
    {
        const int Window = 240;
        var gaps = new List<(int, int)>();
        var runStart = -1;
        for (var w = 0; w <= samples.Length; w += Window)
        {
            // Past the last whole window counts as sound, closing a run that reaches the end.
            var quiet = w + Window <= samples.Length && SignalMetrics.RmsDbfs(samples.Slice(w, Window)) < -50;
            if (quiet && runStart < 0)
            {
                runStart = w;
            }
            else if (!quiet && runStart >= 0)
            {
                if (w - runStart >= minSamples)
                {
                    gaps.Add((runStart, w - runStart));
                }

                runStart = -1;
            }
        }

        return gaps;
    }

    private static JsonElement? AudioOf(JsonElement stats, string peer)
    {
        foreach (var p in stats.GetProperty("peers").EnumerateArray())
        {
            if (p.GetProperty("id").GetString() == peer && p.TryGetProperty("audio_packets_in", out _))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>
    /// Where in the (looping) source a stretch of the output came from, and how well it matches there: a coarse
    /// search over every offset on 16x decimated signals, then a fine search at full rate around the best.
    /// </summary>
    private static (double Correlation, int SourceOffset) Align(short[] source, short[] heard, int skipSeconds, int seconds)
    {
        var start = skipSeconds * 48_000;
        var length = seconds * 48_000;
        Assert.True(heard.Length >= start + length, $"only {heard.Length / 48} ms were written");
        var segment = heard.AsSpan(start, length);
        const int Factor = 16;
        var coarseSegment = Decimate(segment, Factor);
        var coarseSource = Decimate(Looped(source, 0, source.Length + length), Factor);
        var best = (Correlation: double.MinValue, Offset: 0);
        for (var lag = 0; lag < source.Length / Factor; lag++)
        {
            var c = Correlate(coarseSegment, coarseSource.AsSpan(lag, coarseSegment.Length));
            if (c > best.Correlation)
            {
                best = (c, lag * Factor);
            }
        }

        var fine = (Correlation: double.MinValue, Offset: 0);
        for (var lag = best.Offset - (2 * Factor); lag <= best.Offset + (2 * Factor); lag++)
        {
            var at = ((lag % source.Length) + source.Length) % source.Length;
            var c = Correlate(ToDouble(segment), ToDouble(Looped(source, at, length)));
            if (c > fine.Correlation)
            {
                fine = (c, at);
            }
        }

        // fine.Offset is where the segment starts in the source; report where output sample 0 would be.
        return (fine.Correlation, ((fine.Offset - start) % source.Length + source.Length) % source.Length);
    }

    /// <summary>
    /// The mean correlation of 1 s windows of the output with the source, each window aligned on its own within
    /// ±40 ms of where the whole stretch aligned: the jitter buffer may drop or insert a frame to steer its delay,
    /// which shifts what follows without changing it. Windows where the source is silent say nothing and are skipped.
    /// </summary>
    private static double WindowedCorrelation(short[] source, short[] heard, int offset, int skipSeconds, int seconds)
    {
        const int Window = 48_000;
        const int Slack = 1_920;
        var total = 0.0;
        var counted = 0;
        for (var w = 0; w < seconds; w++)
        {
            var at = (skipSeconds + w) * Window;
            var expected = (offset + at) % source.Length;
            if (SignalMetrics.RmsDbfs(Looped(source, expected, Window)) < -40)
            {
                continue;
            }

            var heardWindow = ToDouble(heard.AsSpan(at, Window));
            double At(int lag) => Correlate(heardWindow, ToDouble(Looped(source, ((expected + lag) % source.Length + source.Length) % source.Length, Window)));
            var (best, bestLag) = (double.MinValue, 0);
            for (var lag = -Slack; lag <= Slack; lag += 4)
            {
                var c = At(lag);
                (best, bestLag) = c > best ? (c, lag) : (best, bestLag);
            }

            for (var lag = bestLag - 3; lag <= bestLag + 3; lag++)
            {
                best = Math.Max(best, At(lag));
            }

            total += best;
            counted++;
            TestContext.Current.TestOutputHelper?.WriteLine($"WINDOW {w}: {best:0.000} at lag {bestLag}");
        }

        Assert.True(counted > 0, "the source was silent throughout");
        return total / counted;
    }

    private static short[] Looped(short[] source, int start, int length)
    {
        var result = new short[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = source[(start + i) % source.Length];
        }

        return result;
    }

    private static double[] Decimate(ReadOnlySpan<short> samples, int factor)
    {
        var result = new double[samples.Length / factor];
        for (var i = 0; i < result.Length; i++)
        {
            double sum = 0;
            for (var j = 0; j < factor; j++)
            {
                sum += samples[(i * factor) + j];
            }

            result[i] = sum / factor;
        }

        return result;
    }

    private static double[] ToDouble(ReadOnlySpan<short> samples)
    {
        var result = new double[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            result[i] = samples[i];
        }

        return result;
    }

    private static double Correlate(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double dot = 0, ea = 0, eb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            ea += a[i] * a[i];
            eb += b[i] * b[i];
        }

        return ea > 0 && eb > 0 ? dot / Math.Sqrt(ea * eb) : 0;
    }

    private sealed class TempFiles : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("meshconf-audio-");

        public string Path(string name) => System.IO.Path.Combine(_dir.FullName, name);

        public void Dispose() => _dir.Delete(recursive: true);
    }
}
