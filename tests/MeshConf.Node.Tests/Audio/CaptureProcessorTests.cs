using System.Diagnostics;
using System.Globalization;
using MeshConf.Core.Audio;
using MeshConf.Interop.Native;
using MeshConf.Node.Audio;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Audio;

public sealed class CaptureProcessorTests
{
    private const int Frame = AudioFormat.Frame20Ms;

    public CaptureProcessorTests() => SystemPiece.RequireLibrary(NativeDependency.SpeexDsp);

    [Fact(Timeout = 120_000)]
    public void Given_a_synthetic_room_echo_When_processed_Then_at_least_15_dB_echo_return_loss_enhancement_after_convergence()
    {
        var log = TestContext.Current.TestOutputHelper!;
        var path = EchoPath.Get(12, delayMs: 40);
        using var linear = new CaptureProcessor(Frame, echoCancellation: true, noiseSuppression: false);
        using var full = new CaptureProcessor(Frame, echoCancellation: true, noiseSuppression: true);

        var cancelled = Run(linear, path, out var linearCost);
        var suppressed = Run(full, path, out var fullCost);

        // Converged after ~4 s of speech; judge the last 4 s.
        var erle = EchoPath.ErleDb(path.Microphone, cancelled, fromSecond: 8);
        var erleWithSuppression = EchoPath.ErleDb(path.Microphone, suppressed, fromSecond: 8);
        var perSecond = Enumerable.Range(0, 12).Select(s => EchoPath.ErleDb(path.Microphone.AsSpan(0, (s + 1) * 48000), cancelled.AsSpan(0, (s + 1) * 48000), s).ToString("F0", CultureInfo.InvariantCulture));
        log.WriteLine($"echo 40 ms late, {path.EchoLossDb():F1} dB below the far end; ERLE by second: {string.Join(' ', perSecond)}");
        log.WriteLine($"ERLE after convergence: {erle:F1} dB cancelled, {erleWithSuppression:F1} dB with residual echo and noise suppression");
        log.WriteLine($"cost per 20 ms frame: {linearCost.TotalMilliseconds / 600:F3} ms cancelling, {fullCost.TotalMilliseconds / 600:F3} ms with suppression");
        Assert.True(erle >= 15, $"ERLE {erle:F1} dB");
        Assert.True(erleWithSuppression >= erle, $"suppression made it worse: {erleWithSuppression:F1} dB");
    }

    [Theory(Timeout = 120_000)]
    [InlineData(AudioFormat.Frame10Ms)]
    [InlineData(AudioFormat.Frame40Ms)]
    public void Given_another_frame_size_When_processed_Then_the_echo_is_cancelled_as_well(int frameSamples)
    {
        var path = EchoPath.Get(12, delayMs: 40);
        using var processor = new CaptureProcessor(frameSamples, echoCancellation: true, noiseSuppression: false);

        var erle = EchoPath.ErleDb(path.Microphone, Run(processor, path, out _), fromSecond: 8);

        TestContext.Current.TestOutputHelper!.WriteLine($"{frameSamples}-sample frames: ERLE {erle:F1} dB");
        Assert.True(erle >= 15, $"ERLE {erle:F1} dB");
    }

    [Fact(Timeout = 300_000)]
    public void Given_echoes_up_to_160_ms_late_When_the_default_200_ms_tail_is_used_Then_all_are_cancelled_where_a_100_ms_tail_misses_the_late_ones()
    {
        // Why 200 ms: the echo arrives a device round trip late (20-80 ms through PulseAudio, more elsewhere) and
        // then rings for as long as the room does. A tail must cover both.
        var log = TestContext.Current.TestOutputHelper!;
        var results = new Dictionary<(int Tail, int Delay), double>();
        foreach (var tail in new[] { 4800, CaptureProcessor.DefaultTailSamples })
        {
            var line = $"tail {tail / 48} ms:";
            foreach (var delay in new[] { 10, 80, 160 })
            {
                var path = EchoPath.Get(12, delay);
                using var processor = new CaptureProcessor(Frame, echoCancellation: true, noiseSuppression: false, tailSamples: tail);
                var erle = EchoPath.ErleDb(path.Microphone, Run(processor, path, out var cost), fromSecond: 8);
                results[(tail, delay)] = erle;
                line += string.Create(CultureInfo.InvariantCulture, $"  {delay} ms late: {erle:F1} dB ({cost.TotalMilliseconds / 600:F2} ms/frame)");
            }

            log.WriteLine(line);
        }

        foreach (var delay in new[] { 10, 80, 160 })
        {
            Assert.True(results[(CaptureProcessor.DefaultTailSamples, delay)] >= 15, $"{delay} ms: {results[(CaptureProcessor.DefaultTailSamples, delay)]:F1} dB");
        }

        Assert.True(results[(4800, 160)] < 5, $"a 100 ms tail cancelled an echo 160 ms late by {results[(4800, 160)]:F1} dB");
    }

