using MeshConf.Core.Net;

namespace MeshConf.Core.Tests.Net;

public sealed class ImpairmentProfileTests
{
    [Fact]
    public void Given_None_Then_nothing_is_impaired_and_it_prints_as_none()
    {
        var none = ImpairmentProfile.None;

        Assert.True(none.IsNone);
        Assert.Equal(0, none.LossRate);
        Assert.Equal(TimeSpan.Zero, none.Delay);
        Assert.Equal(TimeSpan.Zero, none.Jitter);
        Assert.Equal(ImpairmentProfile.DefaultReorderGap, none.ReorderGap);
        Assert.Equal(TimeSpan.FromMilliseconds(20), none.ReorderGap);
        Assert.Equal("none", none.ToString());
        Assert.False((none with { DuplicateRate = 0.01 }).IsNone);
        Assert.True((none with { Seed = 9 }).IsNone);
    }

    [Fact]
    public void Given_the_compact_form_When_parsed_Then_every_field_is_set()
    {
        Assert.True(ImpairmentProfile.TryParse("loss=10%,delay=20ms,jitter=30ms,reorder=5%,dup=1%,seed=7", out var profile, out var error), error);

        Assert.Equal(0.10, profile.LossRate);
        Assert.Equal(TimeSpan.FromMilliseconds(20), profile.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(30), profile.Jitter);
        Assert.Equal(0.05, profile.ReorderRate);
        Assert.Equal(ImpairmentProfile.DefaultReorderGap, profile.ReorderGap);
        Assert.Equal(0.01, profile.DuplicateRate);
        Assert.Equal(7, profile.Seed);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(" Loss = 2.5 % , DELAY=1.5s, gap=0ms ", 0.025, 1500.0, 0.0)]
    [InlineData("loss=0.25,delay=250us", 0.25, 0.25, 20.0)]
    [InlineData("loss=1e-3,delay=0.1ms", 0.001, 0.1, 20.0)]
    [InlineData("loss=100%", 1.0, 0.0, 20.0)]
    public void Given_fractions_units_case_and_spaces_When_parsed_Then_they_mean_what_they_say(string text, double loss, double delayMs, double gapMs)
    {
        var profile = ImpairmentProfile.Parse(text);

        Assert.Equal(loss, profile.LossRate, 1e-15);
        Assert.Equal(TimeSpan.FromMilliseconds(delayMs), profile.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(gapMs), profile.ReorderGap);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("none")]
    [InlineData("NONE")]
    [InlineData(null)]
    public void Given_nothing_or_none_When_parsed_Then_it_is_None(string? text)
    {
        Assert.True(ImpairmentProfile.TryParse(text, out var profile, out _));
        Assert.Same(ImpairmentProfile.None, profile);
    }

    [Theory]
    [InlineData("loss=10%,delay=20ms,jitter=30ms,reorder=5%,dup=1%,seed=7")]
    [InlineData("loss=33.333%,jitter=0.0001ms,reorder=0.5%,gap=7.25ms,dup=100%,seed=-42")]
    [InlineData("delay=60000ms,gap=0ms")]
    [InlineData("loss=0.1234567890123%")]
    [InlineData("none")]
    public void Given_a_profile_When_formatted_and_parsed_back_Then_it_is_equal(string text)
    {
        var profile = ImpairmentProfile.Parse(text);

        var formatted = profile.ToString();

        Assert.Equal(text, formatted);
        Assert.Equal(profile, ImpairmentProfile.Parse(formatted));
    }

    [Fact]
    public void Given_awkward_doubles_When_formatted_and_parsed_back_Then_they_are_bit_for_bit_equal()
    {
        var random = new Random(3);
        for (var i = 0; i < 2000; i++)
        {
            var profile = new ImpairmentProfile
            {
                LossRate = random.NextDouble(),
                ReorderRate = random.NextDouble() * 1e-9,
                DuplicateRate = Math.BitIncrement(random.NextDouble() * 0.5),
                Delay = TimeSpan.FromTicks(random.NextInt64(ImpairmentProfile.MaxDuration.Ticks + 1)),
                Jitter = TimeSpan.FromTicks(random.Next(1, 1000)),
                ReorderGap = TimeSpan.FromTicks(random.Next(0, 1000)),
                Seed = random.Next(int.MinValue, int.MaxValue),
            };

            Assert.Equal(profile, ImpairmentProfile.Parse(profile.ToString()));
        }
    }

