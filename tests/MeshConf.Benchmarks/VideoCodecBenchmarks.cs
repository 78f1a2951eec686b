using BenchmarkDotNet.Attributes;
using MeshConf.Core.Video;

namespace MeshConf.Benchmarks;

/// <summary>
/// One outgoing stream's codec work per frame in steady state: encode the next frame of a clip at 80 x 40 (the
/// receiver's feedback applied, as in a call) and decode it. Nothing may allocate. The clip is the built-in
/// pattern here; the codec report (`CodecReport`) states bitrate and quality per corpus clip.
/// </summary>
[MemoryDiagnoser]
public class VideoCodecBenchmarks
{
    private const int Cols = 80;
    private const int Rows = 40;
    private const int Frames = 60;

    private CellGrid[] _sources = null!;
    private CellGrid _source = null!;
    private VideoFrameEncoder _encoder = null!;
    private VideoFrameDecoder _decoder = null!;
    private byte[] _message = null!;
    private int _frame;
    private ulong _time;

    [Params(CellMode.TrueColor, CellMode.Ansi256, CellMode.Mono, CellMode.Quadrant, CellMode.Sextant)]
    public CellMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sourceMode = VideoFrameEncoder.SourceMode(Mode);
        _sources = new CellGrid[Frames];
        var pattern = new TestPattern("alice", PatternFrames.Width, PatternFrames.Height);
        for (var i = 0; i < Frames; i++)
        {
            _sources[i] = new CellGrid(Cols, Rows, sourceMode);
            PatternFrames.Convert(pattern, TimeSpan.FromSeconds(10 + (i / 15.0)), _sources[i]);
        }

        _source = new CellGrid(Cols, Rows, sourceMode);
        _encoder = new VideoFrameEncoder(1, Cols, Rows, Mode, new VideoEncoderSettings());
        _encoder.AddReceiver(1);
        _decoder = new VideoFrameDecoder();
        _message = new byte[VideoFrameCodec.MaxMessage(Cols * Rows, Mode)];
    }

    [Benchmark]
    public int EncodeAndDecodeFrame()
    {
        // The encoder denoises its source in place: each frame starts from a fresh copy.
        _sources[_frame++ % Frames].CopyTo(_source);
        _time += 66_666;
        var length = _encoder.Encode(_source, _time, _message);
        var result = _decoder.Decode(_message.AsSpan(0, length), out _);
        _encoder.OnFeedback(1, _decoder.Feedback, _time);
        return result == VideoDecodeResult.Decoded ? length : throw new InvalidOperationException($"decode gave {result}");
    }
}
