namespace MeshConf.Core.Video.Quality;

/// <summary>
/// Draws terminal cells as a terminal would, each cell <see cref="GlyphAtlas.CellWidth"/> x
/// <see cref="GlyphAtlas.CellHeight"/> pixels from the <see cref="GlyphAtlas"/>: the foreground colour where the
/// glyph has ink, the background elsewhere, blended by coverage. What fidelity measurements compare with the
/// source picture; nothing the call itself draws with.
/// </summary>
/// <remarks>
/// A <see cref="CellGrid"/> is drawn by its mode: mono as white glyphs on black (the usual light-on-dark
/// terminal), the half-block modes as <see cref="CellGrid.HalfBlock"/> with the top colour over the bottom one,
/// palette indices through <see cref="ColorQuantizer.Xterm256Rgb"/> and <see cref="ColorQuantizer.Ansi16Rgb"/>,
/// coloured glyphs as glyph <c>Foreground &gt;&gt; 24</c> of <see cref="FrameConverter.MonoRamp"/> in the colour of
/// the low 24 bits on black (an index past the set draws as the blank), quadrants and sextants as exact blocks
/// (<see cref="DrawBlockCell"/>).
/// Images are packed rgb24 (as <see cref="RgbFrame"/>) or one byte of luma per pixel, row-major, no padding.
/// Allocation-free.
/// </remarks>
internal static class CellRasterizer
{
    /// <summary>White: the mono foreground.</summary>
    public const uint MonoForeground = 0xFFFFFF;

    /// <summary>Black: the mono background.</summary>
    public const uint MonoBackground = 0x000000;

    /// <summary>Pixels across the picture of <paramref name="cols"/> cells.</summary>
    public static int WidthOf(int cols) => cols * GlyphAtlas.CellWidth;

    /// <summary>Pixels down the picture of <paramref name="rows"/> cells.</summary>
    public static int HeightOf(int rows) => rows * GlyphAtlas.CellHeight;

