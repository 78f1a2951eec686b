using MeshConf.Core.Audio;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Audio;

/// <summary>
/// A synthetic echo path for echo-canceller tests: far-end speech (espeak-ng) with a little noise so every
/// frequency is excited, heard back through a room: a delay, then a short FIR response (a direct path and
/// decaying reflections over 25 ms), about 8 dB quieter than what was played, plus near-end noise at -65 dBFS.
/// </summary>
internal sealed class EchoPath
{
    public const int Rate = 48000;

    private EchoPath(float[] farEnd, float[] microphone, float[] echo)
    {
        FarEnd = farEnd;
        Microphone = microphone;
        Echo = echo;
    }

    /// <summary>What the speaker played.</summary>
    public float[] FarEnd { get; }

    /// <summary>What the microphone heard: the echo plus near-end noise.</summary>
    public float[] Microphone { get; }

    /// <summary>The echo alone.</summary>
    public float[] Echo { get; }

    /// <summary>The room's impulse response (without the delay): deterministic.</summary>
    public static double[] RoomResponse()
    {
        var random = new Random(5);
        var taps = new double[Rate * 25 / 1000];
        taps[0] = 0.3;
        taps[7] = -0.12;
        for (var i = 24; i < taps.Length; i++)
        {
            taps[i] = 0.08 * Math.Exp(-i / 250.0) * ((random.NextDouble() * 2) - 1);
        }

        return taps;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int), Lazy<EchoPath>> s_made = new();

    /// <summary>
    /// <paramref name="seconds"/> of audio with the echo <paramref name="delayMs"/> late; made once per process
    /// (the room's convolution takes a second or so) and shared, so callers must not write into it.
    /// </summary>
    public static EchoPath Get(int seconds, int delayMs) =>
        s_made.GetOrAdd((seconds, delayMs), key => new Lazy<EchoPath>(() => Make(key.Item1, key.Item2))).Value;

    private static EchoPath Make(int seconds, int delayMs)
    {
        var speech = SpeechSample.Get().Samples;
        var length = seconds * Rate;
        var random = new Random(11);
        var far = new float[length];
        for (var i = 0; i < length; i++)
        {
            far[i] = (float)((speech[i % speech.Length] / 32768.0) + (((random.NextDouble() * 2) - 1) * 0.01));
        }

        var taps = RoomResponse();
        var delay = delayMs * Rate / 1000;
        var echo = new float[length];
        for (var i = 0; i < length; i++)
        {
            double sum = 0;
            for (var t = 0; t < taps.Length; t++)
            {
                var j = i - delay - t;
                if (j < 0)
                {
                    break;
                }

                if (taps[t] != 0)
                {
                    sum += taps[t] * far[j];
                }
            }

            echo[i] = (float)sum;
        }

        var noise = new Random(23);
        var mic = new float[length];
        for (var i = 0; i < length; i++)
        {
            // -65 dBFS RMS of uniform noise: amplitude * sqrt(1/3) = 10^(-65/20).
            mic[i] = echo[i] + (float)(((noise.NextDouble() * 2) - 1) * 0.00097);
        }

        return new EchoPath(far, mic, echo);
    }

    /// <summary>Echo return loss enhancement in dB: microphone power over residual power, from <paramref name="fromSecond"/> on.</summary>
    public static double ErleDb(ReadOnlySpan<float> microphone, ReadOnlySpan<float> output, int fromSecond)
    {
        double mic = 0, residual = 0;
        for (var i = fromSecond * Rate; i < microphone.Length; i++)
        {
            mic += (double)microphone[i] * microphone[i];
            residual += (double)output[i] * output[i];
        }

        return 10 * Math.Log10(mic / Math.Max(residual, 1e-20));
    }

    /// <summary>The far end's level against the microphone's, dB (how loud the echo is).</summary>
    public double EchoLossDb() => 10 * Math.Log10(Power(FarEnd) / Power(Echo));

    private static double Power(float[] x)
    {
        double sum = 0;
        foreach (var v in x)
        {
            sum += (double)v * v;
        }

        return sum / x.Length;
    }
}
