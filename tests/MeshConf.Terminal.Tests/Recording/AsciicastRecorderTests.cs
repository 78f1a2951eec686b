using System.Text;
using System.Text.Json;
using MeshConf.Terminal.Recording;

namespace MeshConf.Terminal.Tests.Recording;

public sealed class AsciicastRecorderTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static (AsciicastRecorder Recorder, MemoryStream Stream, ManualClock Clock) Recording(string? title = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var clock = new ManualClock(Start);
        var stream = new MemoryStream();
        return (new AsciicastRecorder(stream, 80, 24, clock, title, env), stream, clock);
    }

    private static CastFile Finish(AsciicastRecorder recorder, MemoryStream stream)
    {
        recorder.Dispose();
        return CastFile.Parse(stream.ToArray());
    }

    [Fact]
    public void Given_a_title_and_env_When_recording_starts_Then_the_header_line_is_written_at_once()
    {
        var env = new Dictionary<string, string> { ["TERM"] = "xterm-256color", ["SHELL"] = "/bin/bash" };
        var (recorder, stream, _) = Recording("Call with José \"quoted\" \e", env);

        var header = CastFile.Parse(stream.ToArray()).Header;

        Assert.Equal(2, header.GetProperty("version").GetInt32());
        Assert.Equal(80, header.GetProperty("width").GetInt32());
        Assert.Equal(24, header.GetProperty("height").GetInt32());
        Assert.Equal(Start.ToUnixTimeSeconds(), header.GetProperty("timestamp").GetInt64());
        Assert.Equal("Call with José \"quoted\" \e", header.GetProperty("title").GetString());
        Assert.Equal("xterm-256color", header.GetProperty("env").GetProperty("TERM").GetString());
        Assert.Equal("/bin/bash", header.GetProperty("env").GetProperty("SHELL").GetString());
        Assert.Contains("José", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        recorder.Dispose();
    }

    [Fact]
    public void Given_no_title_or_env_When_recording_starts_Then_the_header_has_only_the_required_fields_and_timestamp()
    {
        var (recorder, stream, _) = Recording();

        var header = Finish(recorder, stream).Header;

        Assert.Equal(["version", "width", "height", "timestamp"], header.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Given_output_and_resizes_over_time_When_read_back_Then_events_carry_their_times_types_and_data()
    {
        var (recorder, stream, clock) = Recording();

        recorder.Output("first"u8);
        clock.Advance(TimeSpan.FromMilliseconds(250.5));
        recorder.Resize(100, 30);
        clock.Advance(TimeSpan.FromSeconds(2));
        recorder.Output("\e[2J\e[1;1Hsecond\r\n"u8);
        clock.Advance(TimeSpan.FromTicks(1234567890));
        recorder.Output("third"u8);
        var cast = Finish(recorder, stream);

        Assert.Equal(
            [
                new CastEvent(0, "o", "first"),
                new CastEvent(0.2505, "r", "100x30"),
                new CastEvent(2.2505, "o", "\e[2J\e[1;1Hsecond\r\n"),
                new CastEvent(125.707289, "o", "third"),
            ],
            cast.Events);
        Assert.Equal("[0.000000, \"o\", \"first\"]", cast.Lines[1]);
        Assert.Equal("[0.250500, \"r\", \"100x30\"]", cast.Lines[2]);
        Assert.Equal("[2.250500, \"o\", \"\\u001b[2J\\u001b[1;1Hsecond\\r\\n\"]", cast.Lines[3]);
    }

    [Fact]
    public void Given_every_ASCII_byte_and_quotes_When_recorded_Then_each_survives_as_valid_JSON()
    {
        var (recorder, stream, _) = Recording();
        var bytes = Enumerable.Range(0, 128).Select(b => (byte)b).ToArray();

        recorder.Output(bytes);
        recorder.Output("\"\\\"\\\\"u8);
        var cast = Finish(recorder, stream);

        Assert.Equal([.. bytes, .. "\"\\\"\\\\"u8.ToArray()], cast.OutputBytes());
        Assert.Contains("\\u001b", cast.Lines[1], StringComparison.Ordinal);
        Assert.Contains("\\u0000", cast.Lines[1], StringComparison.Ordinal);
        Assert.Contains("\\u007f", cast.Lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain('\e', string.Join('\n', cast.Lines));
    }

    [Fact]
    public void Given_UTF8_text_split_at_every_byte_When_recorded_Then_the_output_is_the_text()
    {
        var text = "a é € 😀 日本 \e[38;2;1;2;3m▀▄\e[0m z";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var split = 0; split <= bytes.Length; split++)
        {
            for (var second = split; second <= bytes.Length; second += 3)
            {
                var (recorder, stream, _) = Recording();

                recorder.Output(bytes.AsSpan(0, split));
                recorder.Output(bytes.AsSpan(split, second - split));
                recorder.Output(bytes.AsSpan(second));
                var cast = Finish(recorder, stream);

                Assert.Equal(text, Encoding.UTF8.GetString(cast.OutputBytes()));
                Assert.All(cast.Events, e => Assert.NotEqual(string.Empty, e.Data));
            }
        }
    }

    [Fact]
    public void Given_text_fed_one_byte_at_a_time_When_recorded_Then_each_char_is_one_event_once_complete()
    {
        var (recorder, stream, _) = Recording();

        foreach (var b in "é😀x"u8)
        {
            recorder.Output([b]);
        }

        var cast = Finish(recorder, stream);
        Assert.Equal(["é", "😀", "x"], cast.Events.Select(e => e.Data));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 }, "a\uFFFDb")]
    [InlineData(new byte[] { 0xE2, 0x82, 0x41 }, "\uFFFDA")]
    [InlineData(new byte[] { 0xC0, 0xAF, 0x41 }, "\uFFFD\uFFFDA")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80, 0x41 }, "\uFFFD\uFFFD\uFFFDA")]
    [InlineData(new byte[] { 0x80, 0x80 }, "\uFFFD\uFFFD")]
    public void Given_bytes_that_are_not_UTF8_When_recorded_Then_they_become_replacement_chars(byte[] bytes, string expected)
    {
        var (recorder, stream, _) = Recording();

        recorder.Output(bytes);
        var cast = Finish(recorder, stream);

        Assert.Equal(expected, string.Concat(cast.Events.Select(e => e.Data)));
        Assert.Equal(Encoding.UTF8.GetString(bytes), expected);
    }

    [Fact]
    public void Given_random_bytes_split_randomly_When_recorded_Then_the_output_is_what_a_UTF8_decoder_makes_of_them()
    {
        var random = new Random(3);
        for (var round = 0; round < 300; round++)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            bytes[^1] = (byte)'.';
            var (recorder, stream, _) = Recording();

            var at = 0;
            while (at < bytes.Length)
            {
                var length = Math.Min(bytes.Length - at, random.Next(0, 8));
                recorder.Output(bytes.AsSpan(at, length));
                at += length;
            }

            var cast = Finish(recorder, stream);
            Assert.Equal(Encoding.UTF8.GetString(bytes), string.Concat(cast.Events.Select(e => e.Data)));
        }
    }

    [Fact]
    public void Given_a_char_cut_off_at_the_end_When_recording_ends_Then_it_is_left_out()
    {
        var (recorder, stream, _) = Recording();

        recorder.Output([(byte)'o', (byte)'k', 0xE2, 0x82]);
        var cast = Finish(recorder, stream);

        Assert.Equal("ok", Assert.Single(cast.Events).Data);
    }

    [Fact]
    public void Given_events_within_a_second_When_recorded_Then_they_wait_in_memory_until_a_second_has_passed()
    {
        var (recorder, stream, clock) = Recording();
        var headerLength = stream.Length;
        clock.TimersStalled = true;

        recorder.Output("a"u8);
        clock.Advance(TimeSpan.FromMilliseconds(400));
        recorder.Output("b"u8);
        Assert.Equal(headerLength, stream.Length);

        clock.Advance(TimeSpan.FromMilliseconds(600));
        recorder.Output("c"u8);
        Assert.Equal(3, CastFile.Parse(stream.ToArray()).Events.Count);

        recorder.Dispose();
    }

    [Fact]
    public void Given_an_idle_screen_When_a_second_passes_Then_the_timer_writes_out_what_waits()
    {
        var (recorder, stream, clock) = Recording();
        var headerLength = stream.Length;

        clock.Advance(TimeSpan.FromMilliseconds(900));
        recorder.Output("late"u8);
        Assert.Equal(headerLength, stream.Length);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("late", Assert.Single(CastFile.Parse(stream.ToArray()).Events).Data);

        recorder.Dispose();
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public void Given_a_lot_of_output_at_once_When_recorded_Then_it_is_written_out_without_waiting()
    {
        var (recorder, stream, _) = Recording();
        var frame = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\e[38;2;10;20;30m▀", 5_000)));

        recorder.Output(frame);

        Assert.Equal(frame, CastFile.Parse(stream.ToArray()).OutputBytes());
        recorder.Dispose();
    }

    [Fact]
    public void Given_a_finished_recording_When_used_again_Then_nothing_is_written_and_dispose_is_idempotent()
    {
        var (recorder, stream, _) = Recording();
        recorder.Output("x"u8);
        recorder.Dispose();
        var bytes = stream.ToArray();

        recorder.Output("more"u8);
        recorder.Resize(10, 10);
        recorder.Dispose();

        Assert.Equal(bytes, stream.ToArray());
        Assert.False(stream.CanWrite);
        Assert.Null(recorder.Failure);
    }

    [Fact]
    public void Given_a_stream_that_fails_When_events_are_written_Then_recording_stops_without_throwing()
    {
        var clock = new ManualClock(Start);
        using var stream = new FailingStream();
        var recorder = new AsciicastRecorder(stream, 80, 24, clock);
        stream.Fail = true;

        recorder.Output("a"u8);
        clock.Advance(TimeSpan.FromSeconds(1));
        recorder.Output("b"u8);
        recorder.Dispose();

        Assert.IsType<IOException>(recorder.Failure);
        Assert.Equal(1, stream.FailedWrites);
    }

    [Fact]
    public void Given_bad_arguments_When_constructing_or_resizing_Then_they_are_refused()
    {
        var clock = new ManualClock(Start);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsciicastRecorder(new MemoryStream(), 0, 24, clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsciicastRecorder(new MemoryStream(), 80, -1, clock));
        Assert.Throws<ArgumentException>(() => new AsciicastRecorder(new MemoryStream([], writable: false), 80, 24, clock));
        var (recorder, _, _) = Recording();
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Resize(0, 1));
        recorder.Dispose();
    }

    [Fact]
    public void Given_a_path_When_created_Then_the_file_holds_the_recording()
    {
        var directory = Directory.CreateTempSubdirectory("meshconf-cast-");
        try
        {
            var path = Path.Combine(directory.FullName, "call.cast");
            File.WriteAllText(path, "an older recording that is replaced");

            using (var recorder = AsciicastRecorder.Create(path, 120, 40, new ManualClock(Start), "call"))
            {
                recorder.Output("hello"u8);
            }

            var cast = CastFile.Parse(File.ReadAllBytes(path));
            Assert.Equal(120, cast.Header.GetProperty("width").GetInt32());
            Assert.Equal("hello", Assert.Single(cast.Events).Data);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Given_a_path_that_cannot_be_written_When_created_Then_an_IOException_names_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshconf-missing-{Guid.NewGuid():N}", "call.cast");

        var exception = Assert.Throws<IOException>(() => AsciicastRecorder.Create(path, 80, 24, new ManualClock(Start)));

        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.StartsWith("cannot write the recording", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_terminal_environment_Then_only_TERM_and_SHELL_are_taken()
    {
        var env = AsciicastRecorder.TerminalEnvironment();

        Assert.All(env.Keys, key => Assert.True(key is "TERM" or "SHELL", key));
        Assert.All(env, pair => Assert.Equal(Environment.GetEnvironmentVariable(pair.Key), pair.Value));
    }

    [Fact]
    public async Task Given_threads_recording_at_once_When_read_back_Then_every_event_is_a_whole_line_in_time_order()
    {
        var clock = new ManualClock(Start);
        var stream = new MemoryStream();
        var recorder = new AsciicastRecorder(stream, 80, 24, clock);
        var token = TestContext.Current.CancellationToken;

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(
            () =>
            {
                for (var i = 0; i < 500; i++)
                {
                    recorder.Output(Encoding.UTF8.GetBytes($"w{w}:{i}é\e[0m;"));
                    if (i % 100 == 0)
                    {
                        recorder.Resize(80 + w, 24);
                    }
                }
            },
            token)).ToList();
        writers.Add(Task.Run(
            () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(7));
                }
            },
            token));
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30), token);
        var cast = Finish(recorder, stream);

        Assert.Equal(2_000, cast.Events.Count(e => e.Type == "o"));
        Assert.Equal(20, cast.Events.Count(e => e.Type == "r"));
        Assert.Equal(cast.Events.Select(e => e.Seconds).Order(), cast.Events.Select(e => e.Seconds));
        for (var w = 0; w < 4; w++)
        {
            var prefix = $"w{w}:";
            Assert.Equal(
                Enumerable.Range(0, 500).Select(i => $"w{w}:{i}é\e[0m;"),
                cast.Events.Where(e => e.Data.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Data));
        }
    }

    [Fact]
    public void Given_steady_output_When_recording_Then_nothing_is_allocated()
    {
        var clock = new ManualClock(Start);
        using var recorder = new AsciicastRecorder(Stream.Null, 80, 24, clock);
        var frame = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\e[38;2;10;20;30mé▀\"\\", 400)));
        void Frames()
        {
            for (var i = 0; i < 200; i++)
            {
                recorder.Output(frame);
                recorder.Output(frame.AsSpan(0, 21));
                recorder.Output(frame.AsSpan(21));
                recorder.Resize(80, 24);
                clock.Advance(TimeSpan.FromMilliseconds(33));
            }
        }

        Frames(); // warm up past tiered compilation's rejit (at 30 calls), whose first calls allocate on this thread
        var before = GC.GetAllocatedBytesForCurrentThread();
        Frames();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private sealed class FailingStream : MemoryStream
    {
        public bool Fail { get; set; }

        public int FailedWrites { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Fail)
            {
                FailedWrites++;
                throw new IOException("No space left on device");
            }

            base.Write(buffer);
        }
    }
}
