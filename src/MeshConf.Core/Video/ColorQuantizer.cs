namespace MeshConf.Core.Video;

/// <summary>
/// Nearest palette colour for the <see cref="CellMode.Ansi256"/> and <see cref="CellMode.Ansi16"/> modes.
/// Allocation-free and deterministic, so sender and receiver agree on every index.
/// </summary>
/// <remarks>
/// <para>
/// Distance: weighted squared RGB, <c>2·Δr² + 4·Δg² + 3·Δb²</c>, the fixed-weight form of the "redmean" metric
/// (T. Riemersma, "Colour metric", compuphase.com): the eye is most sensitive to green and least to red in dark
/// colours. Fixed weights keep the distance a sum of per-channel terms, which is what makes the cube fast path
/// exact: the nearest cube colour is the nearest level in each channel taken separately.
/// </para>
/// <para>
/// xterm-256: only indices 16..255 are used, the 6x6x6 cube (levels 0, 95, 135, 175, 215, 255; index
/// <c>16 + 36r + 6g + b</c>) and the 24 greys (<c>8 + 10i</c>, index <c>232 + i</c>). Indices 0..15 are the
/// terminal's themeable system colours, whose values we cannot know.
/// </para>
/// <para>
/// ANSI 16: xterm's default values (xterm's charproc/XTerm-col.ad): 0 black 0,0,0; 1 red 205,0,0; 2 green 0,205,0;
/// 3 yellow 205,205,0; 4 blue 0,0,238; 5 magenta 205,0,205; 6 cyan 0,205,205; 7 white 229,229,229; 8 bright black
/// 127,127,127; 9 bright red 255,0,0; 10 bright green 0,255,0; 11 bright yellow 255,255,0; 12 bright blue
/// 92,92,255; 13 bright magenta 255,0,255; 14 bright cyan 0,255,255; 15 bright white 255,255,255. Searched
/// exhaustively: sixteen distances are cheap.
/// </para>
/// Ties go to the lower index (the cube before the greys), as a plain scan from the lowest index would.
/// <para>
/// Speed: both searches first look the colour's 8 x 8 x 8 block up in a table (32 KB per palette, built on first
/// use from 64³ searches, a few milliseconds). Each palette colour's region is an intersection of half-spaces
/// (with fixed weights, "nearer to i than to j" is linear in the colour), so it is convex, and a block whose 8
/// corners all pick the same index lies wholly in that region: the table stores the index for such a block and
/// "search" for the others, which are searched as above. A smooth picture's colours mostly fall in whole
/// blocks; a test checks all 2^24 colours against the plain search.
/// </para>
/// </remarks>
internal static class ColorQuantizer
{
    /// <summary>The xterm-256 index of pure black (cube 0,0,0), what a blank <see cref="CellMode.Ansi256"/> cell holds.</summary>
    public const uint Xterm256Black = 16;

    private const int WeightRed = 2;
    private const int WeightGreen = 4;
    private const int WeightBlue = 3;

    private static ReadOnlySpan<byte> CubeLevels => [0, 95, 135, 175, 215, 255];

    // The nearest cube level (0..5) for each channel value; built from CubeLevels with ties to the lower level.
    private static readonly byte[] s_nearestCubeLevel = BuildNearestCubeLevel();

    // A static array, not a span over a collection expression: that one allocated per call in Debug builds.
    private static readonly uint[] s_ansi16Colors =
    [
        0x000000, 0xCD0000, 0x00CD00, 0xCDCD00, 0x0000EE, 0xCD00CD, 0x00CDCD, 0xE5E5E5,
        0x7F7F7F, 0xFF0000, 0x00FF00, 0xFFFF00, 0x5C5CFF, 0xFF00FF, 0x00FFFF, 0xFFFFFF,
    ];

    /// <summary>The weighted squared distance this type minimises, between two <c>0x00RRGGBB</c> colours.</summary>
    public static int Distance(uint rgb1, uint rgb2)
    {
        var dr = (int)((rgb1 >> 16) & 0xFF) - (int)((rgb2 >> 16) & 0xFF);
        var dg = (int)((rgb1 >> 8) & 0xFF) - (int)((rgb2 >> 8) & 0xFF);
        var db = (int)(rgb1 & 0xFF) - (int)(rgb2 & 0xFF);
        return WeightRed * dr * dr + WeightGreen * dg * dg + WeightBlue * db * db;
    }

    /// <summary>The colour of an xterm-256 index as <c>0x00RRGGBB</c> (16..255; 0..15 give the xterm defaults).</summary>
    public static uint Xterm256Rgb(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, 255u, nameof(index));
        if (index < 16)
        {
            return s_ansi16Colors[index];
        }

        if (index >= 232)
        {
            var grey = (uint)(8 + 10 * (index - 232));
            return (grey << 16) | (grey << 8) | grey;
        }

