using System.Buffers.Binary;
using MeshConf.Core.Audio;
using MeshConf.Core.Net;

namespace MeshConf.Core.Tests.Audio;

/// <summary>
/// The jitter buffer step by step on a fake clock. Unless a test says otherwise, frame n is sent at n x 20 ms and
/// arrives 5 ms later, and playout ticks come at n x 20 ms + 13 ms: the first frame then starts at 33 ms (due at
/// arrival + 20 ms target, give or take half a frame), so frames play 28 ms after they arrive and the next packet
/// is always already there when one is due.
/// </summary>
public sealed class JitterBufferTests
{
    private const int Frame = 960;
    private const long FrameMicros = 20_000;
    private const long Transit = 5_000;
    private const long Phase = 13_000;

    [Fact]
    public void Given_steady_packets_When_playing_Then_each_is_decoded_once_in_order_with_its_own_bytes_from_arrival_plus_target()
    {
        var stream = new TestStream();

        var log = stream.Play(frames: 50, send: n => true);

        Assert.Equal(Step.Silence, log[0]);
        Assert.Equal(Enumerable.Range(0, 49).Select(Step.Decoded), log.Skip(1).Take(49));
        Assert.Equal(28_000, stream.FirstDecodeDelay);
        var stats = stream.Buffer.Stats;
        Assert.Equal(28.0, stats.DelayMs);
        Assert.Equal(20.0, stats.TargetMs);
        Assert.Equal((50, 49, 0L, 0L, 0L, 1L), (stats.Received, stats.Decoded, stats.Lost, stats.Late, stats.Duplicates, stats.Spurts));
    }

    [Fact]
    public void Given_a_packet_twice_When_playing_Then_the_copy_is_dropped_as_a_duplicate_before_and_after_its_frame_played()
    {
        var stream = new TestStream();
        stream.Put(0, arrival: Transit);
        stream.Put(1, arrival: FrameMicros + Transit);

        Assert.Equal(JitterPutResult.Duplicate, stream.Put(1, arrival: FrameMicros + Transit + 100));
        Assert.Equal(Step.Silence, stream.Tick(0));
        Assert.Equal(Step.Decoded(0), stream.Tick(1));
        Assert.Equal(Step.Decoded(1), stream.Tick(2));
        Assert.Equal(JitterPutResult.Duplicate, stream.Put(0, arrival: stream.Now + 1));
        Assert.Equal(2, stream.Buffer.Stats.Duplicates);
        Assert.Equal(0, stream.Buffer.Stats.Late);
    }

    [Fact]
    public void Given_a_lost_packet_and_the_next_one_held_When_its_frame_is_due_Then_it_is_rebuilt_from_the_next_packets_FEC()
    {
        var stream = new TestStream();

        var log = stream.Play(frames: 10, send: n => true, lose: n => n == 5);

        Assert.Equal([Step.Decoded(3), Step.Decoded(4), Step.Fec(6), Step.Decoded(6), Step.Decoded(7)], log[4..9]);
        var stats = stream.Buffer.Stats;
        Assert.Equal((1L, 1L, 0L), (stats.Lost, stats.FecRecovered, stats.Concealed));
    }

    [Fact]
    public void Given_two_lost_packets_When_their_frames_are_due_Then_the_first_is_concealed_and_the_second_rebuilt_from_the_third()
    {
        // Packet 7 arrives 12 ms after frame 5 is due: nothing to rebuild frame 5 from.
        var stream = new TestStream();

        var log = stream.Play(frames: 12, send: n => true, lose: n => n is 5 or 6);

        Assert.Equal([Step.Decoded(4), Step.Conceal, Step.Fec(7), Step.Decoded(7)], log[5..9]);
        var stats = stream.Buffer.Stats;
        Assert.Equal((2L, 1L, 1L, 0L), (stats.Lost, stats.FecRecovered, stats.Concealed, stats.Inserted));
    }

    [Fact]
    public void Given_a_packet_that_arrives_after_its_frame_was_concealed_Then_it_is_dropped_and_counted_late()
    {
        var stream = new TestStream();
        var log = stream.Play(frames: 7, send: n => true, lose: n => n == 5);
        Assert.Equal(Step.Fec(6), log[6]);

        Assert.Equal(JitterPutResult.Late, stream.Put(5, arrival: stream.Now + 1));

        var stats = stream.Buffer.Stats;
        Assert.Equal((1L, 1L, 1L), (stats.Late, stats.Lost, stats.FecRecovered));
    }

