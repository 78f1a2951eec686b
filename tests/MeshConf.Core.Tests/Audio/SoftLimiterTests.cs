using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

public sealed class SoftLimiterTests
{
    [Fact]
    public void Given_samples_up_to_the_knee_Then_they_pass_unchanged()
    {
        for (var x = -SoftLimiter.Knee; x <= SoftLimiter.Knee; x += 0.001f)
        {
            Assert.Equal(x, SoftLimiter.Apply(x));
        }
    }

    [Fact]
    public void Given_any_sum_Then_the_curve_is_odd_rising_smooth_at_the_knee_and_never_past_full_scale()
    {
        const float H = 1e-3f;
        var previous = SoftLimiter.Apply(-1000f);
        for (var x = -1000f; x <= 1000f; x += 0.01f)
        {
            var y = SoftLimiter.Apply(x);
            Assert.InRange(y, -1f, 1f);
            Assert.True(y >= previous, $"falls at {x}");
            Assert.Equal(-y, SoftLimiter.Apply(-x));
            previous = y;
        }

        // Slope 1 on both sides of the knee: no corner.
        var below = (SoftLimiter.Apply(SoftLimiter.Knee) - SoftLimiter.Apply(SoftLimiter.Knee - H)) / H;
        var above = (SoftLimiter.Apply(SoftLimiter.Knee + H) - SoftLimiter.Apply(SoftLimiter.Knee)) / H;
        Assert.InRange(below, 0.99f, 1.01f);
        Assert.InRange(above, 0.99f, 1.01f);

        // Full scale is approached, not reached early: a sum of 1.0 still has room above it; twice full scale
        // and more are held at it, the curve arriving there flat.
        Assert.InRange(SoftLimiter.Apply(1f), 0.85f, 0.9f);
        Assert.True(SoftLimiter.Apply(1.9f) < 1f);
        Assert.Equal(1f, SoftLimiter.Apply(2f));
        Assert.Equal(1f, SoftLimiter.Apply(8f));
        var slopeBelowTop = (SoftLimiter.Apply(2f) - SoftLimiter.Apply(2f - H)) / H;
        Assert.InRange(slopeBelowTop, 0f, 0.01f);
    }

    [Fact]
    public void Given_values_that_are_not_numbers_Then_they_come_out_as_silence_or_full_scale()
    {
        Assert.Equal(0f, SoftLimiter.Apply(float.NaN));
        Assert.Equal(1f, SoftLimiter.Apply(float.PositiveInfinity));
        Assert.Equal(-1f, SoftLimiter.Apply(float.NegativeInfinity));
        Assert.Equal(1f, SoftLimiter.Apply(float.MaxValue));
    }

    [Theory]
    [InlineData(960)]
    [InlineData(961)]
    [InlineData(7)]
    public void Given_a_block_When_limited_at_once_Then_each_sample_is_as_the_scalar_curve_says_and_the_bent_ones_are_counted(int length)
    {
        var random = new Random(length);
        var input = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * (random.Next(3) == 0 ? 6 : 0.9))).ToArray();
        var output = new float[length];

        var limited = SoftLimiter.Apply(input, output);

        Assert.Equal(input.Select(SoftLimiter.Apply), output);
        Assert.Equal(input.Count(x => MathF.Abs(x) > SoftLimiter.Knee), limited);
        Assert.True(limited > 0);

        // In place gives the same.
        SoftLimiter.Apply(input, input);
        Assert.Equal(output, input);
        Assert.Throws<ArgumentException>(() => SoftLimiter.Apply(new float[4], new float[5]));
    }
}
