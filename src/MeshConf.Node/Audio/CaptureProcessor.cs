using MeshConf.Core.Audio;
using MeshConf.Interop.Native;
using MeshConf.Interop.SpeexDsp;

namespace MeshConf.Node.Audio;

/// <summary>
/// The capture path's signal processing, on speexdsp: acoustic echo cancellation with the playback mix as
/// reference, then noise suppression (with the canceller's residual echo suppressed too), and voice activity
/// detection with a short hangover. Float frames in, float frames out, in place; nothing allocated per frame.
/// </summary>
/// <remarks>
/// <para>
/// Two threads: the playout thread calls <see cref="OnPlayed"/> with each frame it hands the speaker; the capture
/// thread calls <see cref="Process"/> with each frame the microphone gave. They meet in a lock-free
/// single-producer/single-consumer <see cref="SampleRing"/> of 16-bit reference samples; the speexdsp states
/// are touched by the capture thread only. Settings may be flipped from any thread and take effect at the next
/// frame. Dispose after the capture thread has stopped calling <see cref="Process"/>.
/// </para>
/// <para>
/// speexdsp runs on <see cref="BlockSamples"/> (10 ms) blocks whatever the frame size (a 20 ms frame is two
/// blocks), so the canceller adapts every 10 ms and one tuning serves all three frame sizes. The default tail,
/// <see cref="DefaultTailSamples"/> (200 ms), covers the device round trip (20-80 ms through PulseAudio, more
/// on some laptops) plus a room's reverberation; the measurements behind these choices are in
/// CaptureProcessorTests (ERLE against delay and tail length, and the cost per frame).
/// </para>
/// <para>
/// Alignment: the canceller can only remove an echo whose reference it has already seen. The reference a
/// block is paired with is the oldest not yet used, so the echo lags it by the device round trip minus the
/// backlog waiting in the ring; the backlog is therefore kept under <see cref="FrameSamples"/> +
/// <see cref="MaxReferenceLeadSamples"/> by skipping the oldest samples (a burst as the speaker's buffer fills
/// at start-up, or drift between two devices' clocks). A ring that runs dry (nothing played: a silent call, or
/// the playout thread late) pairs the block with silence.
/// </para>
/// </remarks>
internal sealed class CaptureProcessor : IDisposable
{
    /// <summary>Samples in one speexdsp block: 10 ms at 48 kHz.</summary>
    public const int BlockSamples = 480;

    /// <summary>The default echo tail: 200 ms at 48 kHz.</summary>
    public const int DefaultTailSamples = 9600;

    /// <summary>How long "speaking" outlasts the last block the VAD called speech: 200 ms.</summary>
    public static readonly TimeSpan Hangover = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Blocks quieter than this (RMS, dBFS, a full-scale square wave being 0) are never speech: speexdsp's VAD
    /// alone calls a good share of near-silent blocks speech.
    /// </summary>
    public const double SpeechFloorDbfs = -55;

    /// <summary>
    /// Speech probability (percent) that starts speech. speexdsp's defaults (35, then 20 to continue) call
    /// steady white noise speech: measured here its probability sits at 35-58% on noise from -50 to -40 dBFS,
    /// while 99% of loud speech blocks score 90 or more.
    /// </summary>
    public const int SpeechProbabilityStart = 80;

    /// <summary>Speech probability (percent) that keeps speech going once started.</summary>
    public const int SpeechProbabilityContinue = 65;

    private const int HangoverBlocks = 20;
    private const int RingSamples = AudioFormat.SampleRate / 2;

    private readonly SpeexEchoCanceller _echo;
    private readonly SpeexPreprocessor _preprocessor;
    private readonly SampleRing _reference = new(RingSamples);

    // Capture-thread scratch, one block each: microphone, reference, canceller output.
    private readonly short[] _mic = new short[BlockSamples];
    private readonly short[] _played = new short[BlockSamples];
    private readonly short[] _cancelled = new short[BlockSamples];
    private readonly float _speechFloor;