    [Fact(Timeout = 120_000)]
    public void Given_the_default_processor_When_a_frame_is_processed_Then_it_costs_a_small_part_of_the_frame()
    {
        var path = EchoPath.Get(12, delayMs: 40);
        using var processor = new CaptureProcessor(Frame);
        Run(processor, path, out _);
        var warm = Run(processor, path, out var cost);

        var perFrame = cost / 600;
        TestContext.Current.TestOutputHelper!.WriteLine($"{perFrame.TotalMilliseconds:F3} ms per 20 ms frame (AEC 200 ms tail + NS + VAD)");
        Assert.Equal(path.Microphone.Length, warm.Length);
        Assert.True(perFrame < TimeSpan.FromMilliseconds(5), $"{perFrame.TotalMilliseconds:F2} ms per 20 ms frame");
    }

    [Fact(Timeout = 60_000)]
    public void Given_speech_When_processed_Then_its_loud_frames_are_marked_speaking()
    {
        var speech = SpeechSample.Get().Samples;
        using var processor = new CaptureProcessor(Frame, echoCancellation: false, noiseSuppression: true);
        var (loud, speaking) = CountSpeaking(processor, speech, 0);

        TestContext.Current.TestOutputHelper!.WriteLine($"{speaking} of {loud} frames louder than -40 dBFS marked speaking");
        Assert.True(loud > 200);
        Assert.True(speaking >= loud * 0.95, $"{speaking} of {loud}");
    }

    [Fact(Timeout = 60_000)]
    public void Given_speech_in_steady_noise_When_processed_Then_speech_is_marked_and_the_noise_alone_is_not()
    {
        var speech = SpeechSample.Get().Samples;
        using var processor = new CaptureProcessor(Frame, echoCancellation: false, noiseSuppression: true);
        var random = new Random(9);
        var noise = WhiteNoise(random, -45, 3 * 48000);

        // Three seconds of noise alone; after one second of adaptation it must not count as speech.
        var frame = new float[Frame];
        var noiseHits = 0;
        for (var f = 0; f < 150; f++)
        {
            noise.AsSpan(f * Frame, Frame).CopyTo(frame);
            var hit = processor.Process(frame);
            noiseHits += f >= 50 && hit ? 1 : 0;
        }

        var (loud, speaking) = CountSpeaking(processor, speech, -45);

        TestContext.Current.TestOutputHelper!.WriteLine($"noise alone: {noiseHits} of 100 frames speaking; speech in noise: {speaking} of {loud}");
        Assert.True(noiseHits <= 2, $"{noiseHits} noise frames marked speaking");
        Assert.True(speaking >= loud * 0.9, $"{speaking} of {loud}");
    }

    [Theory(Timeout = 60_000)]
    [InlineData(-70)]
    [InlineData(-60)]
    [InlineData(-40)]
    [InlineData(-30)]
    public void Given_steady_noise_or_near_silence_When_processed_Then_not_speaking_once_adapted(int levelDbfs)
    {
        using var processor = new CaptureProcessor(Frame, echoCancellation: false, noiseSuppression: true);
        var noise = WhiteNoise(new Random(3), levelDbfs, 5 * 48000);
        var frame = new float[Frame];
        var hits = 0;
        for (var f = 0; f < 250; f++)
        {
            noise.AsSpan(f * Frame, Frame).CopyTo(frame);
            hits += processor.Process(frame) && f >= 50 ? 1 : 0;
        }

        Assert.Equal(0, hits);
        Assert.False(processor.Speaking);
    }

    [Fact(Timeout = 60_000)]
    public void Given_speech_that_stops_dead_When_processed_Then_speaking_holds_for_the_hangover_and_no_longer()
    {
        var speech = SpeechSample.Get().Samples;
        using var processor = new CaptureProcessor(Frame, echoCancellation: false, noiseSuppression: true);
        var frame = new float[Frame];

        // Speak until a loud frame two seconds in, then digital silence.
        var end = LoudFrameAfter(speech, 2 * 48000);
        bool last = false;
        for (var offset = 0; offset <= end; offset += Frame)
        {
            ToFloat(speech.AsSpan(offset, Frame), frame);
            last = processor.Process(frame);
        }

        Assert.True(last, "the last speech frame was not speech");
        var held = 0;
        while (held < 100)
        {
            Array.Clear(frame);
            if (!processor.Process(frame))
            {
                break;
            }

            held++;
        }

        // 200 ms of hangover counted in 10 ms blocks: nine more 20 ms frames speak, the tenth is quiet.
        Assert.Equal((CaptureProcessor.Hangover.Milliseconds / 20) - 1, held);
        Assert.False(processor.Speaking);
    }

