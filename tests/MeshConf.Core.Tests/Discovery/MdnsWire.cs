using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

/// <summary>Every message an agent sends or is given goes through the codec, as on a real link.</summary>
internal static class MdnsWire
{
    /// <summary>Writes the message into one mDNS packet (failing the test if it does not fit) and reads it back.</summary>
    public static DnsMessage Roundtrip(DnsMessage message)
    {
        var buffer = new byte[Mdns.MaxMessageSize];
        Assert.True(message.TryWrite(buffer, out var written), $"the message does not fit in {Mdns.MaxMessageSize} bytes:\n{message}");
        Assert.True(DnsMessage.TryRead(buffer.AsSpan(0, written), out var read, out var error), error);
        return read;
    }
}
