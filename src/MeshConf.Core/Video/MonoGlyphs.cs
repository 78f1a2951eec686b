using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MeshConf.Core.Video;

/// <summary>
/// The shapes of the mono glyph set (<see cref="FrameConverter.MonoRamp"/>) as the converter matches them: each
/// glyph's <see cref="GlyphAtlas"/> bitmap box-filtered to <see cref="SamplesAcross"/> x <see cref="SamplesDown"/>
/// coverage samples (0 = black .. 255 = white ink), and the search for the glyph whose samples are nearest to a
/// cell's, by least squared error.
/// </summary>
/// <remarks>
/// <para>
/// The search minimises <c>|c − g|² + w·16·(mean c − mean g)²</c> over glyphs g for the cell's tones c: the
/// squared error of the samples, and of the cell's mean tone weighed <c>w = ToneWeight / 16</c> times per sample.
/// Least squares alone would draw every flat area with the few glyphs of the most even ink and band a gradient;
/// the mean's term keeps the tone steps. Terms that do not depend on the glyph drop out, so it ranks
/// <c>|g|² + w·(Σg)²/16 − 2·c·g − w·Σc·Σg/8</c>. The dot products are formed eight glyphs at a time with AVX2's
/// <c>vpmaddwd</c> (four with SSE2's <c>pmaddwd</c>): a cell's tones travel in pairs, each pair broadcast to every
/// 32-bit lane, against a table holding, per group of eight glyphs and per pair of samples, each glyph's two samples
/// side by side. All integer, so every path (AVX2, SSE2, scalar) picks the same glyph; ties go to the lower index.
/// At most <see cref="MaxCount"/> glyphs.
/// </para>
/// <para>Built once from the atlas; immutable and shared.</para>
/// </remarks>
internal static class MonoGlyphs
{
    /// <summary>Samples across one cell.</summary>
    public const int SamplesAcross = 4;

    /// <summary>Samples down one cell (a cell is about twice as tall as wide, so each sample is tall too).</summary>
    public const int SamplesDown = 4;

    /// <summary>Samples per cell.</summary>
    public const int Samples = SamplesAcross * SamplesDown;

    /// <summary>Pairs of samples per cell, as the search takes them.</summary>
    public const int Pairs = Samples / 2;

    private const int GroupSize = 8;

    /// <summary>
    /// How much more the search weighs a cell's mean tone than each sample's (see the type's remarks), in
    /// sixteenths: the squared error of the mean counts <c>ToneWeight / 16</c> times for each sample.
    /// </summary>
    public const int ToneWeight = 8;

    /// <summary>The most glyphs the search takes (its keys hold the glyph in <see cref="IndexBits"/> bits).</summary>
    public const int MaxCount = 1 << IndexBits;

    // The search ranks keys score << IndexBits | glyph, so one minimum finds the best score and, among equal
    // scores, the lowest glyph. With ToneWeight up to 64, scores lie in about ±2^24, so keys fit 32 bits.
    private const int IndexBits = 6;
    private const int IndexMask = (1 << IndexBits) - 1;

    // A padding glyph's norm: above any real score, and its key still fits.
    private const int PaddingNorm = 1 << 24;

    // Per glyph, its samples row-major.
    private static readonly byte[] s_patterns = BuildPatterns();

    // Per group of eight glyphs (the last padded with blanks), per pair p, per glyph of the group: its samples 2p
    // and 2p + 1 as two 16-bit lanes. Group g, pair p starts at ((g * Pairs) + p) * 16.
    private static readonly short[] s_pairTable = BuildPairTable();

    // Per glyph of the padded groups, |g|² (0 for the padding).
    private static readonly int[] s_norms = BuildNorms();

    // The search's terms, per glyph of the padded groups: |g|² + w·(Σg)² / 16 (padding: a norm no cell can beat)
    // and w·Σg / 8, w = ToneWeight / 16.
    private static readonly int[] s_searchNorms = BuildSearchNorms();
    private static readonly int[] s_toneTerms = BuildToneTerms();

