using MeshConf.Interop.Native;

namespace MeshConf.Interop.Opus;

/// <summary>
/// An Opus decoder with packet loss concealment and in-band FEC recovery. Not thread-safe.
/// Every decode returns the number of samples per channel written.
/// </summary>
public sealed unsafe class OpusDecoder : IDisposable
{
    private readonly OpusDecoderHandle _handle;

    public OpusDecoder(int sampleRate, int channels)
    {
        NativeDependency.Opus.EnsureLoaded();
        _handle = OpusNative.DecoderCreate(sampleRate, channels, out var error);
        if (error != OpusNative.Ok || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException("opus_decoder_create", error != OpusNative.Ok ? error : OpusNative.BadArg);
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Duration in samples of the last packet decoded or concealed.</summary>
    public int LastPacketDuration
    {
        get
        {
            OpusException.ThrowIfError(OpusNative.DecoderGet(_handle, OpusNative.GetLastPacketDurationRequest, out var value), "OPUS_GET_LAST_PACKET_DURATION");
            return value;
        }
    }

    /// <summary>Decodes <paramref name="packet"/> into at most <paramref name="frameSize"/> samples per channel.</summary>
    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSize) => Decode(packet, pcm, frameSize, fec: false);

    /// <summary>Decodes a float frame.</summary>
    public int Decode(ReadOnlySpan<byte> packet, Span<float> pcm, int frameSize) => Decode(packet, pcm, frameSize, fec: false);

    /// <summary>
    /// Conceals one lost frame (PLC): call it where a packet is missing and no later packet is at hand.
    /// </summary>
    public int DecodeMissing(Span<short> pcm, int frameSize) => Decode(ReadOnlySpan<byte>.Empty, pcm, frameSize, fec: false);

    /// <inheritdoc cref="DecodeMissing(Span{short}, int)"/>
    public int DecodeMissing(Span<float> pcm, int frameSize) => Decode(ReadOnlySpan<byte>.Empty, pcm, frameSize, fec: false);

    /// <summary>
    /// Rebuilds the LOST frame before <paramref name="nextPacket"/> from the redundancy carried in it
    /// (in-band FEC). Decode <paramref name="nextPacket"/> itself normally afterwards. When the next packet
    /// carries no FEC data libopus falls back to concealment.
    /// </summary>
    public int DecodeFec(ReadOnlySpan<byte> nextPacket, Span<short> pcm, int frameSize) => Decode(nextPacket, pcm, frameSize, fec: true);

    /// <inheritdoc cref="DecodeFec(ReadOnlySpan{byte}, Span{short}, int)"/>
    public int DecodeFec(ReadOnlySpan<byte> nextPacket, Span<float> pcm, int frameSize) => Decode(nextPacket, pcm, frameSize, fec: true);

    /// <summary>Resets the decoder state (OPUS_RESET_STATE), e.g. at the start of a new talk spurt from a new sender.</summary>
    public void Reset() => OpusException.ThrowIfError(OpusNative.DecoderReset(_handle), "OPUS_RESET_STATE");

    public void Dispose() => _handle.Dispose();

    private int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSize, bool fec)
    {
        CheckFrame(pcm.Length, frameSize);
        fixed (byte* d = packet)
        fixed (short* p = pcm)
        {
            // An empty span pins to a null pointer, which is exactly how libopus is told a packet is missing.
            var data = packet.IsEmpty ? null : d;
            return OpusException.ThrowIfError(OpusNative.Decode(_handle, data, packet.Length, p, frameSize, fec ? 1 : 0), "opus_decode");
        }
    }

    private int Decode(ReadOnlySpan<byte> packet, Span<float> pcm, int frameSize, bool fec)
    {
        CheckFrame(pcm.Length, frameSize);
        fixed (byte* d = packet)
        fixed (float* p = pcm)
        {
            var data = packet.IsEmpty ? null : d;
            return OpusException.ThrowIfError(OpusNative.DecodeFloat(_handle, data, packet.Length, p, frameSize, fec ? 1 : 0), "opus_decode_float");
        }
    }

    private void CheckFrame(int pcmLength, int frameSize)
    {
        if (frameSize <= 0 || pcmLength < frameSize * Channels)
        {
            throw new ArgumentException($"PCM holds {pcmLength} samples, a frame of {frameSize} x {Channels} channels needs more.", nameof(frameSize));
        }
    }
}
