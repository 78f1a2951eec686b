namespace MeshConf.Core.Audio;

/// <summary>
/// One playout step from <see cref="JitterBuffer.Next"/>. <see cref="Payload"/> is borrowed from the buffer's
/// own storage: it stays valid until the next call to <see cref="JitterBuffer.Put"/> or <see cref="JitterBuffer.Next"/>.
/// </summary>
internal readonly ref struct JitterFrame
{
    public JitterFrame(JitterAction action, ReadOnlySpan<byte> payload, int samples, bool isSpeech)
    {
        Action = action;
        Payload = payload;
        Samples = samples;
        IsSpeech = isSpeech;
    }

    public JitterAction Action { get; }

    /// <summary>The Opus packet to decode (<see cref="JitterAction.Decode"/>), or the next packet whose FEC rebuilds this frame (<see cref="JitterAction.DecodeFec"/>); empty otherwise.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Samples (48 kHz) this step covers: the frame size to decode, conceal or fill with silence.</summary>
    public int Samples { get; }

    /// <summary>The sender's VAD heard voice in this frame (only for <see cref="JitterAction.Decode"/>).</summary>
    public bool IsSpeech { get; }
}