        var cube = index - 16;
        return Pack(CubeLevels[cube / 36], CubeLevels[cube / 6 % 6], CubeLevels[cube % 6]);
    }

    /// <summary>The colour of an ANSI index 0..15 as <c>0x00RRGGBB</c>.</summary>
    public static uint Ansi16Rgb(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, 15u, nameof(index));
        return s_ansi16Colors[index];
    }

    /// <summary>The nearest of xterm-256's indices 16..255 to a <c>0x00RRGGBB</c> colour.</summary>
    public static byte NearestXterm256(uint rgb)
    {
        var index = Xterm256Blocks.Table[BlockOf(rgb)];
        return index != Xterm256Blocks.Search ? index : SearchXterm256(rgb);
    }

    /// <summary>The nearest of the 16 ANSI colours (xterm defaults) to a <c>0x00RRGGBB</c> colour.</summary>
    public static byte NearestAnsi16(uint rgb)
    {
        var index = Ansi16Blocks.Table[BlockOf(rgb)];
        return index != Ansi16Blocks.Search ? index : SearchAnsi16(rgb);
    }

    /// <summary><see cref="NearestXterm256"/> without the block table.</summary>
    internal static byte SearchXterm256(uint rgb)
    {
        var r = (int)((rgb >> 16) & 0xFF);
        var g = (int)((rgb >> 8) & 0xFF);
        var b = (int)(rgb & 0xFF);

        // Cube: per channel, exact because the distance is a sum of per-channel terms.
        var levels = s_nearestCubeLevel;
        int lr = levels[r], lg = levels[g], lb = levels[b];
        var cube = CubeLevels;
        var cubeDistance = Weighted(r - cube[lr], g - cube[lg], b - cube[lb]);

        // Greys: the distance to grey v is a parabola in v with its minimum at the weighted mean
        // (2r + 4g + 3b) / 9, so the nearest grey is one of the two around it. Step i is grey 8 + 10i; the rounded
        // step is round((mean - 8) / 10) = floor((9·mean - 72 + 45) / 90); check a neighbour each side of it.
        var weightedSum = (WeightRed * r) + (WeightGreen * g) + (WeightBlue * b);
        var step = Math.Clamp((weightedSum - 27) / 90, 1, 22);
        var bestGrey = step - 1;
        var greyDistance = GreyDistance(r, g, b, step - 1);
        var d = GreyDistance(r, g, b, step);
        if (d < greyDistance)
        {
            greyDistance = d;
            bestGrey = step;
        }

        d = GreyDistance(r, g, b, step + 1);
        if (d < greyDistance)
        {
            greyDistance = d;
            bestGrey = step + 1;
        }

        return greyDistance < cubeDistance ? (byte)(232 + bestGrey) : (byte)(16 + 36 * lr + 6 * lg + lb);
    }

    /// <summary><see cref="NearestAnsi16"/> without the block table.</summary>
    internal static byte SearchAnsi16(uint rgb)
    {
        var best = 0;
        var bestDistance = int.MaxValue;
        var colors = s_ansi16Colors;
        for (var i = 0; i < colors.Length; i++)
        {
            var d = Distance(rgb, colors[i]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }

        return (byte)best;
    }

    internal static uint Pack(int r, int g, int b) => ((uint)r << 16) | ((uint)g << 8) | (uint)b;

    // The 8 x 8 x 8 block of a colour: the top five bits of each channel.
    private static int BlockOf(uint rgb) => (int)(((rgb >> 9) & 0x7C00) | ((rgb >> 6) & 0x03E0) | ((rgb >> 3) & 0x001F));

    // Per block, the index every colour in it picks, or `search` where they differ. A block's corners are the
    // channel values 8k and 8k + 7; each of the 64³ corner colours is searched once.
    private static byte[] BuildBlocks(Func<uint, byte> nearest, byte search)
    {
        var corner = new byte[64 * 64 * 64];
        for (var r = 0; r < 64; r++)
        {
            for (var g = 0; g < 64; g++)
            {
                for (var b = 0; b < 64; b++)
                {
                    corner[(r << 12) | (g << 6) | b] = nearest(Pack(CornerValue(r), CornerValue(g), CornerValue(b)));
                }
            }
        }

        var table = new byte[32 * 32 * 32];
        for (var block = 0; block < table.Length; block++)
        {
            int r = 2 * (block >> 10), g = 2 * ((block >> 5) & 31), b = 2 * (block & 31);
            var index = corner[(r << 12) | (g << 6) | b];
            var same = true;
            for (var c = 1; c < 8 && same; c++)
            {
                same = corner[((r + (c >> 2)) << 12) | ((g + ((c >> 1) & 1)) << 6) | (b + (c & 1))] == index;
            }

            table[block] = same ? index : search;
        }

        return table;

        static int CornerValue(int k) => (8 * (k >> 1)) + (7 * (k & 1));
    }

    // Built on first use of each palette, not when the type is first touched.
    private static class Xterm256Blocks
    {
        /// <summary>Not an index the search returns (it uses 16..255 only).</summary>
        public const byte Search = 0;

        public static readonly byte[] Table = BuildBlocks(SearchXterm256, Search);
    }

    private static class Ansi16Blocks
    {
        public const byte Search = 0xFF;

        public static readonly byte[] Table = BuildBlocks(SearchAnsi16, Search);
    }

    private static int GreyDistance(int r, int g, int b, int step)
    {
        var v = 8 + (10 * step);
        return Weighted(r - v, g - v, b - v);
    }

    private static int Weighted(int dr, int dg, int db) => WeightRed * dr * dr + WeightGreen * dg * dg + WeightBlue * db * db;

    private static byte[] BuildNearestCubeLevel()
    {
        var table = new byte[256];
        for (var v = 0; v < 256; v++)
        {
            var best = 0;
            for (var l = 1; l < CubeLevels.Length; l++)
            {
                if (Math.Abs(v - CubeLevels[l]) < Math.Abs(v - CubeLevels[best]))
                {
                    best = l;
                }
            }

            table[v] = (byte)best;
        }

        return table;
    }
}
