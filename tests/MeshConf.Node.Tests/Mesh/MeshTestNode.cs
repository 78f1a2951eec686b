using System.Collections.Concurrent;
using System.Net;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;
using MeshConf.Node.Security;

namespace MeshConf.Node.Tests.Mesh;

/// <summary>A mesh node on its own ENet transport on 127.0.0.1, recording its events for assertions.</summary>
internal sealed class MeshTestNode : IDisposable
{
    private readonly List<MeshEvent> _events = [];
    private readonly Lock _gate = new();
    private readonly Task _pump;

    public MeshTestNode(string name, Func<MeshNodeOptions, MeshNodeOptions>? configure = null, string session = "test",
        IEnumerable<IPEndPoint>? peers = null, IdentityKey? identity = null, KnownPeers? knownPeers = null,
        EnetTransportOptions? transport = null)
    {
        Transport = EnetTransport.Start(transport ?? new EnetTransportOptions { BindAddress = IPAddress.Loopback, PeerTimeout = TimeSpan.FromSeconds(5) });
        var options = new MeshNodeOptions
        {
            Session = session,
            Name = name,
            Identity = identity ?? TestIdentity.Shared,
            KnownPeers = knownPeers ?? KnownPeers.InMemory(),
            Peers = [.. peers ?? []],
        };
        Node = new MeshNode(Transport, configure is null ? options : configure(options));
        Node.MessageReceived = (peer, channel, type, payload) => Received.Enqueue((peer, channel, type, payload.ToArray()));
        Node.Start();
        _pump = Task.Run(async () =>
        {
            await foreach (var meshEvent in Node.Events.ReadAllAsync())
            {
                lock (_gate)
                {
                    _events.Add(meshEvent);
                }
            }
        });
    }

    public EnetTransport Transport { get; }

    public MeshNode Node { get; }

    public IPEndPoint EndPoint => Transport.LocalEndPoint;

    public ConcurrentQueue<(ulong Peer, MeshChannel Channel, byte Type, byte[] Payload)> Received { get; } = new();

    public List<MeshEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public HashSet<ulong> Members()
    {
        var members = new HashSet<ulong>();
        foreach (var meshEvent in Events)
        {
            switch (meshEvent)
            {
                case PeerJoinedEvent joined:
                    members.Add(joined.NodeId);
                    break;
                case PeerLeftEvent left:
                    members.Remove(left.NodeId);
                    break;
            }
        }

        return members;
    }

    /// <summary>Simulates a crash: the transport stops answering, nothing says goodbye.</summary>
    public void Crash()
    {
        Transport.Abandon();
    }

    public void Dispose()
    {
        Node.Leave();
        Node.Dispose();
        Transport.Dispose();
        _pump.Wait(TimeSpan.FromSeconds(2));
    }

    public static string Describe(IEnumerable<MeshTestNode> nodes) =>
        string.Join("\n", nodes.Select(n => $"{n.Node.Name} ({n.Node.NodeId:x16}): " + string.Join("; ", n.Events)));
}
