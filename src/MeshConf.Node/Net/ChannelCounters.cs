namespace MeshConf.Node.Net;

/// <summary>Traffic counters of one channel of one link, in transport bytes (sealed messages).</summary>
internal readonly record struct ChannelCounters(long PacketsIn, long BytesIn, long PacketsOut, long BytesOut);
