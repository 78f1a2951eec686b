using System.Text.Json;
using MeshConf.Core.Audio;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>Speech from a file on one node, written to a file by another, over loopback.</summary>
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

        var stats = await b.WaitForEventAsync("stats", Startup, line => AudioOf(line, idA) is { } v && v.GetProperty("audio_packets_in").GetInt64() > 300);
        var peer = AudioOf(stats, idA)!.Value;
        TestContext.Current.TestOutputHelper?.WriteLine(peer.GetRawText());
        TestContext.Current.TestOutputHelper?.WriteLine(stats.GetProperty("node").GetRawText());
        Assert.Equal(0, peer.GetProperty("audio_lost").GetInt64());
        Assert.Equal(0, peer.GetProperty("audio_concealed").GetInt64());
        Assert.True(stats.GetProperty("node").GetProperty("audio_latency_ms_p50").GetDouble() is > 0 and < 150, stats.GetProperty("node").GetRawText());

        var heard = WaveFile.Read(output);
        var (correlation, offset) = Align(speech.Samples, heard.Samples, skipSeconds: 2, seconds: 4);
        TestContext.Current.TestOutputHelper?.WriteLine($"peak normalised cross-correlation {correlation:0.000} at source offset {offset}");
        Assert.True(correlation >= 0.9, $"correlation {correlation:0.000}");
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
