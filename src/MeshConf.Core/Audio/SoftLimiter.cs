using System.Numerics;
using System.Runtime.InteropServices;

namespace MeshConf.Core.Audio;

/// <summary>
/// The mixer's output stage: a memoryless soft-knee limiter. Below <see cref="Knee"/> (-6 dBFS) samples pass
/// unchanged; above it the excess x (in units of the room left, 1 - knee) is bent by
/// f(x) = x (27 + x²) / (27 + 9 x²), the (3,2) Padé approximant of tanh: slope 1 at the knee (no corner to
/// hear), rising monotonically (f'(x) = 9 (x² - 9)² / (27 + 9 x²)²) to exactly full scale at x = 3, where its
/// slope reaches 0 and it stays. So any sum, of any number of peers at any volume, comes out within ±1.0:
/// loud overlaps are compressed, never wrapped around; sums of twice full scale and more are held at it.
/// Unlike tanh itself it costs a few multiplications, and vectorises.
/// </summary>
internal static class SoftLimiter
{
    /// <summary>Where the curve starts to bend, as a fraction of full scale (-6 dBFS).</summary>
    public const float Knee = 0.5f;

    private const float Room = 1 - Knee;

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

        var t = MathF.Min((magnitude - Knee) / Room, 3f);
        var t2 = t * t;
        var bent = Knee + (Room * MathF.Min(1f, t * (27 + t2) / (27 + (9 * t2))));
        return x > 0 ? bent : -bent;
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
            var inputs = MemoryMarshal.Cast<float, Vector<float>>(input);
            var outputs = MemoryMarshal.Cast<float, Vector<float>>(output);
            var knee = new Vector<float>(Knee);
            var room = new Vector<float>(Room);
            var three = new Vector<float>(3f);
            var nine = new Vector<float>(9f);
            var twentySeven = new Vector<float>(27f);
            var above = Vector<int>.Zero;
            for (var v = 0; v < inputs.Length; v++)
            {
                var x = inputs[v];
                var magnitude = Vector.Abs(x);
                var bend = Vector.GreaterThan(magnitude, knee);
                if (bend == Vector<int>.Zero && Vector.EqualsAll(x, x))
                {
                    // Most vectors lie wholly below the knee and pass as they are.
                    outputs[v] = x;
                    continue;
                }

                var t = Vector.Min((magnitude - knee) / room, three);
                var t2 = t * t;
                var bent = knee + (room * Vector.Min(Vector<float>.One, t * (twentySeven + t2) / (twentySeven + (nine * t2))));
                var limitedMagnitude = Vector.ConditionalSelect(bend, bent, magnitude);
                var signed = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -limitedMagnitude, limitedMagnitude);
                // NaN, the one value unequal to itself, becomes silence.
                outputs[v] = Vector.ConditionalSelect(Vector.Equals(x, x), signed, Vector<float>.Zero);
                above -= bend;
            }

            limited = Vector.Sum(above);
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
