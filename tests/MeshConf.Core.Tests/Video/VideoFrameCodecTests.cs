using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class VideoFrameCodecTests
{
    public static TheoryData<CellMode> Modes => [CellMode.Mono, CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16];

    /// <summary>Changes some cells of a grid to other valid values of its mode, as a moving picture does.</summary>
    private static void Mutate(CellGrid grid, Random random, int changes)
    {
        var foreground = grid.ForegroundStorage;
        var background = grid.BackgroundStorage;
        for (var n = 0; n < changes; n++)
        {
            var i = random.Next(grid.Count);
            switch (grid.Mode)
            {
                case CellMode.Mono:
                    foreground[i] = FrameConverter.MonoRamp[random.Next(FrameConverter.MonoRamp.Length)];
                    break;
                case CellMode.TrueColor:
                    foreground[i] = (uint)random.Next(0x1000000);
                    background[i] = (uint)random.Next(0x1000000);
                    break;
                case CellMode.Ansi256:
                    foreground[i] = (uint)random.Next(16, 256);
                    background[i] = (uint)random.Next(16, 256);
                    break;
                default:
                    foreground[i] = (uint)random.Next(16);
                    background[i] = (uint)random.Next(16);
                    break;
            }
        }
    }

    private static byte[] Encode(VideoFrameEncoder encoder, CellGrid grid, ulong time = 0)
    {
        var buffer = new byte[VideoFrameCodec.MaxMessage(grid.Count, grid.Mode)];
        var length = encoder.Encode(grid, time, buffer);
        return buffer[..length];
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_a_moving_picture_When_every_frame_arrives_Then_each_decodes_to_exactly_the_sent_grid(CellMode mode)
    {
        var random = new Random(1);
        var grid = new CellGrid(40, 12, mode);
        Mutate(grid, random, 480);
        var encoder = new VideoFrameEncoder(0, keyframeInterval: 10);
        var decoder = new VideoFrameDecoder();
        var keyframes = 0;
        for (var frame = 0; frame < 60; frame++)
        {
            Mutate(grid, random, random.Next(0, 40));
            var message = Encode(encoder, grid, (ulong)frame);

            Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message, out var header));
            Assert.True(decoder.Current!.ContentEquals(grid), $"frame {frame} differs");
            Assert.Equal((ulong)frame, header.CaptureMicroseconds);
            keyframes += header.IsKeyframe ? 1 : 0;
        }

        Assert.Equal(6, keyframes);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_loss_reordering_and_duplicates_When_decoding_Then_no_wrong_frame_is_ever_shown_and_the_stream_recovers(CellMode mode)
    {
        var random = new Random(2 + (int)mode);
        var grid = new CellGrid(24, 10, mode);
        var encoder = new VideoFrameEncoder(0, keyframeInterval: 1000);
        var decoder = new VideoFrameDecoder();
        var sent = new Dictionary<uint, ulong>();
        var inFlight = new List<byte[]>();
        var shown = 0;
        for (var frame = 0; frame < 2000; frame++)
        {
            Mutate(grid, random, random.Next(1, 30));
            var message = Encode(encoder, grid);
            sent[encoder.Sequence] = grid.ContentHash();
            if (random.NextDouble() < 0.1)
            {
                continue; // lost
            }

            inFlight.Add(message);
            if (random.NextDouble() < 0.05)
            {
                inFlight.Add(message); // duplicated
            }

            if (inFlight.Count > 1 && random.NextDouble() < 0.1)
            {
                (inFlight[^1], inFlight[^2]) = (inFlight[^2], inFlight[^1]); // reordered
            }

            while (inFlight.Count > (random.NextDouble() < 0.5 ? 1 : 0))
            {
                var arriving = inFlight[0];
                inFlight.RemoveAt(0);
                var result = decoder.Decode(arriving, out var header);
                if (result == VideoDecodeResult.Decoded)
                {
                    shown++;
                    Assert.Equal(sent[header.Sequence], decoder.Current!.ContentHash());
                }
                else if (result is VideoDecodeResult.NeedKeyframe or VideoDecodeResult.HashMismatch)
                {
                    encoder.RequestKeyframe();
                }
            }
        }

        Assert.Equal(0, decoder.Malformed);
        Assert.Equal(0, decoder.HashMismatches);
        Assert.True(shown > 1000, $"only {shown} frames shown");
    }

    [Fact]
    public void Given_a_small_change_When_encoded_Then_the_delta_is_far_smaller_than_the_keyframe()
    {
        var pixels = TestFrames.Random(160, 120, 5);
        var grid = TestFrames.Convert(pixels, 160, 120, 80, 40, CellMode.TrueColor);
        var encoder = new VideoFrameEncoder(0);
        var keyframe = Encode(encoder, grid);
        Mutate(grid, new Random(6), 20);
        var delta = Encode(encoder, grid);

        Assert.True(VideoFrameHeader.TryRead(keyframe, out var keyHeader) && keyHeader.IsKeyframe);
        Assert.True(VideoFrameHeader.TryRead(delta, out var deltaHeader) && !deltaHeader.IsKeyframe);
        Assert.Equal(keyHeader.Sequence, deltaHeader.BaseSequence);
        Assert.True(delta.Length * 20 < keyframe.Length, $"delta {delta.Length} B, keyframe {keyframe.Length} B");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_changes_in_the_first_cell_column_0_and_the_last_cell_When_sent_as_a_delta_Then_they_decode_exactly(CellMode mode)
    {
        // The cells whose prediction has no left neighbour (column 0) or no neighbour at all (the first cell).
        var grid = new CellGrid(9, 5, mode);
        Mutate(grid, new Random(4), 45);
        var encoder = new VideoFrameEncoder(0, keyframeInterval: 100);
        var decoder = new VideoFrameDecoder();
        Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(Encode(encoder, grid), out _));
        var other = new CellGrid(9, 5, mode);
        Mutate(other, new Random(5), 45);
        foreach (var index in new[] { 0, 9, 18, 27, 36, 44, 1, 10 })
        {
            grid.ForegroundStorage[index] = other.Foreground[index];
            grid.BackgroundStorage[index] = other.Background[index];
            var message = Encode(encoder, grid);

            Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message, out var header));
            Assert.False(header.IsKeyframe);
            Assert.True(decoder.Current!.ContentEquals(grid), $"after changing cell {index}");
        }
    }

    [Fact]
    public void Given_a_smooth_picture_When_a_region_moves_Then_the_predicted_delta_is_smaller_than_its_raw_cells()
    {
        // A truecolor gradient with a block of another gradient moved one cell right: the changed cells' colours
        // are all different, but each is close to its left neighbour, so their residuals are small and repeat.
        var grid = new CellGrid(80, 40, CellMode.TrueColor);
        Paint(grid, 10);
        var encoder = new VideoFrameEncoder(0, keyframeInterval: 100);
        Encode(encoder, grid);
        Paint(grid, 11);

        var delta = Encode(encoder, grid);

        Assert.True(VideoFrameHeader.TryRead(delta, out var header) && !header.IsKeyframe);
        var changedBytes = 20 * 10 * VideoFrameCodec.BytesPerCell(CellMode.TrueColor);
        Assert.True(delta.Length - VideoFrameHeader.Size < changedBytes / 4, $"delta body {delta.Length - VideoFrameHeader.Size} B for {changedBytes} B of cells");

        static void Paint(CellGrid grid, int blockLeft)
        {
            for (var row = 0; row < grid.Rows; row++)
            {
                for (var col = 0; col < grid.Cols; col++)
                {
                    var inBlock = row is >= 10 and < 20 && col >= blockLeft && col < blockLeft + 19;
                    var top = inBlock ? ColorQuantizer.Pack(200 - (3 * (col - blockLeft)), 40 + (2 * row), 90) : ColorQuantizer.Pack(col * 3, row * 6, 128);
                    grid.ForegroundStorage[(row * grid.Cols) + col] = top;
                    grid.BackgroundStorage[(row * grid.Cols) + col] = top + 0x010101;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_a_warm_encoder_and_decoder_When_streaming_keyframes_and_deltas_Then_nothing_is_allocated(CellMode mode)
    {
        var pattern = new TestPattern("alloc", 320, 240);
        var rgb = new byte[pattern.FrameBytes];
        var grids = new CellGrid[40];
        for (var i = 0; i < grids.Length; i++)
        {
            pattern.Render(TimeSpan.FromSeconds(i / 15.0), rgb);
            grids[i] = new CellGrid(80, 40, mode);
            FrameConverter.Convert(new RgbFrame(rgb, 320, 240), grids[i], mirror: false);
        }

        var encoder = new VideoFrameEncoder(0, keyframeInterval: 10);
        var decoder = new VideoFrameDecoder();
        var message = new byte[VideoFrameCodec.MaxMessage(grids[0].Count, mode)];
        // Warm up past tiered compilation's rejit (at 30 calls), whose first calls allocate on this thread.
        for (var i = 0; i < 120; i++)
        {
            decoder.Decode(message.AsSpan(0, encoder.Encode(grids[i % 20], (ulong)i, message)), out _);
        }

        var decoded = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 20; i < grids.Length; i++)
        {
            var length = encoder.Encode(grids[i], (ulong)(100 + i), message);
            decoded += decoder.Decode(message.AsSpan(0, length), out _) == VideoDecodeResult.Decoded ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20, decoded);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Given_a_new_size_or_a_request_When_encoding_Then_a_keyframe_is_sent()
    {
        var encoder = new VideoFrameEncoder(0, keyframeInterval: 100);
        var small = new CellGrid(10, 5, CellMode.Ansi16);
        Assert.True(IsKey(Encode(encoder, small)));
        Assert.False(IsKey(Encode(encoder, small)));
        Assert.True(IsKey(Encode(encoder, new CellGrid(12, 5, CellMode.Ansi16))));
        Assert.True(IsKey(Encode(encoder, new CellGrid(12, 5, CellMode.Mono))));
        Assert.False(IsKey(Encode(encoder, new CellGrid(12, 5, CellMode.Mono))));
        encoder.RequestKeyframe();
        Assert.True(IsKey(Encode(encoder, new CellGrid(12, 5, CellMode.Mono))));

        static bool IsKey(byte[] message) => VideoFrameHeader.TryRead(message, out var header) && header.IsKeyframe;
    }

    [Fact]
    public void Given_a_delta_before_any_keyframe_When_decoded_Then_a_keyframe_is_needed_and_nothing_shown()
    {
        var encoder = new VideoFrameEncoder(0);
        var grid = new CellGrid(8, 4, CellMode.TrueColor);
        Encode(encoder, grid);
        Mutate(grid, new Random(1), 3);
        var delta = Encode(encoder, grid);
        var decoder = new VideoFrameDecoder();

        Assert.Equal(VideoDecodeResult.NeedKeyframe, decoder.Decode(delta, out _));
        Assert.Null(decoder.Current);
    }

    [Fact]
    public void Given_a_million_mutated_messages_When_decoded_Then_nothing_escapes_and_every_shown_frame_matches_its_hash()
    {
        var random = new Random(42);
        var samples = new List<byte[]>();
        foreach (var mode in new[] { CellMode.Mono, CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16 })
        {
            var encoder = new VideoFrameEncoder(0, keyframeInterval: 4);
            var grid = new CellGrid(12, 6, mode);
            for (var i = 0; i < 8; i++)
            {
                Mutate(grid, random, 10);
                samples.Add(Encode(encoder, grid));
            }
        }

        var decoder = new VideoFrameDecoder();
        var buffer = new byte[512];
        for (var n = 0; n < 1_000_000; n++)
        {
            var sample = samples[random.Next(samples.Count)];
            var length = Math.Min(sample.Length, buffer.Length);
            sample.AsSpan(0, length).CopyTo(buffer);
            switch (random.Next(4))
            {
                case 0:
                    buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    length = random.Next(length + 1);
                    break;
                case 2:
                    buffer[random.Next(VideoFrameHeader.Size, Math.Max(VideoFrameHeader.Size + 1, length))] = (byte)random.Next(256);
                    break;
                default:
                    random.NextBytes(buffer.AsSpan(random.Next(length), Math.Min(8, buffer.Length - length)));
                    break;
            }

            if (decoder.Decode(buffer.AsSpan(0, length), out var header) == VideoDecodeResult.Decoded)
            {
                Assert.Equal(header.ContentHash, decoder.Current!.ContentHash());
            }
        }
    }

    [Fact]
    public void Given_a_header_When_written_and_read_Then_every_field_survives_and_nonsense_is_refused()
    {
        var header = new VideoFrameHeader(3, 0xDEADBEEF, 0xDEADBEEE, 123456789012, 80, 40, CellMode.Ansi256, false, true, 0x0102030405060708);
        var bytes = new byte[VideoFrameHeader.Size];
        header.Write(bytes);

        Assert.True(VideoFrameHeader.TryRead(bytes, out var read));
        Assert.Equal(header, read);
        Assert.False(VideoFrameHeader.TryRead(bytes.AsSpan(0, 31), out _));
        bytes[22] = 9;
        Assert.False(VideoFrameHeader.TryRead(bytes, out _));
        header.Write(bytes);
        bytes[23] = 0x80;
        Assert.False(VideoFrameHeader.TryRead(bytes, out _));
        header.Write(bytes);
        bytes[18] = 0;
        bytes[19] = 0;
        Assert.False(VideoFrameHeader.TryRead(bytes, out _));
    }
}
