using System.Buffers.Binary;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MeshConf.Core.Video;

namespace MeshConf.Benchmarks;

/// <summary>
/// One video frame through the codec, per stream: a keyframe and a typical delta (two consecutive frames of the
/// built-in pattern at 15 fps, 1/15 s apart), encoded and decoded, for the 80 x 40 and 160 x 60 truecolor tiles.
/// Nothing may allocate. The Bytes column is the message (32-byte header included) each one handles.
/// </summary>
/// <remarks>
/// A decoder only takes each sequence number once, so the decode benchmarks hand it the same two messages (the
/// delta from frame A to B and the one from B back to A) with the header's sequence numbers rewritten to keep
/// rising: the body and the content hash are untouched, so every decode does the full work and is verified.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class VideoCodecBenchmarks
{
    private CellGrid _a = null!;
    private CellGrid _b = null!;
    private VideoFrameEncoder _keyEncoder = null!;
    private VideoFrameEncoder _deltaEncoder = null!;
    private VideoFrameDecoder _decoder = null!;
    private byte[] _message = null!;
    private byte[] _keyframe = null!;
    private byte[][] _deltas = null!;
    private bool _toB;
    private uint _sequence;

    /// <summary>The tile, cols x rows, truecolor.</summary>
    [Params("80x40", "160x60")]
    public string Tile { get; set; } = "80x40";

    [GlobalSetup]
    public void Setup()
    {
        (_a, _b, _keyframe, _deltas) = Messages(Tile);
        _message = new byte[VideoFrameCodec.MaxMessage(_a.Count, _a.Mode)];
        Console.WriteLine($"// {Tile} truecolor: keyframe {_keyframe.Length} B, typical delta {_deltas[0].Length} B and {_deltas[1].Length} B "
            + $"({VideoFrameHeader.Size} B header each, {Changed(_a, _b)} of {_a.Count} cells changed)");

        _keyEncoder = new VideoFrameEncoder(0);
        _deltaEncoder = new VideoFrameEncoder(0, keyframeInterval: int.MaxValue);
        _deltaEncoder.Encode(_a, 0, _message);
        _decoder = new VideoFrameDecoder();
        _decoder.Decode(_keyframe, out _);
        _sequence = 1;
    }

    [Benchmark]
    public int EncodeKeyframe()
    {
        _keyEncoder.RequestKeyframe();
        return _keyEncoder.Encode(_a, 0, _message);
    }

    [Benchmark]
    public int EncodeDelta()
    {
        _toB = !_toB;
        return _deltaEncoder.Encode(_toB ? _b : _a, 0, _message);
    }

    [Benchmark]
    public int DecodeKeyframe()
    {
        _sequence++;
        Renumber(_keyframe, _sequence, _sequence);
        return Check(_decoder.Decode(_keyframe, out _));
    }

    [Benchmark]
    public int DecodeDelta()
    {
        // The shown frame is A after a keyframe or an even number of deltas: send A -> B, then B -> A.
        var delta = _deltas[_sequence % 2 == 1 ? 0 : 1];
        _sequence++;
        Renumber(delta, _sequence, _sequence - 1);
        return Check(_decoder.Decode(delta, out _));
    }

    // Frames A and B (1/15 s apart), A's keyframe, and the deltas A -> B and B -> A.
    private static (CellGrid A, CellGrid B, byte[] Keyframe, byte[][] Deltas) Messages(string tile)
    {
        var size = tile.Split('x');
        var (cols, rows) = (int.Parse(size[0], CultureInfo.InvariantCulture), int.Parse(size[1], CultureInfo.InvariantCulture));
        var a = PatternFrames.Convert("alice", TimeSpan.FromSeconds(10.2), cols, rows, CellMode.TrueColor);
        var b = PatternFrames.Convert("alice", TimeSpan.FromSeconds(10.2 + (1 / 15.0)), cols, rows, CellMode.TrueColor);
        var message = new byte[VideoFrameCodec.MaxMessage(a.Count, a.Mode)];
        var encoder = new VideoFrameEncoder(0, keyframeInterval: int.MaxValue);
        var keyframe = message.AsSpan(0, encoder.Encode(a, 0, message)).ToArray();
        var toB = message.AsSpan(0, encoder.Encode(b, 0, message)).ToArray();
        var toA = message.AsSpan(0, encoder.Encode(a, 0, message)).ToArray();
        return (a, b, keyframe, [toB, toA]);
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new FigureColumn("Bytes", "Bytes of the message encoded or decoded (header included)", benchmarkCase =>
        {
            var (_, _, keyframe, deltas) = Messages(FigureColumn.Parameter(benchmarkCase, nameof(Tile)));
            var bytes = benchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("Keyframe", StringComparison.Ordinal) ? keyframe.Length : deltas[0].Length;
            return bytes.ToString(CultureInfo.InvariantCulture);
        }));
    }

    private void Renumber(byte[] message, uint sequence, uint baseSequence)
    {
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(6), baseSequence);
    }

    // The shown frame's first cell, so the work cannot be skipped; a decode that fails stops the run.
    private int Check(VideoDecodeResult result) =>
        result == VideoDecodeResult.Decoded ? (int)_decoder.Current!.Foreground[0] : throw new InvalidOperationException($"decode gave {result} at sequence {_sequence}");

    private static int Changed(CellGrid a, CellGrid b)
    {
        var changed = 0;
        for (var i = 0; i < a.Count; i++)
        {
            changed += a.Foreground[i] != b.Foreground[i] || a.Background[i] != b.Background[i] ? 1 : 0;
        }

        return changed;
    }
}