    private volatile bool _echoCancellation;
    private volatile bool _noiseSuppression;
    private volatile bool _speaking;

    // What the speexdsp states are set up for now (capture thread only).
    private bool _appliedEcho;
    private bool _appliedNoise;
    private int _hangoverLeft;
    private long _referenceShortfall;
    private long _referenceSkipped;

    /// <param name="frameSamples">480, 960 or 1920.</param>
    /// <param name="echoCancellation">Cancel the echo of what <see cref="OnPlayed"/> reports.</param>
    /// <param name="noiseSuppression">Suppress stationary noise (and residual echo).</param>
    /// <param name="tailSamples">The echo tail the canceller models.</param>
    /// <exception cref="NativeDependencyMissingException">libspeexdsp is not installed (see <see cref="TryCreate"/>).</exception>
    public CaptureProcessor(int frameSamples, bool echoCancellation = true, bool noiseSuppression = true, int tailSamples = DefaultTailSamples)
    {
        AudioFormat.CheckFrameSize(frameSamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(tailSamples, BlockSamples);
        FrameSamples = frameSamples;
        TailSamples = tailSamples;
        _echo = new SpeexEchoCanceller(BlockSamples, tailSamples, AudioFormat.SampleRate);
        try
        {
            _preprocessor = new SpeexPreprocessor(BlockSamples, AudioFormat.SampleRate)
            {
                Vad = true,
                Agc = false,
                ProbabilityStart = SpeechProbabilityStart,
                ProbabilityContinue = SpeechProbabilityContinue,
            };
            _preprocessor.Denoise = noiseSuppression;
        }
        catch
        {
            _echo.Dispose();
            throw;
        }

        _echoCancellation = echoCancellation;
        _noiseSuppression = noiseSuppression;
        _appliedNoise = noiseSuppression;
        _speechFloor = (float)Math.Pow(10, SpeechFloorDbfs / 20);
        Apply(echoCancellation, noiseSuppression);
    }

    /// <summary>Samples per frame given to <see cref="Process"/>.</summary>
    public int FrameSamples { get; }

    /// <summary>The echo tail the canceller models, in samples.</summary>
    public int TailSamples { get; }

    /// <summary>How far the reference may run ahead of the microphone beyond the frame being processed: two frames.</summary>
    public int MaxReferenceLeadSamples => 2 * FrameSamples;

    /// <summary>Echo cancellation on or off; takes effect at the next frame (on again: the room is learnt afresh).</summary>
    public bool EchoCancellation
    {
        get => _echoCancellation;
        set => _echoCancellation = value;
    }

    /// <summary>Noise suppression on or off; takes effect at the next frame.</summary>
    public bool NoiseSuppression
    {
        get => _noiseSuppression;
        set => _noiseSuppression = value;
    }

    /// <summary>What the last <see cref="Process"/> returned: speech in it or within the hangover before it.</summary>
    public bool Speaking => _speaking;

    /// <summary>Reference samples the microphone needed before the speaker had played them; paired with silence.</summary>
    public long ReferenceShortfall => Interlocked.Read(ref _referenceShortfall);

    /// <summary>Reference samples skipped because they ran too far ahead of the microphone.</summary>
    public long ReferenceSkipped => Interlocked.Read(ref _referenceSkipped);

    /// <summary>Reference samples dropped because the capture side stopped taking them (a full ring).</summary>
    public long ReferenceOverruns => _reference.Overruns;

    /// <summary>Reference samples waiting for the microphone now.</summary>
    public int ReferenceBacklog => _reference.Count;

    /// <summary>Echo cancellation is wanted by default only between a real microphone and a real speaker, and not with --no-aec.</summary>
    public static bool EchoCancellationByDefault(IAudioInput? input, IAudioOutput? output, bool noAec) =>
        !noAec && input is { IsDevice: true } && output is { IsDevice: true };

    /// <summary>
    /// A processor, or null with a one-line <paramref name="notice"/> when libspeexdsp is missing: the microphone
    /// is then sent unprocessed and nobody is shown as speaking.
    /// </summary>
    public static CaptureProcessor? TryCreate(int frameSamples, bool echoCancellation, bool noiseSuppression, out string? notice)
    {
        notice = null;
        try
        {
            return new CaptureProcessor(frameSamples, echoCancellation, noiseSuppression);
        }
        catch (NativeDependencyMissingException e)
        {
            notice = $"{e.Message}; the microphone is sent without echo cancellation or noise suppression";
            return null;
        }
    }

    /// <summary>
    /// Playout thread: the playback mix, called with each frame right before it is written to the output (any
    /// length). Never blocks.
    /// </summary>
    public void OnPlayed(ReadOnlySpan<float> played) => _reference.Write(played);

    /// <summary>
    /// Capture thread: cancels the echo in, and denoises, one microphone frame in place (the first
    /// <see cref="FrameSamples"/> of <paramref name="frame"/>); returns whether it holds speech, counting the hangover.
    /// </summary>
    public bool Process(Span<float> frame)
    {
        if (frame.Length < FrameSamples)
        {
            throw new ArgumentException($"a frame is {FrameSamples} samples; got {frame.Length}", nameof(frame));
        }

        frame = frame[..FrameSamples];
        var echo = _echoCancellation;
        var noise = _noiseSuppression;
        Apply(echo, noise);

        var excess = _reference.Count - FrameSamples - MaxReferenceLeadSamples;
        if (excess > 0)
        {
            Interlocked.Add(ref _referenceSkipped, _reference.Skip(excess));
        }

        var speech = false;
        for (var offset = 0; offset < frame.Length; offset += BlockSamples)
        {
            speech |= ProcessBlock(frame.Slice(offset, BlockSamples), echo, noise);
        }

        _hangoverLeft = speech ? HangoverBlocks : Math.Max(0, _hangoverLeft - (FrameSamples / BlockSamples));
        var speaking = speech || _hangoverLeft > 0;
        _speaking = speaking;
        return speaking;
    }

    public void Dispose()
    {
        _preprocessor.Dispose();
        _echo.Dispose();
    }

    private bool ProcessBlock(Span<float> block, bool echo, bool noise)
    {
        for (var i = 0; i < BlockSamples; i++)
        {
            _mic[i] = SampleConversion.ToPcm16(block[i]);
        }

        var got = _reference.Read(_played);
        if (got < BlockSamples)
        {
            _played.AsSpan(got).Clear();
            Interlocked.Add(ref _referenceShortfall, BlockSamples - got);
        }

        var signal = _mic;
        if (echo)
        {
            _echo.Cancel(_mic, _played, _cancelled);
            signal = _cancelled;
        }

        var loudEnough = Rms(signal) >= _speechFloor;
        bool vad;
        if (noise)
        {
            vad = _preprocessor.Run(signal);
        }
        else
        {
            // The preprocessor only listens (for the VAD): its output would be this block resynthesised.
            signal.CopyTo(_played, 0);
            vad = _preprocessor.Run(_played);
        }

        if (echo || noise)
        {
            for (var i = 0; i < BlockSamples; i++)
            {
                block[i] = SampleConversion.ToFloat(signal[i]);
            }
        }

        return vad && loudEnough;
    }

    private void Apply(bool echo, bool noise)
    {
        if (echo == _appliedEcho && noise == _appliedNoise)
        {
            return;
        }

        if (echo && !_appliedEcho)
        {
            _echo.Reset();
        }

        if (noise != _appliedNoise)
        {
            _preprocessor.Denoise = noise;
        }

        // Residual echo suppression works through the denoiser's gains, so it needs both.
        _preprocessor.AttachEchoCanceller(echo && noise ? _echo : null);
        _appliedEcho = echo;
        _appliedNoise = noise;
    }

    private static float Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return (float)(Math.Sqrt(sum / samples.Length) / 32768.0);
    }
}