    /// <summary>Draws every cell of <paramref name="grid"/> into <paramref name="rgb"/>.</summary>
    /// <param name="grid">The cells.</param>
    /// <param name="rgb">At least <c>WidthOf(Cols) * HeightOf(Rows) * 3</c> bytes; overwritten.</param>
    public static void Rasterize(CellGrid grid, Span<byte> rgb)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var width = WidthOf(grid.Cols);
        ArgumentOutOfRangeException.ThrowIfLessThan(rgb.Length, width * HeightOf(grid.Rows) * RgbFrame.BytesPerPixel, nameof(rgb));
        var foreground = grid.Foreground;
        var background = grid.Background;
        for (var row = 0; row < grid.Rows; row++)
        {
            for (var col = 0; col < grid.Cols; col++)
            {
                var fg = foreground[row * grid.Cols + col];
                var bg = background[row * grid.Cols + col];
                switch (grid.Mode)
                {
                    case CellMode.Mono:
                        DrawCell(rgb, width, col, row, (char)fg, MonoForeground, MonoBackground);
                        break;
                    case CellMode.TrueColor:
                        DrawCell(rgb, width, col, row, CellGrid.HalfBlock, fg, bg);
                        break;
                    case CellMode.GlyphColor:
                        DrawCell(rgb, width, col, row, GlyphColorGlyph(fg), fg & 0xFFFFFF, MonoBackground);
                        break;
                    case CellMode.Quadrant:
                    case CellMode.Sextant:
                        DrawBlockCell(rgb, width, col, row, FrameConverter.BlockRows(grid.Mode), fg, bg);
                        break;
                    case CellMode.Ansi256:
                        DrawCell(rgb, width, col, row, CellGrid.HalfBlock, ColorQuantizer.Xterm256Rgb((int)fg), ColorQuantizer.Xterm256Rgb((int)bg));
                        break;
                    default:
                        DrawCell(rgb, width, col, row, CellGrid.HalfBlock, ColorQuantizer.Ansi16Rgb((int)fg), ColorQuantizer.Ansi16Rgb((int)bg));
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Draws one cell: per pixel <c>background + (foreground - background) · coverage / 255</c>, rounded, per
    /// channel.
    /// </summary>
    /// <param name="rgb">The picture, <paramref name="width"/> pixels across, large enough to hold the cell.</param>
    /// <param name="width">Pixels per row of the picture.</param>
    /// <param name="col">The cell's column.</param>
    /// <param name="row">The cell's row.</param>
    /// <param name="glyph">Any glyph of <see cref="GlyphAtlas.Glyphs"/>.</param>
    /// <param name="foreground">Ink colour, <c>0x00RRGGBB</c>.</param>
    /// <param name="background">Background colour, <c>0x00RRGGBB</c>.</param>
    /// <exception cref="ArgumentException">The atlas has no such glyph.</exception>
    public static void DrawCell(Span<byte> rgb, int width, int col, int row, char glyph, uint foreground, uint background)
    {
        var bitmap = GlyphAtlas.Bitmap(glyph);
        int fr = (int)(foreground >> 16) & 0xFF, fg = (int)(foreground >> 8) & 0xFF, fb = (int)foreground & 0xFF;
        int br = (int)(background >> 16) & 0xFF, bg = (int)(background >> 8) & 0xFF, bb = (int)background & 0xFF;
        for (var y = 0; y < GlyphAtlas.CellHeight; y++)
        {
            var line = rgb.Slice((((row * GlyphAtlas.CellHeight) + y) * width + (col * GlyphAtlas.CellWidth)) * RgbFrame.BytesPerPixel, GlyphAtlas.CellWidth * RgbFrame.BytesPerPixel);
            var ink = bitmap.Slice(y * GlyphAtlas.CellWidth, GlyphAtlas.CellWidth);
            for (var x = 0; x < GlyphAtlas.CellWidth; x++)
            {
                int a = ink[x];
                line[3 * x] = Blend(br, fr, a);
                line[(3 * x) + 1] = Blend(bg, fg, a);
                line[(3 * x) + 2] = Blend(bb, fb, a);
            }
        }
    }

    /// <summary>The glyph of a coloured-glyph cell's foreground word: its top byte indexes the mono glyph set.</summary>
    public static char GlyphColorGlyph(uint foreground) => FrameConverter.ColorGlyphOf(foreground);

    /// <summary>
    /// Draws one quadrant (<paramref name="blockRows"/> 2) or sextant (3) cell as a terminal draws the block: 2
    /// columns of 4 pixels, rows split at <c>round(16·k / rows)</c> (8 + 8, or 5 + 6 + 5 pixels), each sub-pixel the
    /// foreground colour where the pattern has its bit, else the background. No blending: blocks have hard edges.
    /// </summary>
    public static void DrawBlockCell(Span<byte> rgb, int width, int col, int row, int blockRows, uint foreground, uint background)
    {
        for (var y = 0; y < GlyphAtlas.CellHeight; y++)
        {
            // The sub-pixel row holding pixel row y: the k with round(16k / rows) <= y < round(16(k + 1) / rows).
            var band = 0;
            while (band + 1 < blockRows && y >= ((2 * GlyphAtlas.CellHeight * (band + 1)) + blockRows) / (2 * blockRows))
            {
                band++;
            }

            var line = rgb.Slice((((row * GlyphAtlas.CellHeight) + y) * width + (col * GlyphAtlas.CellWidth)) * RgbFrame.BytesPerPixel, GlyphAtlas.CellWidth * RgbFrame.BytesPerPixel);
            for (var x = 0; x < GlyphAtlas.CellWidth; x++)
            {
                var color = FrameConverter.BlockPixel(foreground, background, (2 * band) + (2 * x / GlyphAtlas.CellWidth));
                line[3 * x] = (byte)(color >> 16);
                line[(3 * x) + 1] = (byte)(color >> 8);
                line[(3 * x) + 2] = (byte)color;
            }
        }
    }

    /// <summary>The luma of every pixel of an rgb24 picture, by <see cref="FrameConverter"/>'s formula.</summary>
    /// <param name="rgb">Packed rgb24, three bytes per pixel of <paramref name="luma"/>.</param>
    /// <param name="luma">One byte per pixel; overwritten.</param>
    public static void ToLuma(ReadOnlySpan<byte> rgb, Span<byte> luma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rgb.Length, luma.Length * RgbFrame.BytesPerPixel, nameof(rgb));
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = (byte)FrameConverter.Luma(rgb[3 * i], rgb[(3 * i) + 1], rgb[(3 * i) + 2]);
        }
    }

    // Rounded: (from·(255 - a) + to·a + 127) / 255, exact at a = 0 and a = 255.
    private static byte Blend(int from, int to, int a) => (byte)(((from * (255 - a)) + (to * a) + 127) / 255);
}
