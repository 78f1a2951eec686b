using BenchmarkDotNet.Attributes;
using MeshConf.Core.Video;

namespace MeshConf.Benchmarks;

/// <summary>
/// One camera frame (320 x 240 rgb24) into one 160 x 60 tile, per mode: the per-frame, per-stream cost of the
/// video converter. Target at most 100 us and no allocation for truecolor and mono. Also truecolor into the
/// 80 x 40 tile (even 4 x 3 boxes) and into 133 x 50, the tile 320 x 240 fits in 200 x 50 (boxes of two widths),
/// and the block modes into 80 x 40 (160 x 80 quadrant and 160 x 120 sextant sub-pixels, then the split per cell).
/// </summary>
[MemoryDiagnoser]
public class FrameConversionBenchmarks
{
    private const int Width = 320;
    private const int Height = 240;

    private byte[] _pixels = null!;
    private CellGrid _trueColor = null!;
    private CellGrid _mono = null!;
    private CellGrid _ansi256 = null!;
    private CellGrid _ansi16 = null!;
    private CellGrid _trueColor80x40 = null!;
    private CellGrid _trueColor133x50 = null!;
    private CellGrid _quadrant80x40 = null!;
    private CellGrid _sextant80x40 = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A smooth picture with detail, like a webcam's, not noise: a diagonal colour gradient with rings.
        _pixels = new byte[Width * Height * RgbFrame.BytesPerPixel];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var i = (y * Width + x) * RgbFrame.BytesPerPixel;
                var ring = (int)(127 + 127 * Math.Sin(Math.Sqrt(((x - 160) * (x - 160)) + ((y - 120) * (y - 120))) / 6));
                _pixels[i] = (byte)(x * 255 / Width);
                _pixels[i + 1] = (byte)ring;
                _pixels[i + 2] = (byte)(y * 255 / Height);
            }
        }

        _trueColor = new CellGrid(160, 60, CellMode.TrueColor);
        _mono = new CellGrid(160, 60, CellMode.Mono);
        _ansi256 = new CellGrid(160, 60, CellMode.Ansi256);
        _ansi16 = new CellGrid(160, 60, CellMode.Ansi16);
        _trueColor80x40 = new CellGrid(80, 40, CellMode.TrueColor);
        _trueColor133x50 = new CellGrid(133, 50, CellMode.TrueColor);
        _quadrant80x40 = new CellGrid(80, 40, CellMode.Quadrant);
        _sextant80x40 = new CellGrid(80, 40, CellMode.Sextant);
    }

    [Benchmark(Baseline = true)]
    public uint TrueColor()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _trueColor, mirror: false);
        return _trueColor.Foreground[0];
    }

    [Benchmark]
    public uint Mono()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _mono, mirror: false);
        return _mono.Foreground[0];
    }

    [Benchmark]
    public uint Ansi256()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _ansi256, mirror: false);
        return _ansi256.Foreground[0];
    }

    [Benchmark]
    public uint Ansi16()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _ansi16, mirror: false);
        return _ansi16.Foreground[0];
    }

    [Benchmark]
    public uint TrueColor80x40()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _trueColor80x40, mirror: false);
        return _trueColor80x40.Foreground[0];
    }

    [Benchmark]
    public uint TrueColor133x50()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _trueColor133x50, mirror: false);
        return _trueColor133x50.Foreground[0];
    }

    [Benchmark]
    public uint Quadrant80x40()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _quadrant80x40, mirror: false);
        return _quadrant80x40.Foreground[0];
    }

    [Benchmark]
    public uint Sextant80x40()
    {
        FrameConverter.Convert(new RgbFrame(_pixels, Width, Height), _sextant80x40, mirror: false);
        return _sextant80x40.Foreground[0];
    }
}