    [Fact]
    public void Given_both_stages_off_When_processed_Then_the_frame_is_untouched_and_the_vad_still_listens()
    {
        var speech = SpeechSample.Get().Samples;
        using var processor = new CaptureProcessor(Frame, echoCancellation: false, noiseSuppression: false);
        var frame = new float[Frame];
        var copy = new float[Frame];
        var speaking = 0;
        for (var offset = 0; offset + Frame <= 3 * 48000; offset += Frame)
        {
            ToFloat(speech.AsSpan(offset, Frame), frame);
            frame.CopyTo(copy, 0);
            speaking += processor.Process(frame) ? 1 : 0;
            Assert.Equal(copy, frame);
        }

        Assert.True(speaking > 50, $"{speaking} frames speaking");
    }

    [Fact(Timeout = 120_000)]
    public void Given_cancellation_switched_off_and_on_again_When_processed_Then_the_echo_passes_and_is_then_cancelled_again()
    {
        var path = EchoPath.Get(12, delayMs: 40);
        using var processor = new CaptureProcessor(Frame, echoCancellation: false, noiseSuppression: false);
        var output = new float[path.Microphone.Length];
        var frame = new float[Frame];
        for (var offset = 0; offset + Frame <= output.Length; offset += Frame)
        {
            // Off for the first four seconds, then on.
            processor.EchoCancellation = offset >= 4 * 48000;
            processor.OnPlayed(path.FarEnd.AsSpan(offset, Frame));
            path.Microphone.AsSpan(offset, Frame).CopyTo(frame);
            processor.Process(frame);
            frame.CopyTo(output, offset);
        }

        Assert.InRange(EchoPath.ErleDb(path.Microphone.AsSpan(0, 4 * 48000), output.AsSpan(0, 4 * 48000), 0), -0.1, 0.1);
        Assert.True(EchoPath.ErleDb(path.Microphone, output, 9) >= 15);
        Assert.True(processor.EchoCancellation);
    }

    [Fact]
    public void Given_the_reference_runs_ahead_or_dry_When_processed_Then_the_excess_is_skipped_and_the_shortfall_counted()
    {
        using var processor = new CaptureProcessor(Frame, echoCancellation: true, noiseSuppression: false);
        var frame = new float[Frame];

        processor.Process(frame);
        Assert.Equal(Frame, processor.ReferenceShortfall);

        // Five frames played (a speaker buffer filling at start-up) before the next microphone frame.
        for (var i = 0; i < 5; i++)
        {
            processor.OnPlayed(frame);
        }

        processor.Process(frame);

        Assert.Equal(5 * Frame - Frame - processor.MaxReferenceLeadSamples, processor.ReferenceSkipped);
        Assert.Equal(processor.MaxReferenceLeadSamples, processor.ReferenceBacklog);
        Assert.Equal(Frame, processor.ReferenceShortfall);
        Assert.Equal(0, processor.ReferenceOverruns);
    }

