using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MeshConf.Core.Tests.Video;
using MeshConf.Core.Video;
using MeshConf.TestSupport;

namespace MeshConf.Benchmarks;

/// <summary>
/// One outgoing stream's codec work per frame on real content: the next frame of a corpus clip at 80 x 40 (from
/// the 160 x 160 picture a node captures for such a tile, 320 x 320 in the block modes), encoded with the defaults a call uses, decoded, and
/// the receiver's feedback applied, as in a call. The time is encode plus decode of one frame; nothing may
/// allocate. The kbit/s, PSNR and ΔE00 columns are the same clip streamed in virtual time through
/// <see cref="CodecRun"/> (what CorpusCodecTests bounds), so the table states cost and quality together.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class VideoCodecBenchmarks
{
    private const int Cols = 80;
    private const int Rows = 40;

    // The capture a node asks for such a tile (VideoSender.CaptureSizeFor): 160 x 160, twice that for blocks.
    private static int CaptureFor(CellMode mode) => mode is CellMode.Quadrant or CellMode.Sextant ? 320 : 160;

    private static readonly ConcurrentDictionary<(string, CellMode), CodecRunResult> s_runs = new();

    private CellGrid[] _sources = null!;
    private CellGrid _source = null!;
    private VideoFrameEncoder _encoder = null!;
    private VideoFrameDecoder _decoder = null!;
    private byte[] _message = null!;
    private int _frame;
    private ulong _time;

    [Params("portrait-shake", "person-moving", "scene-cut", "still-noise")]
    public string Clip { get; set; } = "portrait-shake";

    [Params(CellMode.TrueColor, CellMode.Ansi256, CellMode.Mono, CellMode.Quadrant, CellMode.Sextant)]
    public CellMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sourceMode = VideoFrameEncoder.SourceMode(Mode);
        var capture = CaptureFor(Mode);
        var clip = VideoCorpus.Decode(Clip, capture, capture);
        _sources = new CellGrid[clip.Frames.Count];
        for (var i = 0; i < _sources.Length; i++)
        {
            _sources[i] = new CellGrid(Cols, Rows, sourceMode);
            FrameConverter.Convert(new RgbFrame(clip.Frames[i], capture, capture), _sources[i], mirror: false);
        }

        _source = new CellGrid(Cols, Rows, sourceMode);
        _encoder = new VideoFrameEncoder(1, Cols, Rows, Mode, new VideoEncoderSettings(Fps: CorpusClip.Fps));
        _encoder.AddReceiver(1);
        _decoder = new VideoFrameDecoder();
        _message = new byte[VideoFrameCodec.MaxMessage(Cols * Rows, Mode)];
    }

    [Benchmark]
    public int EncodeAndDecodeFrame()
    {
        // The encoder denoises its source in place: each frame starts from a fresh copy. The clip loops; the
        // jump back to its first frame is a cut, as a camera's would be.
        _sources[_frame++ % _sources.Length].CopyTo(_source);
        _time += 1_000_000 / (ulong)CorpusClip.Fps;
        var length = _encoder.Encode(_source, _time, _message);
        var result = _decoder.Decode(_message.AsSpan(0, length), out _);
        _encoder.OnFeedback(1, _decoder.Feedback, _time);
        return result == VideoDecodeResult.Decoded ? length : throw new InvalidOperationException($"decode gave {result}");
    }

    private static CodecRunResult Stream(BenchmarkDotNet.Running.BenchmarkCase benchmarkCase)
    {
        var clip = FigureColumn.Parameter(benchmarkCase, nameof(Clip));
        var mode = Enum.Parse<CellMode>(FigureColumn.Parameter(benchmarkCase, nameof(Mode)));
        return s_runs.GetOrAdd((clip, mode), key =>
        {
            var capture = CaptureFor(key.Item2);
            var frames = VideoCorpus.Decode(key.Item1, capture, capture);
            return CodecRun.Run(frames.Frames, capture, capture, Cols, Rows, key.Item2, new VideoEncoderSettings(Fps: CorpusClip.Fps), repeat: 2);
        });
    }

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new FigureColumn("kbit/s", "The clip's stream through the codec, header included, before sealing",
                c => Stream(c).Kbps.ToString("F1", CultureInfo.InvariantCulture)));
            AddColumn(new FigureColumn("PSNR dB", "The receiver's picture against the exact conversion of each frame",
                c => Stream(c).Fidelity.Psnr.ToString("F1", CultureInfo.InvariantCulture)));
            AddColumn(new FigureColumn("mean ΔE00", "Mean CIEDE2000 of the receiver's pixels against the exact conversion",
                c => Stream(c).Fidelity.MeanDeltaE.ToString("F2", CultureInfo.InvariantCulture)));
        }
    }
}
