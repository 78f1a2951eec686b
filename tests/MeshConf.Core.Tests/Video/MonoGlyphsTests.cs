using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class MonoGlyphsTests
{
    [Fact]
    public void Given_the_mono_glyph_set_Then_it_is_ordered_by_the_ink_the_atlas_measures_and_starts_with_the_blank()
    {
        var ramp = FrameConverter.MonoRamp;

        Assert.Equal(' ', ramp[0]);
        Assert.Equal(ramp.Length, ramp.Distinct().Count());
        Assert.InRange(ramp.Length, 32, 256);
        for (var i = 1; i < ramp.Length; i++)
        {
            Assert.True(GlyphAtlas.Contains(ramp[i]), $"{ramp[i]} is not in the atlas");
            Assert.True(
                GlyphAtlas.MeanCoverage(ramp[i - 1]) <= GlyphAtlas.MeanCoverage(ramp[i]),
                $"'{ramp[i - 1]}' ({GlyphAtlas.MeanCoverage(ramp[i - 1]):F1}) has more ink than '{ramp[i]}' ({GlyphAtlas.MeanCoverage(ramp[i]):F1})");
        }
    }

    [Fact]
    public void Given_the_mono_glyph_set_Then_it_holds_a_tone_ramp_and_the_glyphs_of_edges()
    {
        foreach (var c in "/\\|-_()',`")
        {
            Assert.Contains(c, FrameConverter.MonoRamp);
        }

        // At least 16 steps of ink from blank to the densest glyph, none more than 8 of 255 apart.
        var means = Enumerable.Range(0, MonoGlyphs.Count).Select(MonoGlyphs.MeanCoverage).Distinct().Order().ToArray();
        Assert.True(means.Length >= 16);
        Assert.All(means.Zip(means.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 0, 8));
    }

    [Fact]
    public void Given_each_glyph_Then_its_samples_are_the_box_means_of_its_atlas_bitmap()
    {
        for (var glyph = 0; glyph < MonoGlyphs.Count; glyph++)
        {
            var bitmap = GlyphAtlas.Bitmap(FrameConverter.MonoRamp[glyph]);
            var pattern = MonoGlyphs.Pattern(glyph);
            for (var s = 0; s < MonoGlyphs.Samples; s++)
            {
                var (sx, sy) = (s % 4, s / 4);
                var sum = 0;
                for (var y = 0; y < 4; y++)
                {
                    sum += bitmap[((4 * sy) + y) * 8 + (2 * sx)] + bitmap[((4 * sy) + y) * 8 + (2 * sx) + 1];
                }

                Assert.Equal((sum + 4) / 8, pattern[s]);
            }
        }
    }

    [Fact]
    public void Given_any_cell_Then_every_search_path_finds_the_glyph_of_the_lowest_score_and_the_lowest_among_equals()
    {
        var random = new Random(17);
        Span<int> pairs = stackalloc int[MonoGlyphs.Pairs];
        var tones = new int[MonoGlyphs.Samples];
        for (var trial = 0; trial < 20_000; trial++)
        {
            // Random tones, flat cells and the glyphs' own samples (exact ties with themselves).
            var kind = trial % 3;
            var flat = random.Next(256);
            var own = random.Next(MonoGlyphs.Count);
            for (var s = 0; s < tones.Length; s++)
            {
                tones[s] = kind switch { 0 => random.Next(256), 1 => flat, _ => MonoGlyphs.Pattern(own)[s] };
            }

            for (var p = 0; p < MonoGlyphs.Pairs; p++)
            {
                pairs[p] = tones[2 * p] | (tones[(2 * p) + 1] << 16);
            }

            var expected = Naive(tones);
            Assert.Equal(expected, MonoGlyphs.Nearest(pairs));
        }
    }

    [Fact]
    public void Given_two_glyphs_Then_their_distance_is_symmetric_zero_for_the_same_and_counts_shape()
    {
        var slash = FrameConverter.MonoRamp.IndexOf('/', StringComparison.Ordinal);
        var backslash = FrameConverter.MonoRamp.IndexOf('\\', StringComparison.Ordinal);
        for (var a = 0; a < MonoGlyphs.Count; a++)
        {
            Assert.Equal(0, MonoGlyphs.Distance(a, a));
            for (var b = 0; b < MonoGlyphs.Count; b++)
            {
                Assert.Equal(MonoGlyphs.Distance(a, b), MonoGlyphs.Distance(b, a));
            }
        }

        // The same ink, mirrored: far apart although their brightness is equal.
        Assert.InRange(Math.Abs(MonoGlyphs.MeanCoverage(slash) - MonoGlyphs.MeanCoverage(backslash)), 0, 1);
        Assert.True(MonoGlyphs.Distance(slash, backslash) > 40, $"{MonoGlyphs.Distance(slash, backslash)}");
    }

    [Fact]
    public void Given_the_search_score_Then_it_ranks_glyphs_as_the_samples_squared_error_plus_the_weighed_error_of_the_mean()
    {
        // Score(g) + |c|² + w·(Σc)²/16 = |c − g|² + w·16·(mean c − mean g)², up to the rounding of the glyph's terms.
        var random = new Random(3);
        var tones = new int[MonoGlyphs.Samples];
        var w = MonoGlyphs.ToneWeight / 16.0;
        for (var trial = 0; trial < 500; trial++)
        {
            for (var s = 0; s < tones.Length; s++)
            {
                tones[s] = random.Next(256);
            }

            var glyph = random.Next(MonoGlyphs.Count);
            var pattern = MonoGlyphs.Pattern(glyph);
            double squared = 0, sumC = 0, sumG = 0;
            for (var s = 0; s < tones.Length; s++)
            {
                squared += (tones[s] - pattern[s]) * (tones[s] - pattern[s]);
                (sumC, sumG) = (sumC + tones[s], sumG + pattern[s]);
            }

            var expected = squared + (w * 16 * Math.Pow((sumC - sumG) / 16, 2));
            var actual = MonoGlyphs.Score(tones, glyph) + tones.Sum(t => (double)t * t) + (w * sumC * sumC / 16);
            Assert.InRange(actual - expected, -(sumC / 2) - 2, (sumC / 2) + 2);
        }
    }

    // The lowest score, the lowest glyph among equal ones.
    private static int Naive(int[] tones)
    {
        var best = int.MaxValue;
        var bestGlyph = -1;
        for (var glyph = 0; glyph < MonoGlyphs.Count; glyph++)
        {
            var score = MonoGlyphs.Score(tones, glyph);
            if (score < best)
            {
                (best, bestGlyph) = (score, glyph);
            }
        }

        return bestGlyph;
    }
}
