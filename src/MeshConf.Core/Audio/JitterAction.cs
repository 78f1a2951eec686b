namespace MeshConf.Core.Audio;

/// <summary>What the playout should do for one frame, as <see cref="JitterBuffer.Next"/> tells it.</summary>
internal enum JitterAction
{
    /// <summary>Play silence: no stream yet, or between talk spurts. Nothing to decode.</summary>
    Silence,

    /// <summary>Decode <see cref="JitterFrame.Payload"/>, the frame's own packet.</summary>
    Decode,

    /// <summary>
    /// The frame's packet is missing but the next one is here: rebuild the missing frame from the redundancy in
    /// <see cref="JitterFrame.Payload"/>, the NEXT packet (Opus in-band FEC, <c>OpusDecoder.DecodeFec</c>).
    /// The next packet itself comes back as <see cref="Decode"/> on the following call.
    /// </summary>
    DecodeFec,

    /// <summary>Conceal one frame (Opus PLC, <c>OpusDecoder.DecodeMissing</c>): a lost packet, or one frame inserted to grow the delay.</summary>
    Conceal,
}
