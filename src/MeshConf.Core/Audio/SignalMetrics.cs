namespace MeshConf.Core.Audio;

/// <summary>Level, tone and similarity measures on mono 16-bit PCM.</summary>
public static class SignalMetrics
{
    /// <summary>Root mean square in sample units (0 to 32768).</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>RMS relative to full scale, in dB (a full-scale square wave is 0 dBFS); silence is -inf.</summary>
    public static double RmsDbfs(ReadOnlySpan<short> samples) => 20 * Math.Log10(Rms(samples) / 32768.0);

    /// <summary>Energy ratio of two signals in dB: positive when <paramref name="before"/> is louder.</summary>
    public static double AttenuationDb(ReadOnlySpan<short> before, ReadOnlySpan<short> after) =>
        20 * Math.Log10(Rms(before) / Math.Max(Rms(after), 1e-9));

    /// <summary>
    /// Amplitude of the <paramref name="frequency"/> component (Goertzel), normalised so a full-scale sine at
    /// exactly that frequency gives about 32768.
    /// </summary>
    public static double ToneAmplitude(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }

    /// <summary>
    /// The highest normalised cross-correlation between <paramref name="reference"/> and
    /// <paramref name="candidate"/> delayed by 0 to <paramref name="maxLag"/> samples, and that lag. 1 means the
    /// candidate is a scaled, delayed copy of the reference over their overlap.
    /// </summary>
    public static (double Correlation, int Lag) PeakCrossCorrelation(ReadOnlySpan<short> reference, ReadOnlySpan<short> candidate, int maxLag)
    {
        var best = double.MinValue;
        var bestLag = 0;
        for (var lag = 0; lag <= maxLag; lag++)
        {
            var n = Math.Min(reference.Length, candidate.Length - lag);
            if (n <= 0)
            {
                break;
            }

            double dot = 0, ea = 0, eb = 0;
            for (var i = 0; i < n; i++)
            {
                double a = reference[i];
                double b = candidate[i + lag];
                dot += a * b;
                ea += a * a;
                eb += b * b;
            }

            var c = ea > 0 && eb > 0 ? dot / Math.Sqrt(ea * eb) : 0;
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }

        return (best == double.MinValue ? 0 : best, bestLag);
    }
}
