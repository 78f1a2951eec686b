namespace MeshConf.Node.Net;

/// <summary>
/// The ENet channels of a link. Control is reliable and ordered; audio and video are unreliable-sequenced
/// (video frames larger than the MTU travel as unreliable fragments), so a lost control packet never stalls
/// media and a lost media packet is never retransmitted late.
/// </summary>
internal enum MeshChannel : byte
{
    Control = 0,
    Audio = 1,
    Video = 2,
}

/// <summary>Channel facts shared by the transport and the packet protection.</summary>
internal static class MeshChannels
{
    /// <summary>How many ENet channels every link opens.</summary>
    public const int Count = 3;

    /// <summary>The wire name used in stats output.</summary>
    public static string Name(MeshChannel channel) => channel switch
    {
        MeshChannel.Control => "control",
        MeshChannel.Audio => "audio",
        MeshChannel.Video => "video",
        _ => "unknown",
    };
}
