namespace MeshConf.Core.Video.Quality;

/// <summary>
/// How close the picture a receiver shows is to the exact conversion of the same source frame, both grids of one
/// size and mode: PSNR over the pixels' RGB and the mean and largest CIEDE2000 per pixel. A half-block cell is
/// its two colours as two pixels (palette modes through their palettes), a quadrant or sextant cell its 4 or 6
/// sub-pixels, a coloured glyph its colour; a mono cell is four pixels, the mean coverage of each quarter of its
/// glyph (<see cref="MonoGlyphs.Pattern"/>) as a grey level, so a glyph of the wrong shape counts as well as one of
/// the wrong ink. Sums over many frames with <see cref="Add"/>,
/// so a stream's figure is one number.
/// </summary>
internal sealed class PictureFidelity
{
    private double _squaredError;
    private long _samples;
    private double _deltaE;
    private long _pixels;

    /// <summary>The peak signal-to-noise ratio in dB over every channel added (100 for identical pictures).</summary>
    public double Psnr => _samples == 0 || _squaredError == 0 ? 100 : 10 * Math.Log10(255.0 * 255.0 / (_squaredError / _samples));

    /// <summary>Mean CIEDE2000 per pixel.</summary>
    public double MeanDeltaE => _pixels == 0 ? 0 : _deltaE / _pixels;

    /// <summary>The largest CIEDE2000 of any pixel.</summary>
    public double MaxDeltaE { get; private set; }

    /// <summary>Share of pixels more than 3 ΔE00 off (visible side by side), 0..1.</summary>
    public double VisibleShare => _pixels == 0 ? 0 : (double)VisiblePixels / _pixels;

    public long VisiblePixels { get; private set; }

    public int Frames { get; private set; }

    /// <summary>Adds one frame: <paramref name="shown"/> against <paramref name="exact"/>.</summary>
    public void Add(CellGrid shown, CellGrid exact)
    {
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(exact);
        if (shown.Cols != exact.Cols || shown.Rows != exact.Rows || shown.Mode != exact.Mode)
        {
            throw new ArgumentException("the grids differ in size or mode", nameof(shown));
        }

        for (var i = 0; i < shown.Count; i++)
        {
            if (shown.Mode == CellMode.Mono)
            {
                for (var quarter = 0; quarter < 4; quarter++)
                {
                    AddPixel(MonoGrey(shown.Foreground[i], quarter), MonoGrey(exact.Foreground[i], quarter));
                }

                continue;
            }

            if (shown.Mode is CellMode.Quadrant or CellMode.Sextant)
            {
                for (var bit = 0; bit < FrameConverter.BlockColumns * FrameConverter.BlockRows(shown.Mode); bit++)
                {
                    AddPixel(FrameConverter.BlockPixel(shown.Foreground[i], shown.Background[i], bit), FrameConverter.BlockPixel(exact.Foreground[i], exact.Background[i], bit));
                }

                continue;
            }

            if (shown.Mode == CellMode.GlyphColor)
            {
                AddPixel(shown.Foreground[i] & 0xFFFFFF, exact.Foreground[i] & 0xFFFFFF);
                continue;
            }

            AddPixel(ToRgb(shown.Mode, shown.Foreground[i]), ToRgb(exact.Mode, exact.Foreground[i]));
            AddPixel(ToRgb(shown.Mode, shown.Background[i]), ToRgb(exact.Mode, exact.Background[i]));
        }

        Frames++;
    }

    /// <summary>A cell colour as <c>0x00RRGGBB</c>, palette indices through their palette.</summary>
    public static uint ToRgb(CellMode mode, uint value) => mode switch
    {
        CellMode.Ansi256 => ColorQuantizer.Xterm256Rgb((int)value),
        CellMode.Ansi16 => ColorQuantizer.Ansi16Rgb((int)value),
        _ => value,
    };

    // The mean of one quarter (0 top left, 1 top right, 2 bottom left, 3 bottom right) of the glyph's coverage
    // samples, stretched from the set's brightest mean to white.
    private static uint MonoGrey(uint glyph, int quarter)
    {
        var pattern = MonoGlyphs.Pattern(Math.Max(0, VideoFrameCodec.MonoIndex(glyph)));
        var (x0, y0) = ((quarter & 1) * MonoGlyphs.SamplesAcross / 2, (quarter >> 1) * MonoGlyphs.SamplesDown / 2);
        var sum = 0;
        for (var y = y0; y < y0 + (MonoGlyphs.SamplesDown / 2); y++)
        {
            for (var x = x0; x < x0 + (MonoGlyphs.SamplesAcross / 2); x++)
            {
                sum += pattern[(y * MonoGlyphs.SamplesAcross) + x];
            }
        }

        var grey = (uint)Math.Min(255, sum * 255 / (MonoGlyphs.Samples / 4) / Math.Max(1, MonoGlyphs.MaxMeanCoverage));
        return (grey << 16) | (grey << 8) | grey;
    }

    private void AddPixel(uint a, uint b)
    {
        for (var shift = 0; shift <= 16; shift += 8)
        {
            var d = (int)((a >> shift) & 0xFF) - (int)((b >> shift) & 0xFF);
            _squaredError += d * d;
        }

        _samples += 3;
        var deltaE = Ciede2000.Between(a, b);
        _deltaE += deltaE;
        _pixels++;
        MaxDeltaE = Math.Max(MaxDeltaE, deltaE);
        if (deltaE > 3)
        {
            VisiblePixels++;
        }
    }
}