    [Fact]
    public void Given_steady_frames_When_processed_Then_nothing_is_allocated()
    {
        var path = EchoPath.Get(12, delayMs: 40);
        using var processor = new CaptureProcessor(Frame);
        var frame = new float[Frame];
        for (var f = 0; f < 20; f++)
        {
            processor.OnPlayed(path.FarEnd.AsSpan(f * Frame, Frame));
            path.Microphone.AsSpan(f * Frame, Frame).CopyTo(frame);
            processor.Process(frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var f = 20; f < 220; f++)
        {
            processor.OnPlayed(path.FarEnd.AsSpan(f * Frame, Frame));
            path.Microphone.AsSpan(f * Frame, Frame).CopyTo(frame);
            processor.Process(frame);
            processor.NoiseSuppression = f % 50 != 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Given_speexdsp_When_created_through_TryCreate_Then_a_processor_and_no_notice()
    {
        using var processor = CaptureProcessor.TryCreate(AudioFormat.Frame10Ms, echoCancellation: true, noiseSuppression: false, out var notice);

        Assert.NotNull(processor);
        Assert.Null(notice);
        Assert.Equal((AudioFormat.Frame10Ms, CaptureProcessor.DefaultTailSamples), (processor.FrameSamples, processor.TailSamples));
        Assert.True(processor.EchoCancellation);
        Assert.False(processor.NoiseSuppression);
        Assert.Throws<ArgumentException>(() => processor.Process(new float[100]));
    }

    [Theory]
    [InlineData(true, true, false, true)]
    [InlineData(true, true, true, false)]
    [InlineData(false, true, false, false)]
    [InlineData(true, false, false, false)]
    public void Given_the_devices_When_deciding_on_echo_cancellation_Then_on_only_between_two_real_devices_without_no_aec(bool micIsDevice, bool speakerIsDevice, bool noAec, bool expected)
    {
        using var mic = new StubInput(micIsDevice);
        using var speaker = new StubOutput(speakerIsDevice);

        Assert.Equal(expected, CaptureProcessor.EchoCancellationByDefault(mic, speaker, noAec));
        Assert.False(CaptureProcessor.EchoCancellationByDefault(null, speaker, noAec));
    }

    private static float[] Run(CaptureProcessor processor, EchoPath path, out TimeSpan cost)
    {
        // The playout thread's part (OnPlayed) and the capture thread's (Process) in the order a device pair
        // gives them: a frame is played, and the microphone frame of the same moment is processed.
        var output = new float[path.Microphone.Length];
        var frame = new float[processor.FrameSamples];
        var started = Stopwatch.GetTimestamp();
        for (var offset = 0; offset + frame.Length <= output.Length; offset += frame.Length)
        {
            processor.OnPlayed(path.FarEnd.AsSpan(offset, frame.Length));
            path.Microphone.AsSpan(offset, frame.Length).CopyTo(frame);
            processor.Process(frame);
            frame.CopyTo(output, offset);
        }

        cost = Stopwatch.GetElapsedTime(started);
        return output;
    }

    private static (int Loud, int Speaking) CountSpeaking(CaptureProcessor processor, short[] speech, int noiseDbfs)
    {
        var random = new Random(17);
        var frame = new float[Frame];
        int loud = 0, speaking = 0;
        for (var offset = 0; offset + Frame <= speech.Length; offset += Frame)
        {
            ToFloat(speech.AsSpan(offset, Frame), frame);
            if (noiseDbfs < 0)
            {
                var amplitude = Math.Pow(10, noiseDbfs / 20.0) * Math.Sqrt(3);
                for (var i = 0; i < Frame; i++)
                {
                    frame[i] += (float)(((random.NextDouble() * 2) - 1) * amplitude);
                }
            }

            var hit = processor.Process(frame);
            if (SignalMetrics.RmsDbfs(speech.AsSpan(offset, Frame)) > -40)
            {
                loud++;
                speaking += hit ? 1 : 0;
            }
        }

        return (loud, speaking);
    }

    private static int LoudFrameAfter(short[] speech, int from)
    {
        for (var offset = from - (from % Frame); offset + Frame <= speech.Length; offset += Frame)
        {
            if (SignalMetrics.RmsDbfs(speech.AsSpan(offset, Frame)) > -20)
            {
                return offset;
            }
        }

        throw new InvalidOperationException("no loud frame in the speech sample");
    }

    private static float[] WhiteNoise(Random random, int levelDbfs, int length)
    {
        var amplitude = Math.Pow(10, levelDbfs / 20.0) * Math.Sqrt(3);
        var noise = new float[length];
        for (var i = 0; i < length; i++)
        {
            noise[i] = (float)(((random.NextDouble() * 2) - 1) * amplitude);
        }

        return noise;
    }

    private static void ToFloat(ReadOnlySpan<short> pcm, Span<float> frame)
    {
        for (var i = 0; i < pcm.Length; i++)
        {
            frame[i] = SampleConversion.ToFloat(pcm[i]);
        }
    }

    private sealed class StubInput(bool isDevice) : IAudioInput
    {
        public int FrameSamples => Frame;

        public bool IsDevice => isDevice;

        public string Description => "stub";

        public long Errors => 0;

        public string? Problem => null;

        public bool Read(Span<float> frame) => false;

        public void Dispose()
        {
        }
    }

    private sealed class StubOutput(bool isDevice) : IAudioOutput
    {
        public int FrameSamples => Frame;

        public bool IsDevice => isDevice;

        public string Description => "stub";

        public long Errors => 0;

        public string? Problem => null;

        public void Write(ReadOnlySpan<float> frame)
        {
        }

        public void Dispose()
        {
        }
    }
}
