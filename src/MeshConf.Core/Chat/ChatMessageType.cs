namespace MeshConf.Core.Chat;

/// <summary>Mesh application message types of the chat (wire protocol: never renumber; 0x01-0x3F are taken).</summary>
internal static class ChatMessageType
{
    /// <summary>One <see cref="ChatLine"/>, control channel (reliable, ordered), sent to every peer.</summary>
    public const byte Line = 0x40;
}
