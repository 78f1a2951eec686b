using System.Text.Json;
using MeshConf.Core.Audio;

namespace MeshConf.Cli.Tests;

/// <summary>
/// How well what a node heard matches the speech another node said: alignment against the looping source,
/// correlation over 1 s windows, and the silent gaps a call added.
/// </summary>
internal static class SpeechMatch
{
    /// <summary>Runs of at least <paramref name="minSamples"/> whose 5 ms windows all sit below -50 dBFS.</summary>
    public static List<(int Start, int Length)> SilentGaps(ReadOnlySpan<short> samples, int minSamples)
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

    public static JsonElement? AudioOf(JsonElement stats, string peer) => HeadlessNodes.PeerOf(stats, peer, "audio_packets_in");

    /// <summary>
    /// Where in the (looping) source a stretch of the output came from, and how well it matches there: a coarse
    /// search over every offset on 16x decimated signals, then a fine search at full rate around the best.
    /// </summary>
    public static (double Correlation, int SourceOffset) Align(short[] source, short[] heard, int skipSeconds, int seconds)
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
    /// The mean correlation of windows of the output with the source (1 s, or <paramref name="window"/> samples at
    /// 48 kHz), each window aligned on its own within
    /// ±40 ms of where the whole stretch aligned: the jitter buffer may drop or insert a frame to steer its delay,
    /// which shifts what follows without changing it. Windows where the source is silent say nothing and are skipped.
    /// </summary>
    public static double WindowedCorrelation(short[] source, short[] heard, int offset, int skipSeconds, int seconds, int window = 48_000)
    {
        const int Slack = 1_920;
        var total = 0.0;
        var counted = 0;
        for (var w = 0; w < seconds * 48_000 / window; w++)
        {
            var at = (skipSeconds * 48_000) + (w * window);
            var expected = (offset + at) % source.Length;
            if (SignalMetrics.RmsDbfs(Looped(source, expected, window)) < -40)
            {
                continue;
            }

            var heardWindow = ToDouble(heard.AsSpan(at, window));
            double At(int lag) => Correlate(heardWindow, ToDouble(Looped(source, ((expected + lag) % source.Length + source.Length) % source.Length, window)));
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

    public static short[] Looped(short[] source, int start, int length)
    {
        var result = new short[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = source[(start + i) % source.Length];
        }

        return result;
    }

    public static double[] Decimate(ReadOnlySpan<short> samples, int factor)
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

    public static double[] ToDouble(ReadOnlySpan<short> samples)
    {
        var result = new double[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            result[i] = samples[i];
        }

        return result;
    }

    public static double Correlate(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
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
}