    // Per glyph, the rounded mean of its samples, and 1 / |g|² (0 for the blank).
    private static readonly byte[] s_means = BuildMeans();
    private static readonly double[] s_inverseNorms = BuildInverseNorms();

    // Over the padded groups, for the coloured-glyph search: |g|² and 1 / |g|² (0 for the blank and the padding).
    private static readonly float[] s_normsF = [.. s_norms.Select(n => (float)n)];
    private static readonly float[] s_inverseNormsF = [.. Enumerable.Range(0, PaddedCount).Select(i => i < Count && s_norms[i] != 0 ? 1f / s_norms[i] : 0f)];

    // Per pair of glyphs (a * Count + b), the root mean square of their samples' difference, 0..255.
    private static readonly byte[] s_distance = BuildDistances();

    /// <summary>Glyphs in the set.</summary>
    public static int Count => FrameConverter.MonoRamp.Length;

    /// <summary>The glyph with the most ink: the bright end of the contrast stretch.</summary>
    public static int Densest => Count - 1;

    /// <summary>
    /// The mean coverage (0..255) of the densest glyph: white on a terminal shows no brighter than this through
    /// ASCII glyphs, so the mono stretch maps its bright end here.
    /// </summary>
    public static int MaxMeanCoverage { get; } = MeanCoverage(Count - 1);

    /// <summary>The largest sample of any glyph (0..255).</summary>
    public static int MaxSample { get; } = s_patterns.Max();

    /// <summary>Glyph <paramref name="index"/>'s samples, row-major.</summary>
    public static ReadOnlySpan<byte> Pattern(int index) => s_patterns.AsSpan(index * Samples, Samples);

    /// <summary>The mean of glyph <paramref name="index"/>'s samples, rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MeanCoverage(int index) => s_means[index];

    /// <summary>
    /// How different two glyphs look: the root mean square of their samples' difference (0..255 coverage), so a
    /// shape change counts as well as a change of ink.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(int a, int b) => s_distance[(a * Count) + b];

    /// <summary>
    /// The glyph whose samples are nearest to a cell's: <paramref name="pairs"/> holds the cell's
    /// <see cref="Samples"/> tones (each 0..255), two per element, sample 2p in the low 16 bits of element p.
    /// </summary>
    /// <returns>Its index in <see cref="FrameConverter.MonoRamp"/>.</returns>
    public static int Nearest(ReadOnlySpan<int> pairs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs.Length, Pairs, nameof(pairs));
        if (Avx2.IsSupported)
        {
            return Nearest(Vector256.Create(pairs[..Pairs]));
        }

        if (Sse2.IsSupported)
        {
            return NearestSse2(pairs);
        }

