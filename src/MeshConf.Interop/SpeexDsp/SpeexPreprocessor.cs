using MeshConf.Interop.Native;

namespace MeshConf.Interop.SpeexDsp;

/// <summary>
/// speexdsp's preprocessor: noise suppression, automatic gain control, voice activity detection and
/// residual echo suppression, applied in place to mono 16-bit frames. Not thread-safe.
/// </summary>
public sealed unsafe class SpeexPreprocessor : IDisposable
{
    private readonly SpeexPreprocessHandle _handle;
    private SpeexEchoCanceller? _echo;

    public SpeexPreprocessor(int frameSize, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSize);
        NativeDependency.SpeexDsp.EnsureLoaded();
        _handle = SpeexDspNative.PreprocessStateInit(frameSize, sampleRate);
        if (_handle.IsInvalid)
        {
            _handle.Dispose();
            throw new SpeexDspException("speex_preprocess_state_init", -1, "could not allocate the preprocessor");
        }

        FrameSize = frameSize;
    }

    public int FrameSize { get; }

    /// <summary>Noise suppression (on by default in speexdsp).</summary>
    public bool Denoise
    {
        get => GetInt(SpeexDspNative.GetDenoise) != 0;
        set => SetInt(SpeexDspNative.SetDenoise, value ? 1 : 0);
    }

    /// <summary>Maximum noise attenuation in dB, negative (speexdsp default -15).</summary>
    public int NoiseSuppressDb
    {
        get => GetInt(SpeexDspNative.GetNoiseSuppress);
        set => SetInt(SpeexDspNative.SetNoiseSuppress, value);
    }

    /// <summary>Automatic gain control.</summary>
    public bool Agc
    {
        get => GetInt(SpeexDspNative.GetAgc) != 0;
        set => SetInt(SpeexDspNative.SetAgc, value ? 1 : 0);
    }

    /// <summary>AGC target level (speexdsp default 8000, in 16-bit sample units).</summary>
    public float AgcLevel
    {
        get
        {
            float v = 0;
            SpeexDspException.ThrowIfError(SpeexDspNative.PreprocessCtl(_handle, SpeexDspNative.GetAgcLevel, &v), "speex_preprocess_ctl", SpeexDspNative.GetAgcLevel);
            return v;
        }

        set
        {
            var v = value;
            SpeexDspException.ThrowIfError(SpeexDspNative.PreprocessCtl(_handle, SpeexDspNative.SetAgcLevel, &v), "speex_preprocess_ctl", SpeexDspNative.SetAgcLevel);
        }
    }

    /// <summary>Maximum AGC gain in dB.</summary>
    public int AgcMaxGainDb
    {
        set => SetInt(SpeexDspNative.SetAgcMaxGain, value);
    }

    /// <summary>Voice activity detection: <see cref="Run"/> returns whether the frame holds speech.</summary>
    public bool Vad
    {
        get => GetInt(SpeexDspNative.GetVad) != 0;
        set
        {
            // speexdsp 1.2 prints "The VAD has been replaced by a hack..." to stderr on every SET_VAD.
            using (StderrSilencer.Begin())
            {
                SetInt(SpeexDspNative.SetVad, value ? 1 : 0);
            }
        }
    }

    /// <summary>Speech probability (percent) needed to go from silence to speech.</summary>
    public int ProbabilityStart
    {
        set => SetInt(SpeexDspNative.SetProbStart, value);
    }

    /// <summary>Speech probability (percent) needed to stay in speech.</summary>
    public int ProbabilityContinue
    {
        set => SetInt(SpeexDspNative.SetProbContinue, value);
    }

    /// <summary>The speech probability of the last frame, percent.</summary>
    public int SpeechProbability => GetInt(SpeexDspNative.GetProb);

    /// <summary>Maximum attenuation of residual echo in dB, negative (default -40).</summary>
    public int EchoSuppressDb
    {
        set => SetInt(SpeexDspNative.SetEchoSuppress, value);
    }

    /// <summary>Maximum attenuation of residual echo while the near end speaks, dB, negative (default -15).</summary>
    public int EchoSuppressActiveDb
    {
        set => SetInt(SpeexDspNative.SetEchoSuppressActive, value);
    }

    /// <summary>
    /// Lets the preprocessor suppress the echo the canceller could not remove. The canceller must outlive this
    /// preprocessor's use of it; pass null to detach.
    /// </summary>
    public void AttachEchoCanceller(SpeexEchoCanceller? echo)
    {
        var state = echo is null ? null : (void*)echo.Handle.DangerousGetHandle();
        SpeexDspException.ThrowIfError(SpeexDspNative.PreprocessCtl(_handle, SpeexDspNative.SetEchoState, state), "speex_preprocess_ctl", SpeexDspNative.SetEchoState);
        _echo = echo;
    }

    /// <summary>Processes one frame in place; returns true when VAD is on and the frame holds speech.</summary>
    public bool Run(Span<short> frame)
    {
        if (frame.Length < FrameSize)
        {
            throw new ArgumentException($"A frame is {FrameSize} samples; got {frame.Length}.", nameof(frame));
        }

        if (_echo is { Handle.IsClosed: true })
        {
            throw new ObjectDisposedException(nameof(SpeexEchoCanceller), "The attached echo canceller was disposed.");
        }

        fixed (short* p = frame)
        {
            return SpeexDspNative.PreprocessRun(_handle, p) != 0;
        }
    }

    public void Dispose() => _handle.Dispose();

    private int GetInt(int request)
    {
        int v = 0;
        SpeexDspException.ThrowIfError(SpeexDspNative.PreprocessCtl(_handle, request, &v), "speex_preprocess_ctl", request);
        return v;
    }

    private void SetInt(int request, int value)
    {
        SpeexDspException.ThrowIfError(SpeexDspNative.PreprocessCtl(_handle, request, &value), "speex_preprocess_ctl", request);
    }
}