    [Fact]
    public void Given_packets_overtaking_each_other_within_the_delay_When_playing_Then_frames_still_play_in_order()
    {
        var stream = new TestStream();
        // Frame 3 is 22 ms late, arriving after frames 4 and 5 but 6 ms before it is due.
        var arrivals = Enumerable.Range(0, 12).Select(n => (Frame: n, Arrival: (n * FrameMicros) + Transit + (n == 3 ? 22_000 : 0))).OrderBy(p => p.Arrival).ToList();
        Assert.Equal([0, 1, 2, 4, 3, 5], arrivals.Take(6).Select(p => p.Frame));

        var log = stream.Play(frames: 12, arrivals);

        Assert.Equal(Enumerable.Range(0, 11).Select(Step.Decoded), log[1..]);
        Assert.Equal(0, stream.Buffer.Stats.Lost);
    }

    [Fact]
    public void Given_sequence_and_timestamp_about_to_wrap_When_playing_across_the_wrap_Then_nothing_is_lost_or_late()
    {
        var stream = new TestStream(firstSequence: 65_530, firstTimestamp: uint.MaxValue - (5 * Frame) + 1);

        var log = stream.Play(frames: 30, send: n => true, lose: n => n == 8);

        Assert.Equal(Enumerable.Range(0, 29).Select(n => n == 8 ? Step.Fec(9) : Step.Decoded(n)), log[1..]);
        Assert.Equal(1, stream.Buffer.Stats.Lost);
        Assert.Equal(0, stream.Buffer.Stats.Late);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 5)]
    public void Given_a_pause_in_sending_When_the_next_spurt_comes_Then_silence_plays_between_and_it_starts_at_arrival_plus_target(bool speechAtTheEnd, int fadeOut)
    {
        var stream = new TestStream();
        // Frames 0-49 and 300-349 are sent (a 5 s pause, sequence numbers contiguous); frame 49 is speech or not.
        stream.Speech = n => n != 49 || speechAtTheEnd;

        var log = stream.Play(frames: 360, send: n => n is < 50 or >= 300);

        Assert.Equal(Step.Decoded(49), log[50]);
        Assert.All(log[51..(51 + fadeOut)], step => Assert.Equal(Step.Conceal, step));
        Assert.All(log[(51 + fadeOut)..301], step => Assert.Equal(Step.Silence, step));
        Assert.Equal(Enumerable.Range(300, 59).Select(Step.Decoded), log[301..]);
        Assert.InRange(stream.FirstDecodeDelayOf(300), 10_000, 30_000);
        var stats = stream.Buffer.Stats;
        Assert.Equal((2L, 0L, fadeOut), (stats.Spurts, stats.Lost, (int)stats.Concealed));
    }

    [Fact]
    public void Given_a_minute_of_mute_while_the_senders_clock_ran_60_ms_fast_When_it_speaks_again_Then_playout_re_anchors_at_arrival_plus_target()
    {
        var stream = new TestStream();
        var played = stream.Play(frames: 100, send: n => n < 50);
        Assert.Equal(Step.Decoded(49), played[50]);

        // The sender's clock counts 60.06 s of frames in 60 s: its next frame is frame 3053, not 3050.
        var now = stream.Now;
        var arrival = now + 60_000_000 + 7_000;
        stream.Put(3053, arrival, sequence: 50);
        stream.Put(3054, arrival + FrameMicros, sequence: 51);

        var tick = now + 60_000_000;
        var silences = 0;
        while (stream.Buffer.Next(tick, out _) == JitterAction.Silence && silences++ < 10)
        {
            tick += FrameMicros;
        }

        Assert.InRange(tick - arrival, 10_000, 30_000);
        Assert.Equal(2, stream.Buffer.Stats.Spurts);
        Assert.Equal(0, stream.Buffer.Stats.Lost);
    }

    [Fact]
    public void Given_a_stalled_playout_When_packets_pile_up_Then_the_buffer_holds_at_most_its_capacity_and_recovers_when_ticks_resume()
    {
        var stream = new TestStream();
        for (var n = 0; n < 200; n++)
        {
            stream.Put(n, arrival: (n * FrameMicros) + Transit);
            Assert.InRange(stream.Buffer.Stats.Buffered, 1, JitterBuffer.Capacity);
        }

        Assert.Equal(200 - JitterBuffer.Capacity, stream.Buffer.Stats.Dropped);

        // Ticks resume at 4 s. Packet 200 pushes out the oldest held; the rest but 199, still within a frame of
        // its time, are past due and go as late; playout goes on from 199 without a gap.
        var log = stream.Play(frames: 260, send: n => n >= 200, firstTick: 200);

        Assert.Equal(200 - JitterBuffer.Capacity + 1, stream.Buffer.Stats.Dropped);
        Assert.Equal(JitterBuffer.Capacity - 2, stream.Buffer.Stats.Late);
        Assert.Equal(Enumerable.Range(199, 60).Select(Step.Decoded), log);
        Assert.Equal(0, stream.Buffer.Stats.Lost);
    }

    [Fact]
    public void Given_a_sender_that_restarts_its_sequence_and_clock_When_its_packets_come_Then_they_start_a_new_stream()
    {
        var stream = new TestStream();
        stream.Play(frames: 20, send: n => true);

        var restarted = new TestStream(firstSequence: 40_000, firstTimestamp: 123_456_789) { Buffer = stream.Buffer, TimeOffset = 20 * FrameMicros };
        var log = restarted.Play(frames: 20, send: n => true);

        Assert.Equal(Enumerable.Range(1, 18).Select(Step.Decoded), log[2..]);
        Assert.Equal(2, stream.Buffer.Stats.Spurts);
        Assert.Equal(0, stream.Buffer.Stats.Late);
    }

    [Fact]
    public void Given_packets_that_are_not_ours_When_put_Then_they_are_rejected_and_nothing_is_held()
    {
        var buffer = new JitterBuffer();

        Assert.Equal(JitterPutResult.Rejected, buffer.Put(new AudioPacketHeader(1, 960, Frame, true), [], 0));
        Assert.Equal(JitterPutResult.Rejected, buffer.Put(new AudioPacketHeader(1, 960, Frame, true), new byte[AudioPacketHeader.MaxPayload + 1], 0));
        Assert.Equal(JitterPutResult.Rejected, buffer.Put(new AudioPacketHeader(1, 960, 1000, true), [1, 2], 0));
        Assert.Equal(JitterPutResult.Rejected, buffer.Put(default, [1, 2], 0));

        Assert.Equal((3L + 1, 0, 0L), (buffer.Stats.Rejected, buffer.Stats.Buffered, buffer.Stats.Received));
        Assert.Equal(JitterAction.Silence, buffer.Next(100_000, out var frame));
        Assert.Equal(Frame, frame.Samples);
        Assert.Throws<ArgumentOutOfRangeException>(() => new JitterBuffer(1000));
    }

    [Fact]
    public void Given_40ms_frames_without_jitter_When_playing_Then_the_delay_stays_within_a_frame_of_the_floor_and_nothing_is_concealed()
    {
        var report = new AudioPathSimulation(new AudioPath { FrameSamples = 1920, Seed = 8 }).Run(TimeSpan.FromMinutes(2), TimeSpan.Zero);
        report.Print();

        Assert.True(report.Delays.Min() > 0);
        Assert.True(report.MaxDelayMicros <= 23_500 + 20_000, $"{report.MaxDelayMicros} us");
        Assert.Equal((0, 0, 0L), (report.Conceals, report.Late, report.Stats.Lost));
    }

    [Fact]
    public void Given_jitter_beyond_the_ceiling_When_playing_Then_the_target_stops_at_200ms_and_the_delay_with_it()
    {
        var path = new AudioPath { JitterMicros = 400_000, Seed = 9 };

        var report = new AudioPathSimulation(path).Run(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        report.Print();

        Assert.Equal(200.0, report.Stats.TargetMs);
        Assert.True(report.MaxDelayMicros <= JitterBuffer.CeilingMicros + FrameMicros, $"{report.MaxDelayMicros} us");
        Assert.InRange(report.DelayMeanMs, 170, 210);
    }

    [Fact]
    public void Given_hostile_packets_and_clocks_When_put_and_played_Then_nothing_throws_and_every_step_is_well_formed()
    {
        var random = new Random(77);
        var payload = new byte[AudioPacketHeader.MaxPayload + 10];
        random.NextBytes(payload);
        ushort[] frameLengths = [480, 960, 1920, 0, 120, 2880, ushort.MaxValue];
        for (var run = 0; run < 20; run++)
        {
            var buffer = new JitterBuffer();
            var now = random.NextInt64(-1_000_000_000_000, 1_000_000_000_000);
            var sequence = (ushort)random.Next(65_536);
            var timestamp = (uint)random.NextInt64(uint.MaxValue);
            for (var i = 0; i < 20_000; i++)
            {
                // Mostly a plausible stream with wild packets mixed in; the clock mostly moves forward.
                sequence += (ushort)(random.Next(10) == 0 ? random.Next(65_536) : random.Next(3));
                timestamp += (uint)(random.Next(10) == 0 ? random.NextInt64(uint.MaxValue) : random.Next(3) * 960);
                now += random.Next(20) == 0 ? random.NextInt64(-100_000_000, 100_000_000) : random.Next(0, 30_000);
                var header = new AudioPacketHeader(sequence, timestamp, random.Next(4) == 0 ? frameLengths[random.Next(frameLengths.Length)] : (ushort)960, random.Next(2) == 0);
                buffer.Put(header, payload.AsSpan(0, random.Next(0, payload.Length)), now);
                Assert.InRange(buffer.Stats.Buffered, 0, JitterBuffer.Capacity);
                if (random.Next(2) == 0)
                {
                    var action = buffer.Next(now + random.Next(-50_000, 50_000), out var frame);
                    Assert.True(AudioPacketHeader.IsValidFrameSamples(frame.Samples), $"{frame.Samples} samples");
                    Assert.Equal(action is JitterAction.Decode or JitterAction.DecodeFec, !frame.Payload.IsEmpty);
                    Assert.InRange(frame.Payload.Length, 0, AudioPacketHeader.MaxPayload);
                }
            }

            Assert.InRange(buffer.Stats.TargetMs, 20, 200);
        }
    }

    [Fact]
    public void Given_a_warm_buffer_on_a_jittery_lossy_path_When_packets_are_put_and_played_Then_nothing_is_allocated()
    {
        const int Frames = 60_000;
        var headers = new AudioPacketHeader[Frames];
        var arrivals = new long[Frames];
        var order = new int[Frames];
        var payload = new byte[80];
        var random = new Xoshiro256StarStar(3);
        for (var n = 0; n < Frames; n++)
        {
            headers[n] = new AudioPacketHeader((ushort)n, (uint)(n * Frame), Frame, IsSpeech: n % 100 < 60);
            arrivals[n] = (n * FrameMicros) + 5_000 + (long)(random.NextDouble() * 30_000);
            order[n] = random.NextDouble() < 0.05 ? -1 : n;
        }

        Array.Sort(arrivals, order);
        var buffer = new JitterBuffer();
        var next = 0;
        var sink = 0L;

        void Run(int fromTick, int toTick)
        {
            for (var tick = fromTick; tick < toTick; tick++)
            {
                var now = (tick * FrameMicros) + Phase;
                for (; next < Frames && arrivals[next] <= now; next++)
                {
                    if (order[next] >= 0)
                    {
                        buffer.Put(headers[order[next]], payload, arrivals[next]);
                    }
                }

                buffer.Next(now, out var frame);
                sink += frame.Samples + frame.Payload.Length + buffer.Stats.Late;
            }
        }

        Run(0, 5_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(5_000, Frames - 10);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(buffer.Stats.Decoded > Frames * 0.9);
        Assert.NotEqual(0, sink);
    }

    /// <summary>One playout step as the tests compare it: the action and the frame number its payload carries.</summary>
    private readonly record struct Step(JitterAction Action, int Frame)
    {
        public static Step Silence => new(JitterAction.Silence, -1);

        public static Step Conceal => new(JitterAction.Conceal, -1);

        public static Step Decoded(int frame) => new(JitterAction.Decode, frame);

        public static Step Fec(int frame) => new(JitterAction.DecodeFec, frame);
    }

    /// <summary>A sender's frames through a fixed 5 ms path into one buffer, played by ticks every 20 ms.</summary>
    private sealed class TestStream(ushort firstSequence = 1000, uint firstTimestamp = 48_000, long phase = Phase)
    {
        private readonly Dictionary<int, long> _arrivals = [];
        private readonly Dictionary<int, long> _firstDecode = [];
        private readonly Dictionary<int, int> _sequenceOf = [];

        public JitterBuffer Buffer { get; init; } = new();

        /// <summary>Added to every time, for a second stream that continues on the same clock.</summary>
        public long TimeOffset { get; init; }

        public Func<int, bool> Speech { get; set; } = _ => true;

        public long Now { get; private set; }

        /// <summary>Time from the first decoded frame's arrival to its playout.</summary>
        public long FirstDecodeDelay => _firstDecode.Count == 0 ? -1 : _firstDecode.MinBy(p => p.Key).Value;

        public long FirstDecodeDelayOf(int frame) => _firstDecode[frame];

        public static byte[] Payload(int frame)
        {
            var payload = new byte[4 + (frame % 7)];
            BinaryPrimitives.WriteInt32BigEndian(payload, frame);
            return payload;
        }

        private void Number(IEnumerable<int> sent)
        {
            var sequence = _sequenceOf.Count == 0 ? 0 : _sequenceOf.Values.Max() + 1;
            foreach (var frame in sent.Distinct().Order().Where(f => !_sequenceOf.ContainsKey(f)))
            {
                _sequenceOf[frame] = sequence++;
            }
        }

        /// <summary>Puts frame <paramref name="frame"/>; its sequence number is the count of packets sent before it.</summary>
        public JitterPutResult Put(int frame, long arrival, int? sequence = null)
        {
            _arrivals[frame] = arrival + TimeOffset;
            var number = sequence ?? (_sequenceOf.TryGetValue(frame, out var counted) ? counted : _sequenceOf[frame] = frame);
            var header = new AudioPacketHeader((ushort)(firstSequence + number), unchecked(firstTimestamp + (uint)(frame * Frame)), Frame, Speech(frame));
            return Buffer.Put(header, Payload(frame), arrival + TimeOffset);
        }

        public Step Tick(int tick)
        {
            Now = (tick * FrameMicros) + phase + TimeOffset;
            var action = Buffer.Next(Now, out var frame);
            Assert.Equal(Frame, frame.Samples);
            if (action is not (JitterAction.Decode or JitterAction.DecodeFec))
            {
                Assert.True(frame.Payload.IsEmpty);
                return new Step(action, -1);
            }

            var number = BinaryPrimitives.ReadInt32BigEndian(frame.Payload);
            Assert.Equal(Payload(number), frame.Payload.ToArray());
            if (action == JitterAction.Decode)
            {
                Assert.Equal(Speech(number), frame.IsSpeech);
                _firstDecode.TryAdd(number, Now - _arrivals[number]);
            }

            return new Step(action, number);
        }

        /// <summary>
        /// Sends the frames <paramref name="send"/> allows over the fixed path, the network losing those
        /// <paramref name="lose"/> picks (they keep their sequence numbers), and ticks once per frame.
        /// </summary>
        public Step[] Play(int frames, Func<int, bool> send, int firstTick = 0, Func<int, bool>? lose = null)
        {
            var sent = Enumerable.Range(0, frames).Where(send).ToList();
            Number(sent);
            return Play(frames, sent.Where(n => lose?.Invoke(n) != true).Select(n => (n, (n * FrameMicros) + Transit)).ToList(), firstTick);
        }

        public Step[] Play(int frames, List<(int Frame, long Arrival)> arrivals, int firstTick = 0)
        {
            Number(arrivals.Select(a => a.Frame));
            var log = new List<Step>();
            var next = 0;
            for (var tick = firstTick; tick < frames; tick++)
            {
                var now = (tick * FrameMicros) + phase;
                for (; next < arrivals.Count && arrivals[next].Arrival <= now; next++)
                {
                    Put(arrivals[next].Frame, arrivals[next].Arrival);
                }

                log.Add(Tick(tick));
            }

            return [.. log];
        }
    }
}
