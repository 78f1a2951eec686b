using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MeshConf.Core.Video;

namespace MeshConf.Benchmarks;

/// <summary>
/// One outgoing `--video pattern` stream as the sender runs it, per frame: draw the 320 x 240 pattern, convert
/// it to the 80 x 40 truecolor tile, encode it (keyframe every 30 frames), frame after frame 1/15 s apart. The
/// kbit/s column is the stream's bandwidth over 10 s at 15 fps (target at most 150): message bytes, 32-byte
/// headers included, before encryption and transport overhead.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class PatternStreamBenchmarks
{
    private const int Cols = 80;
    private const int Rows = 40;
    private const int Fps = 15;

    private TestPattern _pattern = null!;
    private byte[] _rgb = null!;
    private CellGrid _grid = null!;
    private VideoFrameEncoder _encoder = null!;
    private byte[] _message = null!;
    private long _frame;

    [GlobalSetup]
    public void Setup()
    {
        _pattern = new TestPattern("alice", PatternFrames.Width, PatternFrames.Height);
        _rgb = new byte[_pattern.FrameBytes];
        _grid = new CellGrid(Cols, Rows, CellMode.TrueColor);
        _encoder = new VideoFrameEncoder(0);
        _message = new byte[VideoFrameCodec.MaxMessage(_grid.Count, _grid.Mode)];
        Console.WriteLine($"// pattern {Cols}x{Rows} truecolor at {Fps} fps: {KilobitsPerSecond(10):F1} kbit/s over 10 s");
    }

    [Benchmark]
    public int RenderConvertEncodeFrame()
    {
        _pattern.Render(TimeSpan.FromSeconds(_frame++ / (double)Fps), _rgb);
        FrameConverter.Convert(new RgbFrame(_rgb, _pattern.Width, _pattern.Height), _grid, mirror: false);
        return _encoder.Encode(_grid, 0, _message);
    }

    /// <summary>The stream's bandwidth over its first <paramref name="seconds"/> seconds.</summary>
    public static double KilobitsPerSecond(int seconds)
    {
        var pattern = new TestPattern("alice", PatternFrames.Width, PatternFrames.Height);
        var rgb = new byte[pattern.FrameBytes];
        var grid = new CellGrid(Cols, Rows, CellMode.TrueColor);
        var encoder = new VideoFrameEncoder(0);
        var message = new byte[VideoFrameCodec.MaxMessage(grid.Count, grid.Mode)];
        long bytes = 0;
        for (var i = 0; i < seconds * Fps; i++)
        {
            pattern.Render(TimeSpan.FromSeconds(i / (double)Fps), rgb);
            FrameConverter.Convert(new RgbFrame(rgb, pattern.Width, pattern.Height), grid, mirror: false);
            bytes += encoder.Encode(grid, (ulong)i, message);
        }

        return bytes * 8 / 1000.0 / seconds;
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new FigureColumn("kbit/s", "The stream's bandwidth over 10 s at 15 fps", _ =>
            KilobitsPerSecond(10).ToString("F1", CultureInfo.InvariantCulture)));
    }
}
