using MeshConf.Interop.Native;

namespace MeshConf.Interop.Opus;

/// <summary>
/// An Opus encoder (RFC 6716). Not thread-safe: one thread encodes. PCM is interleaved when
/// <see cref="Channels"/> is 2; a frame is 2.5, 5, 10, 20, 40 or 60 ms of samples per channel.
/// </summary>
public sealed unsafe class OpusEncoder : IDisposable
{
    private readonly OpusEncoderHandle _handle;

    /// <summary>Creates an encoder. <paramref name="sampleRate"/> is 8000, 12000, 16000, 24000 or 48000.</summary>
    public OpusEncoder(int sampleRate, int channels, OpusApplication application)
    {
        NativeDependency.Opus.EnsureLoaded();
        _handle = OpusNative.EncoderCreate(sampleRate, channels, (int)application, out var error);
        if (error != OpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException("opus_encoder_create", error != OpusNative.Ok ? error : OpusNative.BadArg);
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Target bitrate in bit/s (OPUS_SET_BITRATE).</summary>
    public int Bitrate
    {
        get => Get(OpusNative.GetBitrateRequest, "OPUS_GET_BITRATE");
        set => Set(OpusNative.SetBitrateRequest, value, "OPUS_SET_BITRATE");
    }

    /// <summary>Variable bitrate (default on in libopus). Constant bitrate hides speech in packet sizes.</summary>
    public bool Vbr
    {
        get => Get(OpusNative.GetVbrRequest, "OPUS_GET_VBR") != 0;
        set => Set(OpusNative.SetVbrRequest, value ? 1 : 0, "OPUS_SET_VBR");
    }

    /// <summary>Computational complexity 0-10.</summary>
    public int Complexity
    {
        get => Get(OpusNative.GetComplexityRequest, "OPUS_GET_COMPLEXITY");
        set => Set(OpusNative.SetComplexityRequest, value, "OPUS_SET_COMPLEXITY");
    }

    /// <summary>In-band forward error correction (needs <see cref="PacketLossPercent"/> above 0 to take effect).</summary>
    public bool InbandFec
    {
        get => Get(OpusNative.GetInbandFecRequest, "OPUS_GET_INBAND_FEC") != 0;
        set => Set(OpusNative.SetInbandFecRequest, value ? 1 : 0, "OPUS_SET_INBAND_FEC");
    }

    /// <summary>Expected packet loss, 0-100: how much redundancy FEC spends.</summary>
    public int PacketLossPercent
    {
        get => Get(OpusNative.GetPacketLossPercRequest, "OPUS_GET_PACKET_LOSS_PERC");
        set => Set(OpusNative.SetPacketLossPercRequest, value, "OPUS_SET_PACKET_LOSS_PERC");
    }

    /// <summary>Discontinuous transmission: near-empty packets during silence.</summary>
    public bool Dtx
    {
        get => Get(OpusNative.GetDtxRequest, "OPUS_GET_DTX") != 0;
        set => Set(OpusNative.SetDtxRequest, value ? 1 : 0, "OPUS_SET_DTX");
    }

    /// <summary>Content hint.</summary>
    public OpusSignal Signal
    {
        get => (OpusSignal)Get(OpusNative.GetSignalRequest, "OPUS_GET_SIGNAL");
        set => Set(OpusNative.SetSignalRequest, (int)value, "OPUS_SET_SIGNAL");
    }

    /// <summary>Samples per channel the encoder delays its input by (312 at 48 kHz VOIP).</summary>
    public int Lookahead => Get(OpusNative.GetLookaheadRequest, "OPUS_GET_LOOKAHEAD");

    /// <summary>Encodes one frame of 16-bit PCM into <paramref name="packet"/>; returns the packet length.</summary>
    public int Encode(ReadOnlySpan<short> pcm, int frameSize, Span<byte> packet)
    {
        CheckFrame(pcm.Length, frameSize);
        fixed (short* p = pcm)
        fixed (byte* d = packet)
        {
            return OpusException.ThrowIfError(OpusNative.Encode(_handle, p, frameSize, d, packet.Length), "opus_encode");
        }
    }

    /// <summary>Encodes one frame of float PCM (nominal range ±1) into <paramref name="packet"/>.</summary>
    public int Encode(ReadOnlySpan<float> pcm, int frameSize, Span<byte> packet)
    {
        CheckFrame(pcm.Length, frameSize);
        fixed (float* p = pcm)
        fixed (byte* d = packet)
        {
            return OpusException.ThrowIfError(OpusNative.EncodeFloat(_handle, p, frameSize, d, packet.Length), "opus_encode_float");
        }
    }

    /// <summary>Resets the codec state, as for a new stream (OPUS_RESET_STATE).</summary>
    public void Reset() => OpusException.ThrowIfError(OpusNative.EncoderReset(_handle), "OPUS_RESET_STATE");

    public void Dispose() => _handle.Dispose();

    private void CheckFrame(int pcmLength, int frameSize)
    {
        if (frameSize <= 0 || pcmLength < frameSize * Channels)
        {
            throw new ArgumentException($"PCM holds {pcmLength} samples, a frame of {frameSize} x {Channels} channels needs more.", nameof(frameSize));
        }
    }

    private int Get(int request, string name)
    {
        OpusException.ThrowIfError(OpusNative.EncoderGet(_handle, request, out var value), name);
        return value;
    }

    private void Set(int request, int value, string name) =>
        OpusException.ThrowIfError(OpusNative.EncoderSet(_handle, request, value), name);
}
