using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class VideoFrameCodecTests
{
    public static TheoryData<CellMode> Modes =>
        [CellMode.Mono, CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16, CellMode.Quadrant, CellMode.Sextant, CellMode.GlyphColor];

    private const ulong Receiver = 7;

    /// <summary>A source grid for a stream of this mode: truecolor for the colour modes, mono for mono.</summary>
    private static CellGrid SourceFor(int cols, int rows, CellMode mode) => new(cols, rows, VideoFrameEncoder.SourceMode(mode));

    /// <summary>Changes some cells of a source grid to other valid values, as a moving picture does.</summary>
    private static void Mutate(CellGrid source, Random random, int changes)
    {
        for (var n = 0; n < changes; n++)
        {
            var i = random.Next(source.Count);
            if (source.Mode == CellMode.Mono)
            {
                source.ForegroundStorage[i] = FrameConverter.MonoRamp[random.Next(FrameConverter.MonoRamp.Length)];
            }
            else if (source.Mode == CellMode.GlyphColor)
            {
                source.ForegroundStorage[i] = FrameConverter.PackBlock(random.Next(FrameConverter.MonoRamp.Length), (uint)random.Next(0x1000000));
            }
            else
            {
                // Any pattern the mode has (0 for truecolor), not only canonical ones: the wire carries them all.
                var pattern = random.Next(VideoFrameCodec.ShapeCount(source.Mode) == 1 ? 1 : VideoFrameCodec.ShapeCount(source.Mode));
                source.ForegroundStorage[i] = FrameConverter.PackBlock(pattern, (uint)random.Next(0x1000000));
                source.BackgroundStorage[i] = (uint)random.Next(0x1000000);
            }
        }
    }

    private static VideoFrameEncoder Encoder(CellGrid source, CellMode mode, int kbps = 100_000, bool denoise = false) =>
        NewEncoder(source.Cols, source.Rows, mode, kbps, denoise);

    private static VideoFrameEncoder NewEncoder(int cols, int rows, CellMode mode, int kbps = 100_000, bool denoise = false)
    {
        var encoder = new VideoFrameEncoder(1, cols, rows, mode, new VideoEncoderSettings(kbps, 15, VideoEncoderSettings.DefaultThreshold, denoise));
        Assert.True(encoder.AddReceiver(Receiver));
        return encoder;
    }

    private static byte[] Encode(VideoFrameEncoder encoder, CellGrid source, ulong time = 0)
    {
        var buffer = new byte[VideoFrameCodec.MaxMessage(source.Count, encoder.Mode)];
        var length = encoder.Encode(source, time, buffer);
        return buffer[..length];
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_a_moving_picture_and_feedback_When_every_frame_arrives_Then_each_decodes_to_exactly_what_the_sender_built_on_the_last_acknowledged(CellMode mode)
    {
        var random = new Random(1);
        var source = SourceFor(40, 12, mode);
        Mutate(source, random, 480);
        var encoder = Encoder(source, mode);
        var decoder = new VideoFrameDecoder();
        for (var frame = 0; frame < 60; frame++)
        {
            Mutate(source, random, random.Next(0, 40));
            var message = Encode(encoder, source, (ulong)frame * 66_666);

            Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message, out var header));
            Assert.True(decoder.Current!.ContentEquals(encoder.LastPicture), $"frame {frame} differs");
            Assert.Equal(frame == 0 ? 0u : header.Sequence - 1, header.BaseSequence);
            Assert.True(encoder.OnFeedback(Receiver, decoder.Feedback, (ulong)frame * 66_666 + 1000));
        }

        Assert.Equal(1, encoder.FramesFromBlank);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_loss_reordering_duplicates_and_lost_feedback_When_decoding_Then_no_wrong_frame_is_ever_shown_and_frames_keep_coming(CellMode mode)
    {
        var random = new Random(2 + (int)mode);
        var source = SourceFor(24, 10, mode);
        var encoder = Encoder(source, mode);
        var decoder = new VideoFrameDecoder();
        var sent = new Dictionary<uint, ulong>();
        var inFlight = new List<byte[]>();
        var shown = 0;
        for (var frame = 0; frame < 2000; frame++)
        {
            Mutate(source, random, random.Next(1, 30));
            var message = Encode(encoder, source, (ulong)frame * 66_666);
            sent[encoder.Sequence] = encoder.LastPicture.ContentHash();
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
                if (decoder.Decode(arriving, out var header) == VideoDecodeResult.Decoded)
                {
                    shown++;
                    Assert.Equal(sent[header.Sequence], decoder.Current!.ContentHash());
                }

                if (random.NextDouble() >= 0.1)
                {
                    encoder.OnFeedback(Receiver, decoder.Feedback, (ulong)frame * 66_666);
                }
            }
        }

        Assert.Equal(0, decoder.Malformed);
        Assert.Equal(0, decoder.HashMismatches);
        Assert.True(shown > 1500, $"only {shown} frames shown");
        Assert.True(encoder.FramesFromBlank < 20, $"{encoder.FramesFromBlank} frames from the blank picture");
    }

    [Fact]
    public void Given_a_change_below_the_threshold_When_encoded_Then_no_cell_is_sent_and_one_above_it_is()
    {
        var source = new CellGrid(8, 4, CellMode.TrueColor);
        source.ForegroundStorage.Fill(0x808080);
        source.BackgroundStorage.Fill(0x808080);
        var encoder = Encoder(source, CellMode.TrueColor);
        var decoder = new VideoFrameDecoder();
        decoder.Decode(Encode(encoder, source), out _);
        encoder.OnFeedback(Receiver, decoder.Feedback, 0);

        // Grey 128 -> 131: 3 levels of luma, about 1.2 ΔE: below the 2.5 threshold.
        source.ForegroundStorage[5] = 0x838383;
        Encode(encoder, source, 66_666);
        Assert.Equal(0, encoder.LastCellsSent);

        // 128 -> 150: about 8 ΔE.
        source.ForegroundStorage[5] = 0x969696;
        var message = Encode(encoder, source, 133_333);
        Assert.Equal(1, encoder.LastCellsSent);
        Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message, out _));
        Assert.Equal(VideoFrameCodec.Quantize(0x969696), decoder.Current!.Foreground[5]);
    }

    [Fact]
    public void Given_a_slow_drift_of_light_When_each_step_is_below_the_threshold_Then_errors_never_pile_up_past_it()
    {
        // The reference is what was sent, not the last source: a cell that creeps away is sent once it is
        // perceptibly off, so the shown picture never lags its source by more than the threshold.
        var source = new CellGrid(16, 8, CellMode.TrueColor);
        var encoder = Encoder(source, CellMode.TrueColor);
        var decoder = new VideoFrameDecoder();
        for (var step = 0; step < 150; step++)
        {
            var grey = (uint)(40 + step);
            source.ForegroundStorage.Fill(grey * 0x010101);
            source.BackgroundStorage.Fill(grey * 0x010101);
            Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(Encode(encoder, source, (ulong)step * 66_666), out _));
            encoder.OnFeedback(Receiver, decoder.Feedback, (ulong)step * 66_666);
            var error = PerceptualDistance.Of(decoder.Current!.Foreground[0], grey * 0x010101);
            Assert.True(error <= VideoEncoderSettings.DefaultThreshold + 0.5, $"step {step}: {error:F2} off");
        }
    }

    [Fact]
    public void Given_a_drift_of_light_over_a_detailed_picture_When_encoded_Then_cells_are_predicted_from_the_base_and_decode_exactly()
    {
        var random = new Random(9);
        var source = new CellGrid(40, 20, CellMode.TrueColor);
        Mutate(source, random, 2000);
        var encoder = Encoder(source, CellMode.TrueColor);
        var decoder = new VideoFrameDecoder();
        decoder.Decode(Encode(encoder, source), out var first);
        Assert.False(first.IsTemporal);
        encoder.OnFeedback(Receiver, decoder.Feedback, 0);

        // Every pixel 24 levels brighter (clamped): far from its neighbours, close to its old self.
        Brighten(source.ForegroundStorage);
        Brighten(source.BackgroundStorage);
        var message = Encode(encoder, source, 66_666);

        Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message, out var header));
        Assert.True(header.IsTemporal);
        Assert.True(decoder.Current!.ContentEquals(encoder.LastPicture));

        static void Brighten(Span<uint> cells)
        {
            foreach (ref var cell in cells)
            {
                var r = Math.Min(255, ((cell >> 16) & 0xFF) + 24);
                var g = Math.Min(255, ((cell >> 8) & 0xFF) + 24);
                var b = Math.Min(255, (cell & 0xFF) + 24);
                cell = (r << 16) | (g << 8) | b;
            }
        }
    }

    [Fact]
    public void Given_a_small_budget_When_starting_from_the_blank_picture_Then_the_picture_builds_up_over_frames_within_the_rate()
    {
        var random = new Random(3);
        var source = new CellGrid(80, 40, CellMode.TrueColor);
        Mutate(source, random, 20_000);
        var encoder = Encoder(source, CellMode.TrueColor, kbps: 100);
        var decoder = new VideoFrameDecoder();
        long bytes = 0;
        var frames = 0;
        do
        {
            Assert.True(frames < 300, "the picture never completed");
            var message = Encode(encoder, source, (ulong)frames * 66_666);
            bytes += message.Length;
            Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message, out _));
            encoder.OnFeedback(Receiver, decoder.Feedback, (ulong)frames * 66_666);
            frames++;
        }
        while (encoder.LastCellsSent + encoder.LastCellsDeferred > 0);

        // Complete: every cell within the threshold of its source.
        for (var i = 0; i < source.Count; i++)
        {
            Assert.True(PerceptualDistance.Of(decoder.Current!.Foreground[i], source.Foreground[i]) < VideoEncoderSettings.DefaultThreshold + 0.5);
            Assert.True(PerceptualDistance.Of(decoder.Current!.Background[i], source.Background[i]) < VideoEncoderSettings.DefaultThreshold + 0.5);
        }

        // Random colours hardly compress: ~19 KB at 100 kbit/s is more than a second, less than the bucket
        // allowance says.
        var seconds = frames / 15.0;
        var kbps = bytes * 8 / 1000.0 / seconds;
        Assert.True(frames > 5, $"completed in {frames} frames: not progressive");
        Assert.True(kbps <= 100 * 1.5, $"{kbps:F0} kbit/s over {frames} frames");
    }

    [Fact]
    public void Given_a_busy_picture_When_streaming_a_while_Then_the_rate_stays_at_the_target()
    {
        var random = new Random(4);
        var source = new CellGrid(80, 40, CellMode.TrueColor);
        var encoder = Encoder(source, CellMode.TrueColor, kbps: 150);
        var decoder = new VideoFrameDecoder();
        long bytes = 0;
        for (var frame = 0; frame < 300; frame++)
        {
            Mutate(source, random, 1500);
            var message = Encode(encoder, source, (ulong)frame * 66_666);
            bytes += frame >= 15 ? message.Length : 0;
            decoder.Decode(message, out _);
            encoder.OnFeedback(Receiver, decoder.Feedback, (ulong)frame * 66_666);
        }

        var kbps = bytes * 8 / 1000.0 / (285 / 15.0);
        Assert.InRange(kbps, 100, 165);
    }

    [Fact]
    public void Given_reported_loss_When_it_goes_on_Then_the_allowed_rate_falls_and_it_climbs_back_after()
    {
        var rate = new VideoRateControl(400, 15, 2.5, 24);
        for (var t = 0; t < 30; t++)
        {
            rate.BeginFrame((ulong)t * 66_666);
            rate.OnFeedback((ulong)t * 66_666, 200, null);
        }

        Assert.True(rate.AllowedKbps < 300, $"allowed {rate.AllowedKbps:F0} after 2 s at 20 % loss");
        Assert.True(rate.AllowedKbps >= 100);
        Assert.True(rate.Decreases >= 3);
        var low = rate.AllowedKbps;

        for (var t = 30; t < 30 + (15 * 10); t++)
        {
            rate.BeginFrame((ulong)t * 66_666);
            rate.OnFeedback((ulong)t * 66_666, 0, null);
        }

        Assert.True(rate.AllowedKbps > low + 100, $"allowed {rate.AllowedKbps:F0} after 10 s without loss");

        // 5 % loss (a lossy but uncongested link) holds the rate where it is.
        var held = rate.AllowedKbps;
        rate.OnFeedback(200 * 66_666, 50, null);
        Assert.Equal(held, rate.AllowedKbps);
    }

    [Fact]
    public void Given_feedback_coming_back_later_and_later_When_a_queue_builds_Then_the_rate_falls()
    {
        var rate = new VideoRateControl(400, 15, 2.5, 24);
        rate.BeginFrame(0);
        rate.OnFeedback(10_000, 0, 5_000);
        rate.OnFeedback(1_000_000, 0, 5_000 + VideoRateControl.QueueingMicroseconds + 50_000);
        Assert.True(rate.AllowedKbps < 400);
    }

    [Fact]
    public void Given_a_frame_whose_base_the_receiver_lost_When_it_says_so_Then_the_next_frame_builds_on_the_blank_picture()
    {
        var source = new CellGrid(8, 4, CellMode.TrueColor);
        var random = new Random(5);
        Mutate(source, random, 32);
        var encoder = Encoder(source, CellMode.TrueColor);
        var decoder = new VideoFrameDecoder();
        decoder.Decode(Encode(encoder, source), out _);
        encoder.OnFeedback(Receiver, decoder.Feedback, 0);

        // A second receiver-side decoder that never saw frame 1 stands for a receiver that lost it.
        Mutate(source, random, 5);
        var late = new VideoFrameDecoder();
        Assert.Equal(VideoDecodeResult.NeedKeyframe, late.Decode(Encode(encoder, source, 66_666), out _));
        Assert.Null(late.Current);
        Assert.True(late.Feedback.BaseMissing);

        encoder.OnFeedback(Receiver, late.Feedback, 70_000);
        var message = Encode(encoder, source, 133_333);
        Assert.Equal(VideoDecodeResult.Decoded, late.Decode(message, out var header));
        Assert.True(header.IsKeyframe);
        Assert.False(late.Feedback.BaseMissing);
    }

    [Fact]
    public void Given_two_receivers_When_only_one_acknowledges_Then_frames_build_on_what_both_hold()
    {
        var source = new CellGrid(8, 4, CellMode.TrueColor);
        var random = new Random(6);
        var encoder = Encoder(source, CellMode.TrueColor);
        Assert.True(encoder.AddReceiver(8));
        var a = new VideoFrameDecoder();
        var b = new VideoFrameDecoder();
        for (var frame = 0; frame < 10; frame++)
        {
            Mutate(source, random, 4);
            var message = Encode(encoder, source, (ulong)frame * 66_666);
            Assert.Equal(VideoDecodeResult.Decoded, a.Decode(message, out var header));
            Assert.Equal(VideoDecodeResult.Decoded, b.Decode(message, out _));
            encoder.OnFeedback(Receiver, a.Feedback, 0);
            if (frame == 3)
            {
                encoder.OnFeedback(8, b.Feedback, 0);
            }

            Assert.Equal(frame <= 3 ? 0u : 4u, header.BaseSequence);
        }

        encoder.RemoveReceiver(8);
        Assert.Equal(10u, Decode(Encode(encoder, source, 11 * 66_666)).BaseSequence);

        VideoFrameHeader Decode(byte[] message)
        {
            Assert.Equal(VideoDecodeResult.Decoded, a.Decode(message, out var header));
            return header;
        }
    }

    [Fact]
    public void Given_a_new_stream_id_When_its_first_frame_arrives_Then_the_decoder_starts_afresh_even_at_a_lower_sequence()
    {
        var source = new CellGrid(8, 4, CellMode.TrueColor);
        Mutate(source, new Random(7), 32);
        var first = Encoder(source, CellMode.TrueColor);
        var decoder = new VideoFrameDecoder();
        for (var i = 0; i < 5; i++)
        {
            decoder.Decode(Encode(first, source, (ulong)i), out _);
        }

        var second = new VideoFrameEncoder(2, 8, 4, CellMode.TrueColor, new VideoEncoderSettings(100_000));
        Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(Encode(second, source), out var header));
        Assert.Equal(1u, header.Sequence);
        Assert.Equal(2, decoder.Feedback.Stream);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_a_warm_encoder_and_decoder_When_streaming_Then_nothing_is_allocated(CellMode mode)
    {
        var pattern = new TestPattern("alloc", 320, 240);
        var rgb = new byte[pattern.FrameBytes];
        var sources = new CellGrid[40];
        for (var i = 0; i < sources.Length; i++)
        {
            pattern.Render(TimeSpan.FromSeconds(i / 15.0), rgb);
            sources[i] = SourceFor(80, 40, mode);
            FrameConverter.Convert(new RgbFrame(rgb, 320, 240), sources[i], mirror: false);
        }

        var encoder = NewEncoder(80, 40, mode, denoise: true);
        var decoder = new VideoFrameDecoder();
        var message = new byte[VideoFrameCodec.MaxMessage(sources[0].Count, mode)];
        var time = 0UL;

        // Warm up past tiered compilation's rejit (at 30 calls), whose first calls allocate on this thread.
        for (var i = 0; i < 120; i++)
        {
            Step(i % 20);
        }

        var decoded = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 20; i < sources.Length; i++)
        {
            decoded += Step(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20, decoded);
        Assert.Equal(0, allocated);

        int Step(int i)
        {
            time += 66_666;
            var length = encoder.Encode(sources[i], time, message);
            var result = decoder.Decode(message.AsSpan(0, length), out _) == VideoDecodeResult.Decoded ? 1 : 0;
            encoder.OnFeedback(Receiver, decoder.Feedback, time);
            return result;
        }
    }

    [Fact]
    public void Given_a_million_mutated_messages_When_decoded_Then_nothing_escapes_and_every_shown_frame_matches_its_hash()
    {
        var random = new Random(42);
        var samples = new List<byte[]>();
        foreach (var mode in new[] { CellMode.Mono, CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16, CellMode.Quadrant, CellMode.Sextant, CellMode.GlyphColor })
        {
            var source = SourceFor(12, 6, mode);
            var encoder = Encoder(source, mode);
            var decoder = new VideoFrameDecoder();
            for (var i = 0; i < 8; i++)
            {
                Mutate(source, random, 10);
                var message = Encode(encoder, source, (ulong)i);
                samples.Add(message);
                decoder.Decode(message, out _);
                encoder.OnFeedback(Receiver, decoder.Feedback, (ulong)i);
            }
        }

        var target = new VideoFrameDecoder();
        var buffer = new byte[1024];
        for (var n = 0; n < 1_000_000; n++)
        {
            var sample = samples[random.Next(samples.Count)];
            var length = Math.Min(sample.Length, buffer.Length);
            sample.AsSpan(0, length).CopyTo(buffer);
            switch (random.Next(5))
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
                case 3:
                    break; // as sent: keeps real frames flowing, so later mutations land on held bases
                default:
                    random.NextBytes(buffer.AsSpan(random.Next(length), Math.Min(8, buffer.Length - length)));
                    break;
            }

            if (target.Decode(buffer.AsSpan(0, length), out var header) == VideoDecodeResult.Decoded)
            {
                Assert.Equal(header.ContentHash, target.Current!.ContentHash());
            }

            _ = target.Feedback;
        }
    }

    [Fact]
    public void Given_a_header_When_written_and_read_Then_every_field_survives_and_nonsense_is_refused()
    {
        var header = new VideoFrameHeader(3, 0xDEADBEEF, 0xDEADBEEE, 123456789012, 80, 40, CellMode.TrueColor, true, 0x0102030405060708, IsTemporal: true, MotionX: -24, MotionY: 7);
        var bytes = new byte[VideoFrameHeader.Size];
        header.Write(bytes);

        Assert.True(VideoFrameHeader.TryRead(bytes, out var read));
        Assert.Equal(header, read);
        Assert.False(VideoFrameHeader.TryRead(bytes.AsSpan(0, VideoFrameHeader.Size - 1), out _));
        Refused(b => b[0] = 3); // format 3: unmoving bases, residuals channel by channel
        Refused(b => b[0] = 2); // format 2: the exact codec before that
        Refused(b => b[22] = 9);
        Refused(b => b[23] = 0x80);
        Refused(b => b[18] = b[19] = 0);
        Refused(b => b[2] = b[3] = b[4] = b[5] = 0); // sequence 0 is the blank picture's
        Refused(b => b[9] = 0xF0); // base after the frame
        Refused(b => b[22] = 7); // past the coloured glyphs
        Refused(b => b[22] = (byte)CellMode.Ansi256); // temporal prediction is for 24-bit colours only
        Refused(b => b[6] = b[7] = b[8] = b[9] = 0); // nor from the blank picture
        Refused(b => b[32] = unchecked((byte)-25)); // a move past the search
        Refused(b => b[33] = 25);
        Refused(b => { b[22] = (byte)CellMode.Quadrant; b[23] = 1; }); // moves are for half blocks only

        var still = header with { MotionX = 0, MotionY = 0, IsTemporal = false, BaseSequence = 0 };
        still.Write(bytes);
        Assert.True(VideoFrameHeader.TryRead(bytes, out read));
        Assert.False(read.HasMotion);
        Refused(b => { still.Write(b); b[32] = 1; }); // a keyframe has no base to move

        void Refused(Action<byte[]> change)
        {
            header.Write(bytes);
            change(bytes);
            Assert.False(VideoFrameHeader.TryRead(bytes, out _));
        }
    }

    [Theory]
    [InlineData(CellMode.Quadrant)]
    [InlineData(CellMode.Sextant)]
    [InlineData(CellMode.GlyphColor)]
    public void Given_the_new_modes_in_a_header_and_a_request_When_read_Then_they_are_accepted_with_temporal_prediction(CellMode mode)
    {
        var bytes = new byte[VideoFrameHeader.Size];
        new VideoFrameHeader(1, 5, 4, 0, 80, 40, mode, true, 1, IsTemporal: true).Write(bytes);
        Assert.True(VideoFrameHeader.TryRead(bytes, out var read));
        Assert.Equal(mode, read.Mode);

        Assert.True(VideoRequest.TryDecode(new VideoRequest(80, 40, mode).Encode(), out var request));
        Assert.Equal(mode, request.Mode);
        var past = new VideoRequest(80, 40, mode).Encode();
        past[4] = 7;
        Assert.False(VideoRequest.TryDecode(past, out _));
    }

    [Theory]
    [InlineData(CellMode.Quadrant, 16)]
    [InlineData(CellMode.Sextant, 64)]
    [InlineData(CellMode.GlyphColor, -1)]
    public void Given_a_shape_byte_past_the_mode_When_decoded_Then_the_frame_is_malformed_and_counted(CellMode mode, int firstBad)
    {
        // An uncompressed keyframe of one cell: one run (skip 0, 1 cell), then the cell, its shape byte first.
        firstBad = firstBad < 0 ? FrameConverter.MonoRamp.Length : firstBad;
        var size = VideoFrameCodec.BytesPerCell(mode);
        var decoder = new VideoFrameDecoder();
        uint sequence = 0;
        foreach (var (shape, expected) in new[] { (firstBad - 1, VideoDecodeResult.Decoded), (firstBad, VideoDecodeResult.Malformed), (255, VideoDecodeResult.Malformed) })
        {
            sequence++;
            var grid = new CellGrid(1, 1, mode);
            grid.ForegroundStorage[0] = FrameConverter.PackBlock(shape, 0);
            var message = new byte[VideoFrameHeader.Size + 3 + size];
            new VideoFrameHeader(9, sequence, 0, 0, 1, 1, mode, false, grid.ContentHash()).Write(message);
            message[VideoFrameHeader.Size] = 1;
            message[VideoFrameHeader.Size + 2] = 1;
            message[VideoFrameHeader.Size + 3] = (byte)shape;

            Assert.Equal(expected, decoder.Decode(message, out _));
        }

        Assert.Equal(2, decoder.Malformed);
    }

    [Theory]
    [InlineData(CellMode.Quadrant)]
    [InlineData(CellMode.Sextant)]
    public void Given_a_block_cell_whose_pattern_flips_without_a_visible_change_When_encoded_Then_it_is_not_sent(CellMode mode)
    {
        // A nearly flat cell: noise picks another split, but every sub-pixel shows within a level of what it was.
        var source = new CellGrid(8, 4, mode);
        source.ForegroundStorage.Fill(FrameConverter.PackBlock(0b0110, 0x808082));
        source.BackgroundStorage.Fill(0x808080);
        var encoder = Encoder(source, mode);
        var decoder = new VideoFrameDecoder();
        decoder.Decode(Encode(encoder, source), out _);
        encoder.OnFeedback(Receiver, decoder.Feedback, 0);

        source.ForegroundStorage[5] = FrameConverter.PackBlock(0b1000, 0x808081);
        Encode(encoder, source, 66_666);
        Assert.Equal(0, encoder.LastCellsSent);

        // A real edge appearing in the same cell is sent.
        source.ForegroundStorage[5] = FrameConverter.PackBlock(0b1000, 0xF0F0F0);
        var message = Encode(encoder, source, 133_333);
        Assert.Equal(1, encoder.LastCellsSent);
        Assert.Equal(VideoDecodeResult.Decoded, decoder.Decode(message, out _));
        Assert.Equal(FrameConverter.PackBlock(0b1000, VideoFrameCodec.Quantize(0xF0F0F0)), decoder.Current!.Foreground[5]);
    }

    [Fact]
    public void Given_feedback_When_written_and_read_Then_it_survives_says_which_frames_are_held_and_nonsense_is_refused()
    {
        var feedback = new VideoFeedback(4, 100, 0b101, BaseMissing: false, LossPermille: 125);
        var bytes = new byte[VideoFeedback.Size];
        feedback.Write(bytes);

        Assert.True(VideoFeedback.TryRead(bytes, out var read));
        Assert.Equal(feedback, read);
        Assert.True(read.Holds(100));
        Assert.True(read.Holds(99));
        Assert.False(read.Holds(98));
        Assert.True(read.Holds(97));
        Assert.False(read.Holds(101));
        Assert.False(read.Holds(0));
        Assert.False(VideoFeedback.TryRead(bytes.AsSpan(0, 11), out _));
        bytes[9] = 4;
        Assert.False(VideoFeedback.TryRead(bytes, out _));
        feedback.Write(bytes);
        bytes[10] = 0x10; // loss over 1000 per mille
        Assert.False(VideoFeedback.TryRead(bytes, out _));
    }

    [Fact]
    public void Given_the_truecolor_levels_When_a_shown_value_is_quantized_again_Then_it_is_unchanged_and_each_value_is_within_two_of_its_level()
    {
        for (uint c = 0; c < 256; c++)
        {
            var shown = VideoFrameCodec.FromLevel(VideoFrameCodec.ToLevel(c));
            Assert.InRange((int)shown - (int)c, -2, 2);
            Assert.Equal(shown, VideoFrameCodec.FromLevel(VideoFrameCodec.ToLevel(shown)));
        }

        Assert.Equal(0u, VideoFrameCodec.FromLevel(0));
        Assert.Equal(255u, VideoFrameCodec.FromLevel(63));
    }
}
