using System.Net;
using MeshConf.Interop.Enet;

namespace MeshConf.Interop.Tests.Enet;

/// <summary>Two ENet hosts on 127.0.0.1, port 0, connected to each other, pumped from the test thread.</summary>
internal sealed class EnetPair : IDisposable
{
    public const int Channels = 4;

    public EnetPair(uint connectData = 0)
    {
        Server = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), peerLimit: 8, channelLimit: Channels);
        Client = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), peerLimit: 8, channelLimit: Channels);
        ClientSide = Client.Connect(Server.LocalEndPoint, Channels, connectData);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((!ServerSide.IsValid || ClientSide.State != EnetPeerState.Connected) && DateTime.UtcNow < deadline)
        {
            if (Server.Service(1, out var e) && e.Type == EnetEventType.Connect)
            {
                ServerSide = e.Peer;
                ConnectData = e.Data;
            }

            Client.Service(1, out _);
        }

        if (!ServerSide.IsValid || ClientSide.State != EnetPeerState.Connected)
        {
            throw new TimeoutException("ENet hosts did not connect on loopback");
        }
    }

    public EnetHost Server { get; }

    public EnetHost Client { get; }

    public EnetPeer ClientSide { get; }

    public EnetPeer ServerSide { get; private set; }

    public uint ConnectData { get; private set; }

    /// <summary>Pumps both hosts until the server has received <paramref name="count"/> packets or time runs out.</summary>
    public List<(byte Channel, byte[] Payload, EnetDelivery Flags)> ReceiveOnServer(int count, TimeSpan timeout)
    {
        var received = new List<(byte, byte[], EnetDelivery)>();
        var deadline = DateTime.UtcNow + timeout;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            Client.Service(0, out _);
            while (Server.Service(1, out var e))
            {
                if (e.Type == EnetEventType.Receive)
                {
                    received.Add((e.ChannelId, e.Payload.ToArray(), e.PacketFlags));
                }
            }
        }

        return received;
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
