using System.Numerics;
using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class RoundingDivisorTests
{
    [Fact]
    public void Given_every_count_up_to_128_and_every_sum_Then_round_is_the_rounded_quotient()
    {
        for (var n = 1; n <= 128; n++)
        {
            var divisor = new RoundingDivisor(n);
            for (long sum = 0; sum <= 255L * n; sum++)
            {
                Assert.Equal((int)((sum + (n / 2)) / n), divisor.Round(sum));
            }
        }
    }

    [Theory]
    [InlineData(76_800)]
    [InlineData((1 << 22) - 1)]
    [InlineData(1 << 22)]
    [InlineData(8_294_400)]
    public void Given_a_large_count_Then_sums_near_each_quotient_step_round_exactly(int n)
    {
        var divisor = new RoundingDivisor(n);
        for (long q = 0; q <= 255; q++)
        {
            // The sums where the rounded quotient steps, and the largest allowed sum.
            foreach (var sum in new[] { (q * n) - (n / 2) - 1, (q * n) - (n / 2), (q * n) + ((n - 1) / 2), Math.Min(255L * n, (q * n) + ((n - 1) / 2) + 1) })
            {
                if (sum >= 0 && sum <= 255L * n)
                {
                    Assert.Equal((int)((sum + (n / 2)) / n), divisor.Round(sum));
                }
            }
        }
    }

    [Fact]
    public void Given_every_count_up_to_256_and_every_sum_Then_the_32_bit_form_is_the_rounded_quotient()
    {
        var wrong = 0;
        for (var n = 1; n <= RoundingDivisor.MaxNarrowCount; n++)
        {
            var divisor = new RoundingDivisor(n);
            Assert.True(divisor.IsNarrow);
            for (uint sum = 0; sum <= 255u * (uint)n; sum++)
            {
                wrong += divisor.RoundNarrow(sum) == (sum + ((uint)n / 2)) / (uint)n ? 0 : 1;
            }
        }

        Assert.Equal(0, wrong);
        Assert.False(new RoundingDivisor(RoundingDivisor.MaxNarrowCount + 1).IsNarrow);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(200)]
    [InlineData(255)]
    [InlineData(256)]
    public void Given_vectors_of_sums_Then_every_lane_rounds_as_the_scalar_form(int n)
    {
        var divisor = new RoundingDivisor(n);
        var wideLanes = new uint[Vector<uint>.Count];
        var narrowLanes = new ushort[Vector<ushort>.Count];
        for (var start = 0; start <= 255 * n; start += Vector<ushort>.Count)
        {
            for (var lane = 0; lane < narrowLanes.Length; lane++)
            {
                narrowLanes[lane] = (ushort)Math.Min(255 * n, start + lane);
            }

            for (var lane = 0; lane < wideLanes.Length; lane++)
            {
                wideLanes[lane] = narrowLanes[lane];
            }

            var wide = divisor.RoundNarrow(new Vector<uint>(wideLanes));
            var narrow = divisor.RoundNarrow(new Vector<ushort>(narrowLanes));
            for (var lane = 0; lane < narrowLanes.Length; lane++)
            {
                Assert.Equal(divisor.RoundNarrow(narrowLanes[lane]), narrow[lane]);
            }

            for (var lane = 0; lane < wideLanes.Length; lane++)
            {
                Assert.Equal(divisor.RoundNarrow(wideLanes[lane]), wide[lane]);
            }
        }
    }
}
