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
        using var files = new TempFiles("meshconf-audio-");
        var speech = SpeechSample.Get();
        var source = files.Path("speech.wav");
        WaveFile.Write(source, speech);
        var output = files.Path("out.wav");

        using var nodes = new HeadlessNodes();
        var a = nodes.Start("voice", "a", nodes.NewConfigDir(), ["--audio", "file:" + source]);
        var port = await HeadlessNodes.PortAsync(a, Startup);
        var b = nodes.Start("voice", "b", nodes.NewConfigDir(), ["--peer", $"127.0.0.1:{port}", "--audio-out", "file:" + output]);
        var idA = HeadlessNodes.Id(await a.WaitForEventAsync("ready", Startup));

        var stats = await b.WaitForEventAsync("stats", Startup, line => SpeechMatch.AudioOf(line, idA) is { } v && v.GetProperty("audio_packets_in").GetInt64() > 400);
        var peer = SpeechMatch.AudioOf(stats, idA)!.Value;
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
        var (whole, offset) = SpeechMatch.Align(speech.Samples, heard.Samples, skipSeconds: 2, seconds: 5);
        // 0.25 s windows, as the three-node call measures: a 20 ms step of the adaptive jitter buffer on a busy
        // machine inside a 1 s window halves that window's score (0.87 seen once in CI with nothing lost).
        var correlation = SpeechMatch.WindowedCorrelation(speech.Samples, heard.Samples, offset, skipSeconds: 2, seconds: 5, window: 12_000);
        TestContext.Current.TestOutputHelper?.WriteLine($"peak normalised cross-correlation {correlation:0.000} (0.25 s windows; {whole:0.000} over 5 s at one lag), source offset {offset}");
        Assert.True(correlation >= 0.9, $"correlation {correlation:0.000} (over 5 s at one lag: {whole:0.000})");
    }

    [Fact(Timeout = 180_000)]
    public async Task Given_a_link_losing_10_percent_When_speech_goes_through_Then_fec_recovers_and_no_silent_gap_over_60_ms_appears()
    {
        using var files = new TempFiles("meshconf-audio-");
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

        var stats = await b.WaitForEventAsync("stats", TimeSpan.FromSeconds(60), line => SpeechMatch.AudioOf(line, idA) is { } v && v.GetProperty("audio_packets_in").GetInt64() > 400);
        var peer = SpeechMatch.AudioOf(stats, idA)!.Value;
        TestContext.Current.TestOutputHelper?.WriteLine(peer.GetRawText());
        Assert.True(peer.GetProperty("audio_lost").GetInt64() > 0, "the relay lost nothing?");
        Assert.True(peer.GetProperty("audio_fec_recovered").GetInt64() > 0, peer.GetRawText());

        var heard = WaveFile.Read(output);
        var (correlation, offset) = SpeechMatch.Align(speech.Samples, heard.Samples, skipSeconds: 2, seconds: 5);
        TestContext.Current.TestOutputHelper?.WriteLine($"correlation through 10% loss {correlation:0.000}");
        var start = 2 * 48_000;
        var gaps = SpeechMatch.SilentGaps(heard.Samples.AsSpan(start, 5 * 48_000), minSamples: (60 * 48) + 1);
        foreach (var (gapStart, gapLength) in gaps)
        {
            // What the call added is the output's silence beyond the source's own there: a pause in the speech may
            // come out longer (its first lost packet reads as the end of a spurt), but by no more than 60 ms. The
            // source is searched ±40 ms around the aligned spot: the jitter buffer moves playout by whole frames.
            const int Slack = 40 * 48;
            var sourceStart = (offset + start + gapStart - Slack) % speech.Samples.Length;
            var around = SpeechMatch.Looped(speech.Samples, (sourceStart + speech.Samples.Length) % speech.Samples.Length, gapLength + (2 * Slack));
            var ownSilence = SpeechMatch.SilentGaps(around, minSamples: 1).Select(g => g.Length).DefaultIfEmpty(0).Max();
            TestContext.Current.TestOutputHelper?.WriteLine($"silent gap of {gapLength / 48} ms at {gapStart / 48} ms; the source's own silence there: {ownSilence / 48} ms");
            Assert.True(gapLength - ownSilence <= 60 * 48,
                $"a {gapLength / 48} ms silent gap at {gapStart / 48} ms where the source is silent for only {ownSilence / 48} ms");
        }
    }
}
