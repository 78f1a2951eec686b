using MeshConf.Interop.Native;

namespace MeshConf.Interop.SpeexDsp;

/// <summary>
/// speexdsp's acoustic echo canceller (MDF). Feed it what the microphone heard and what the speaker was
/// playing at that moment; it returns the microphone signal with the speaker's echo removed. Frames are
/// <see cref="FrameSize"/> mono 16-bit samples. Not thread-safe.
/// </summary>
public sealed unsafe class SpeexEchoCanceller : IDisposable
{
    /// <summary>
    /// <paramref name="filterLength"/> is the echo tail to model in samples: 100-500 ms of the room, e.g.
    /// 4800 for 100 ms at 48 kHz. Longer tails cost CPU and converge slower.
    /// </summary>
    public SpeexEchoCanceller(int frameSize, int filterLength, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filterLength);
        NativeDependency.SpeexDsp.EnsureLoaded();
        Handle = SpeexDspNative.EchoStateInit(frameSize, filterLength);
        if (Handle.IsInvalid)
        {
            Handle.Dispose();
            throw new SpeexDspException("speex_echo_state_init", -1, "could not allocate the echo canceller");
        }

        FrameSize = frameSize;
        var rate = sampleRate;
        SpeexDspException.ThrowIfError(SpeexDspNative.EchoCtl(Handle, SpeexDspNative.EchoSetSamplingRate, &rate), "speex_echo_ctl", SpeexDspNative.EchoSetSamplingRate);
    }

    public int FrameSize { get; }

    internal SpeexEchoHandle Handle { get; }

    /// <summary>Removes the echo of <paramref name="played"/> from <paramref name="recorded"/> into <paramref name="output"/>.</summary>
    public void Cancel(ReadOnlySpan<short> recorded, ReadOnlySpan<short> played, Span<short> output)
    {
        CheckFrame(recorded.Length);
        CheckFrame(played.Length);
        CheckFrame(output.Length);
        fixed (short* r = recorded)
        fixed (short* p = played)
        fixed (short* o = output)
        {
            SpeexDspNative.EchoCancellation(Handle, r, p, o);
        }
    }

    /// <summary>
    /// Capture half of the two-call form, for when capture and playback run on different threads: call
    /// <see cref="Playback"/> as each frame is played and this as each frame is captured.
    /// </summary>
    public void Capture(ReadOnlySpan<short> recorded, Span<short> output)
    {
        CheckFrame(recorded.Length);
        CheckFrame(output.Length);
        fixed (short* r = recorded)
        fixed (short* o = output)
        {
            SpeexDspNative.EchoCapture(Handle, r, o);
        }
    }

    /// <summary>Playback half of the two-call form.</summary>
    public void Playback(ReadOnlySpan<short> played)
    {
        CheckFrame(played.Length);
        fixed (short* p = played)
        {
            SpeexDspNative.EchoPlayback(Handle, p);
        }
    }

    /// <summary>Forgets everything learnt about the room.</summary>
    public void Reset() => SpeexDspNative.EchoStateReset(Handle);

    public void Dispose() => Handle.Dispose();

    private void CheckFrame(int length)
    {
        if (length < FrameSize)
        {
            throw new ArgumentException($"A frame is {FrameSize} samples; got {length}.");
        }
    }
}