    [Theory]
    [InlineData("loss10%", "'loss10%' is not key=value (known keys: loss, delay, jitter, reorder, gap, dup, seed)")]
    [InlineData("=5", "'=5' is not key=value")]
    [InlineData("lose=10%", "unknown key 'lose' (known keys: loss, delay, jitter, reorder, gap, dup, seed)")]
    [InlineData("loss=150%", "loss: '150%' is not a rate from 0% to 100% (or a fraction from 0 to 1)")]
    [InlineData("loss=-1%", "loss: '-1%' is not a rate")]
    [InlineData("reorder=1.5", "reorder: '1.5' is not a rate")]
    [InlineData("dup=NaN", "dup: 'NaN' is not a rate")]
    [InlineData("dup=-Infinity", "dup: '-Infinity' is not a rate")]
    [InlineData("loss=ten", "loss: 'ten' is not a rate")]
    [InlineData("delay=20", "delay: '20' needs a unit: us, ms or s (e.g. 20ms)")]
    [InlineData("delay=2h", "delay: '2h' needs a unit")]
    [InlineData("jitter=-5ms", "jitter: '-5ms' is not a duration from 0 to 60s")]
    [InlineData("jitter=61s", "jitter: '61s' is not a duration from 0 to 60s")]
    [InlineData("gap=1e40s", "gap: '1e40s' is not a duration")]
    [InlineData("gap=79228162514264337593543950335s", "gap: '79228162514264337593543950335s' is not a duration")]
    [InlineData("seed=x", "seed: 'x' is not a 32-bit integer")]
    [InlineData("seed=4294967296", "seed: '4294967296' is not a 32-bit integer")]
    [InlineData("loss=1%,LOSS=2%", "'loss' is given twice")]
    [InlineData("loss=10%,", "an empty setting (two commas in a row, or one at the end)")]
    public void Given_bad_text_When_parsed_Then_false_with_a_message_naming_the_part(string text, string expected)
    {
        Assert.False(ImpairmentProfile.TryParse(text, out var profile, out var error));

        Assert.Null(profile);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => ImpairmentProfile.Parse(text));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void Given_out_of_range_values_When_set_Then_ArgumentOutOfRange_names_the_property_and_the_range()
    {
        var loss = Assert.Throws<ArgumentOutOfRangeException>(() => new ImpairmentProfile { LossRate = 1.5 });
        Assert.Equal("LossRate", loss.ParamName);
        Assert.Contains("LossRate must be a fraction from 0 to 1 (0.1 is 10%), not 1.5.", loss.Message, StringComparison.Ordinal);

        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => ImpairmentProfile.None with { DuplicateRate = double.NaN });
        Assert.Equal("DuplicateRate", nan.ParamName);

        var reorder = Assert.Throws<ArgumentOutOfRangeException>(() => new ImpairmentProfile { ReorderRate = -0.01 });
        Assert.Equal("ReorderRate", reorder.ParamName);

        var delay = Assert.Throws<ArgumentOutOfRangeException>(() => new ImpairmentProfile { Delay = TimeSpan.FromMilliseconds(-1) });
        Assert.Equal("Delay", delay.ParamName);
        Assert.Contains("Delay must be from 0 to 60 s, not -1 ms.", delay.Message, StringComparison.Ordinal);

        var jitter = Assert.Throws<ArgumentOutOfRangeException>(() => new ImpairmentProfile { Jitter = TimeSpan.FromMinutes(2) });
        Assert.Equal("Jitter", jitter.ParamName);

        var gap = Assert.Throws<ArgumentOutOfRangeException>(() => new ImpairmentProfile { ReorderGap = TimeSpan.MinValue });
        Assert.Equal("ReorderGap", gap.ParamName);
    }

    [Fact]
    public void Given_the_limits_themselves_When_set_Then_they_are_accepted()
    {
        var profile = new ImpairmentProfile
        {
            LossRate = 1,
            ReorderRate = 0,
            DuplicateRate = 1,
            Delay = ImpairmentProfile.MaxDuration,
            Jitter = TimeSpan.Zero,
            ReorderGap = ImpairmentProfile.MaxDuration,
        };

        Assert.Equal(1, profile.LossRate);
        Assert.Equal(ImpairmentProfile.MaxDuration, profile.ReorderGap);
    }
}