        return NearestScalar(pairs);
    }

    /// <summary>
    /// The dot products <c>c·g</c> of a cell's tones (as <see cref="Nearest(ReadOnlySpan{int})"/> takes them) with every glyph's
    /// samples, into <paramref name="dots"/> (at least <see cref="PaddedCount"/> long; padding entries are 0).
    /// </summary>
    public static void Dots(ReadOnlySpan<int> pairs, Span<int> dots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs.Length, Pairs, nameof(pairs));
        ArgumentOutOfRangeException.ThrowIfLessThan(dots.Length, PaddedCount, nameof(dots));
        ref var table = ref MemoryMarshal.GetArrayDataReference(s_pairTable);
        if (Avx2.IsSupported)
        {
            Span<Vector256<short>> cell = stackalloc Vector256<short>[Pairs];
            for (var p = 0; p < Pairs; p++)
            {
                cell[p] = Vector256.Create(pairs[p]).AsInt16();
            }

            for (var g = 0; g < PaddedCount / GroupSize; g++)
            {
                var dot = Vector256<int>.Zero;
                for (var p = 0; p < Pairs; p++)
                {
                    dot += Avx2.MultiplyAddAdjacent(cell[p], Vector256.LoadUnsafe(ref table, (nuint)(((g * Pairs) + p) * 16)));
                }

                dot.StoreUnsafe(ref MemoryMarshal.GetReference(dots), (nuint)(g * GroupSize));
            }

            return;
        }

        for (var glyph = 0; glyph < PaddedCount; glyph++)
        {
            dots[glyph] = glyph < Count ? DotScalar(pairs, glyph) : 0;
        }
    }

    /// <summary><see cref="Dots(ReadOnlySpan{int}, Span{int})"/> with the pairs in one vector; AVX2 only.</summary>
    public static void Dots(Vector256<int> pairs, Span<int> dots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dots.Length, PaddedCount, nameof(dots));
        ref var table = ref MemoryMarshal.GetArrayDataReference(s_pairTable);
        var c0 = Avx2.PermuteVar8x32(pairs, Vector256.Create(0)).AsInt16();
        var c1 = Avx2.PermuteVar8x32(pairs, Vector256.Create(1)).AsInt16();
        var c2 = Avx2.PermuteVar8x32(pairs, Vector256.Create(2)).AsInt16();
        var c3 = Avx2.PermuteVar8x32(pairs, Vector256.Create(3)).AsInt16();
        var c4 = Avx2.PermuteVar8x32(pairs, Vector256.Create(4)).AsInt16();
        var c5 = Avx2.PermuteVar8x32(pairs, Vector256.Create(5)).AsInt16();
        var c6 = Avx2.PermuteVar8x32(pairs, Vector256.Create(6)).AsInt16();
        var c7 = Avx2.PermuteVar8x32(pairs, Vector256.Create(7)).AsInt16();
        for (var g = 0; g < PaddedCount / GroupSize; g++)
        {
            var at = (nuint)(g * Pairs * 16);
            var dot = Avx2.MultiplyAddAdjacent(c0, Vector256.LoadUnsafe(ref table, at))
                + Avx2.MultiplyAddAdjacent(c1, Vector256.LoadUnsafe(ref table, at + 16))
                + Avx2.MultiplyAddAdjacent(c2, Vector256.LoadUnsafe(ref table, at + 32))
                + Avx2.MultiplyAddAdjacent(c3, Vector256.LoadUnsafe(ref table, at + 48))
                + Avx2.MultiplyAddAdjacent(c4, Vector256.LoadUnsafe(ref table, at + 64))
                + Avx2.MultiplyAddAdjacent(c5, Vector256.LoadUnsafe(ref table, at + 80))
                + Avx2.MultiplyAddAdjacent(c6, Vector256.LoadUnsafe(ref table, at + 96))
                + Avx2.MultiplyAddAdjacent(c7, Vector256.LoadUnsafe(ref table, at + 112));
            dot.StoreUnsafe(ref MemoryMarshal.GetReference(dots), (nuint)(g * GroupSize));
        }
    }

    /// <summary><c>|g|²</c> of glyph <paramref name="index"/>'s samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Norm(int index) => s_norms[index];

    /// <summary><c>1 / |g|²</c> of glyph <paramref name="index"/>'s samples, 0 for a blank glyph.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double InverseNorm(int index) => s_inverseNorms[index];

    /// <summary><see cref="Norm"/> as a float, for every glyph of the padded groups (padding: a large norm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NormF(int index) => s_normsF[index];

    /// <summary><see cref="InverseNorm"/> as a float, for every glyph of the padded groups (padding: 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float InverseNormF(int index) => s_inverseNormsF[index];

    /// <summary>Eight <see cref="NormF"/> from glyph <paramref name="first"/> (a multiple of 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormsF(int first) => Vector256.Create((ReadOnlySpan<float>)s_normsF.AsSpan(first, 8));

    /// <summary>Eight <see cref="InverseNormF"/> from glyph <paramref name="first"/> (a multiple of 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InverseNormsF(int first) => Vector256.Create((ReadOnlySpan<float>)s_inverseNormsF.AsSpan(first, 8));

    /// <summary>Glyphs rounded up to whole groups of the vector search.</summary>
    public static int PaddedCount => (Count + GroupSize - 1) / GroupSize * GroupSize;

    /// <summary>
    /// <see cref="Nearest(ReadOnlySpan{int})"/> with the eight pairs in one vector (element p = pair p); AVX2 only
    /// (<see cref="Avx2.IsSupported"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Nearest(Vector256<int> pairs)
    {
        ref var table = ref MemoryMarshal.GetArrayDataReference(s_pairTable);
        ref var norms = ref MemoryMarshal.GetArrayDataReference(s_searchNorms);
        ref var toneTerms = ref MemoryMarshal.GetArrayDataReference(s_toneTerms);
        var sum = Vector256.Create(Vector256.Sum((pairs & Vector256.Create(0xFFFF)) + (pairs >>> 16)));

        // Pair p in every lane: one vpermd each.
        var c0 = Avx2.PermuteVar8x32(pairs, Vector256.Create(0)).AsInt16();
        var c1 = Avx2.PermuteVar8x32(pairs, Vector256.Create(1)).AsInt16();
        var c2 = Avx2.PermuteVar8x32(pairs, Vector256.Create(2)).AsInt16();
        var c3 = Avx2.PermuteVar8x32(pairs, Vector256.Create(3)).AsInt16();
        var c4 = Avx2.PermuteVar8x32(pairs, Vector256.Create(4)).AsInt16();
        var c5 = Avx2.PermuteVar8x32(pairs, Vector256.Create(5)).AsInt16();
        var c6 = Avx2.PermuteVar8x32(pairs, Vector256.Create(6)).AsInt16();
        var c7 = Avx2.PermuteVar8x32(pairs, Vector256.Create(7)).AsInt16();
        var best = Vector256.Create(int.MaxValue);
        var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var groups = PaddedCount / GroupSize;
        for (var g = 0; g < groups; g++, index += Vector256.Create(GroupSize))
        {
            var at = (nuint)(g * Pairs * 16);
            var dot = Avx2.MultiplyAddAdjacent(c0, Vector256.LoadUnsafe(ref table, at))
                + Avx2.MultiplyAddAdjacent(c1, Vector256.LoadUnsafe(ref table, at + 16))
                + Avx2.MultiplyAddAdjacent(c2, Vector256.LoadUnsafe(ref table, at + 32))
                + Avx2.MultiplyAddAdjacent(c3, Vector256.LoadUnsafe(ref table, at + 48))
                + Avx2.MultiplyAddAdjacent(c4, Vector256.LoadUnsafe(ref table, at + 64))
                + Avx2.MultiplyAddAdjacent(c5, Vector256.LoadUnsafe(ref table, at + 80))
                + Avx2.MultiplyAddAdjacent(c6, Vector256.LoadUnsafe(ref table, at + 96))
                + Avx2.MultiplyAddAdjacent(c7, Vector256.LoadUnsafe(ref table, at + 112));
            var score = Vector256.LoadUnsafe(ref norms, (nuint)(g * GroupSize)) - (dot + dot) - (sum * Vector256.LoadUnsafe(ref toneTerms, (nuint)(g * GroupSize)));
            best = Vector256.Min(best, (score << IndexBits) | index);
        }

        // The smallest key of the eight lanes: halves, then quarters, then neighbours.
        best = Vector256.Min(best, Avx2.Permute2x128(best, best, 0x01));
        best = Vector256.Min(best, Avx2.Shuffle(best, 0b01_00_11_10));
        best = Vector256.Min(best, Avx2.Shuffle(best, 0b10_11_00_01));
        return best.ToScalar() & IndexMask;
    }

    private static int NearestSse2(ReadOnlySpan<int> pairs)
    {
        ref var table = ref MemoryMarshal.GetArrayDataReference(s_pairTable);
        ref var norms = ref MemoryMarshal.GetArrayDataReference(s_searchNorms);
        ref var toneTerms = ref MemoryMarshal.GetArrayDataReference(s_toneTerms);
        var sum = Vector128.Create(SumOfTones(pairs));
        var best = int.MaxValue;
        Span<Vector128<short>> cell = stackalloc Vector128<short>[Pairs];
        for (var p = 0; p < Pairs; p++)
        {
            cell[p] = Vector128.Create(pairs[p]).AsInt16();
        }

        // Each group of eight as two halves of four.
        for (var g = 0; g < PaddedCount / GroupSize; g++)
        {
            for (var half = 0; half < 2; half++)
            {
                var dot = Vector128<int>.Zero;
                for (var p = 0; p < Pairs; p++)
                {
                    dot += Sse2.MultiplyAddAdjacent(cell[p], Vector128.LoadUnsafe(ref table, (nuint)((((g * Pairs) + p) * 16) + (8 * half))));
                }

                var first = (g * GroupSize) + (4 * half);
                var score = Vector128.LoadUnsafe(ref norms, (nuint)first) - (dot + dot) - (sum * Vector128.LoadUnsafe(ref toneTerms, (nuint)first));
                var key = (score << IndexBits) | (Vector128.Create(first) + Vector128.Create(0, 1, 2, 3));
                for (var lane = 0; lane < 4; lane++)
                {
                    best = Math.Min(best, key.GetElement(lane));
                }
            }
        }

        return best & IndexMask;
    }

    private static int NearestScalar(ReadOnlySpan<int> pairs)
    {
        var sum = SumOfTones(pairs);
        var best = int.MaxValue;
        for (var glyph = 0; glyph < Count; glyph++)
        {
            var score = s_searchNorms[glyph] - (2 * DotScalar(pairs, glyph)) - (sum * s_toneTerms[glyph]);
            best = Math.Min(best, (score << IndexBits) | glyph);
        }

        return best & IndexMask;
    }

    private static int SumOfTones(ReadOnlySpan<int> pairs)
    {
        var sum = 0;
        for (var p = 0; p < Pairs; p++)
        {
            sum += (pairs[p] & 0xFFFF) + (pairs[p] >>> 16);
        }

        return sum;
    }

    /// <summary>
    /// The search's score of glyph <paramref name="index"/> for tones c (lower is nearer):
    /// <c>|g|² − 2·c·g + w·((Σg)² − 2·Σc·Σg) / 16</c>, w = <see cref="ToneWeight"/> / 16, the glyph's terms rounded.
    /// </summary>
    public static int Score(ReadOnlySpan<int> tones, int index)
    {
        var pattern = Pattern(index);
        int dot = 0, sum = 0;
        for (var s = 0; s < Samples; s++)
        {
            dot += tones[s] * pattern[s];
            sum += tones[s];
        }

        return s_searchNorms[index] - (2 * dot) - (sum * s_toneTerms[index]);
    }

    private static int DotScalar(ReadOnlySpan<int> pairs, int glyph)
    {
        var pattern = Pattern(glyph);
        var dot = 0;
        for (var p = 0; p < Pairs; p++)
        {
            dot += ((pairs[p] & 0xFFFF) * pattern[2 * p]) + ((pairs[p] >>> 16) * pattern[(2 * p) + 1]);
        }

        return dot;
    }

    // Each sample is the rounded mean of its box of atlas pixels (the boxes tile the atlas cell exactly).
    private static byte[] BuildPatterns()
    {
        const int BoxWidth = GlyphAtlas.CellWidth / SamplesAcross;
        const int BoxHeight = GlyphAtlas.CellHeight / SamplesDown;
        var ramp = FrameConverter.MonoRamp;
        var patterns = new byte[ramp.Length * Samples];
        for (var i = 0; i < ramp.Length; i++)
        {
            var bitmap = GlyphAtlas.Bitmap(ramp[i]);
            for (var sy = 0; sy < SamplesDown; sy++)
            {
                for (var sx = 0; sx < SamplesAcross; sx++)
                {
                    var sum = 0;
                    for (var y = 0; y < BoxHeight; y++)
                    {
                        for (var x = 0; x < BoxWidth; x++)
                        {
                            sum += bitmap[(((sy * BoxHeight) + y) * GlyphAtlas.CellWidth) + (sx * BoxWidth) + x];
                        }
                    }

                    patterns[(i * Samples) + (sy * SamplesAcross) + sx] = (byte)((sum + (BoxWidth * BoxHeight / 2)) / (BoxWidth * BoxHeight));
                }
            }
        }

        return patterns;
    }

    private static short[] BuildPairTable()
    {
        var table = new short[PaddedCount / GroupSize * Pairs * 16];
        for (var glyph = 0; glyph < Count; glyph++)
        {
            var (group, lane) = (glyph / GroupSize, glyph % GroupSize);
            var pattern = Pattern(glyph);
            for (var p = 0; p < Pairs; p++)
            {
                var at = (((group * Pairs) + p) * 16) + (2 * lane);
                table[at] = pattern[2 * p];
                table[at + 1] = pattern[(2 * p) + 1];
            }
        }

        return table;
    }

    private static int[] BuildSearchNorms()
    {
        var norms = new int[PaddedCount];
        norms.AsSpan().Fill(PaddingNorm);
        for (var glyph = 0; glyph < Count; glyph++)
        {
            var sum = SumOf(glyph);
            norms[glyph] = s_norms[glyph] + (int)((((long)sum * sum * ToneWeight) + 128) / 256);
        }

        return norms;
    }

    private static int[] BuildToneTerms()
    {
        var terms = new int[PaddedCount];
        for (var glyph = 0; glyph < Count; glyph++)
        {
            terms[glyph] = ((SumOf(glyph) * ToneWeight) + 64) / 128;
        }

        return terms;
    }

    private static int SumOf(int glyph)
    {
        var sum = 0;
        foreach (var v in Pattern(glyph))
        {
            sum += v;
        }

        return sum;
    }

    private static int[] BuildNorms()
    {
        var norms = new int[PaddedCount];
        for (var glyph = 0; glyph < Count; glyph++)
        {
            var sum = 0;
            foreach (int v in Pattern(glyph))
            {
                sum += v * v;
            }

            norms[glyph] = sum;
        }

        return norms;
    }

    private static byte[] BuildMeans()
    {
        var means = new byte[Count];
        for (var glyph = 0; glyph < Count; glyph++)
        {
            means[glyph] = (byte)((SumOf(glyph) + (Samples / 2)) / Samples);
        }

        return means;
    }

    private static double[] BuildInverseNorms()
    {
        var inverse = new double[Count];
        for (var glyph = 0; glyph < Count; glyph++)
        {
            inverse[glyph] = s_norms[glyph] == 0 ? 0 : 1.0 / s_norms[glyph];
        }

        return inverse;
    }

    private static byte[] BuildDistances()
    {
        var distances = new byte[Count * Count];
        for (var a = 0; a < Count; a++)
        {
            for (var b = 0; b < Count; b++)
            {
                var pa = Pattern(a);
                var pb = Pattern(b);
                var sum = 0;
                for (var i = 0; i < Samples; i++)
                {
                    sum += (pa[i] - pb[i]) * (pa[i] - pb[i]);
                }

                distances[(a * Count) + b] = (byte)Math.Round(Math.Sqrt((double)sum / Samples));
            }
        }

        return distances;
    }
}
