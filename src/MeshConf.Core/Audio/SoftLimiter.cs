using System.Numerics;
using System.Runtime.InteropServices;

namespace MeshConf.Core.Audio;

/// <summary>
/// The mixer's output stage: a memoryless soft-knee limiter. Below <see cref="Knee"/> (-6 dBFS) samples pass
/// unchanged; above it the excess is bent by tanh, which leaves the knee with slope 1 (no corner to hear) and
/// approaches full scale without reaching past it. So any sum, of any number of peers at any volume, comes out
/// within ±1.0: loud overlaps are compressed, never wrapped around or hard-clipped.
/// </summary>
internal static class SoftLimiter
{
    /// <summary>Where the curve starts to bend, as a fraction of full scale (-6 dBFS).</summary>
    public const float Knee = 0.5f;

    private const float Range = 1 - Knee;

    /// <summary>One sample through the curve. NaN comes out as silence.</summary>
    public static float Apply(float x)
    {
        var magnitude = MathF.Abs(x);
        if (magnitude <= Knee)
        {
            return x;
        }

        if (float.IsNaN(x))
        {
            return 0;
        }

        var bent = Knee + (Range * MathF.Tanh((magnitude - Knee) / Range));
        return MathF.Min(1f, bent) * MathF.Sign(x);
    }

    /// <summary>
    /// Limits <paramref name="input"/> into <paramref name="output"/> (the same length; they may be the same
    /// span) and returns how many samples were above the knee.
    /// </summary>
    public static int Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length != input.Length)
        {
            throw new ArgumentException("input and output differ in length", nameof(output));
        }

        var limited = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && input.Length >= Vector<float>.Count)
        {
            // Most samples sit below the knee: whole vectors of them are copied as they are.
            var inputs = MemoryMarshal.Cast<float, Vector<float>>(input);
            var outputs = MemoryMarshal.Cast<float, Vector<float>>(output);
            var knee = new Vector<float>(Knee);
            for (var v = 0; v < inputs.Length; v++)
            {
                var vector = inputs[v];
                if (Vector.LessThanOrEqualAll(Vector.Abs(vector), knee))
                {
                    outputs[v] = vector;
                    continue;
                }

                for (var k = v * Vector<float>.Count; k < (v + 1) * Vector<float>.Count; k++)
                {
                    limited += MathF.Abs(input[k]) > Knee ? 1 : 0;
                    output[k] = Apply(input[k]);
                }
            }

            i = inputs.Length * Vector<float>.Count;
        }

        for (; i < input.Length; i++)
        {
            limited += MathF.Abs(input[i]) > Knee ? 1 : 0;
            output[i] = Apply(input[i]);
        }

        return limited;
    }
}
