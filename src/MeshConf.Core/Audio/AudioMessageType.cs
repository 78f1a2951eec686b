namespace MeshConf.Core.Audio;

/// <summary>Mesh application message types of audio (wire protocol: never renumber).</summary>
internal static class AudioMessageType
{
    /// <summary>One Opus frame (<see cref="AudioPacketHeader"/> and the Opus packet), audio channel (unreliable, sequenced).</summary>
    public const byte Frame = 0x30;

    /// <summary>The sender's <see cref="AudioState"/> (one byte), control channel: sent on change and to each new peer.</summary>
    public const byte State = 0x31;

    /// <summary>An <see cref="AudioSenderReport"/>, control channel, about once a second: which capture time a stream timestamp had.</summary>
    public const byte SenderReport = 0x32;

    /// <summary>An <see cref="AudioReceiverReport"/>, control channel, about once a second: the loss the receiver saw.</summary>
    public const byte ReceiverReport = 0x33;
}
