using MeshConf.TestSupport;
using MeshConf.Core.Mesh;
using MeshConf.Core.Security;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;
using MeshConf.Node.Tests.Net;

namespace MeshConf.Node.Tests.Mesh;

/// <summary>
/// A hand-driven peer (a bare transport running the handshake itself) sends what a real node never would:
/// tampered, replayed, truncated and stale packets, junk in clear, handshake floods. The node drops and counts
/// each, and the call goes on.
/// </summary>
public sealed class HostileTrafficTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private sealed class HandDrivenPeer : IDisposable
    {
        public HandDrivenPeer(MeshTestNode target)
        {
            Probe = new TransportProbe();
            Link = Probe.Transport.Connect(target.EndPoint);
        }

        public TransportProbe Probe { get; }

        public LinkId Link { get; }

        public PacketSealer? Sealer { get; private set; }

        public async Task HandshakeAsync(MeshTestNode target)
        {
            await Probe.WaitForAsync(e => e.Kind == TransportEventKind.Connected, Patience);
            var credentials = new HandshakeCredentials("test", 0x1234, "mallory", (ushort)Probe.EndPoint.Port, TestIdentity.Other.Rsa, null);
            using var handshake = new Handshake(credentials, HandshakeRole.Initiator);
            Probe.Transport.Send(Link, MeshChannel.Control, handshake.LocalHello);
            var hello = await Probe.WaitForAsync(e => e.Kind == TransportEventKind.Received && e.Payload[0] == (byte)ClearMessageKind.Hello, Patience);
            Assert.Equal(HandshakeError.None, handshake.ReceiveHello(hello.Payload));
            Probe.Transport.Send(Link, MeshChannel.Control, handshake.CreateAuth());
            var auth = await Probe.WaitForAsync(e => e.Kind == TransportEventKind.Received && e.Payload[0] == (byte)ClearMessageKind.Auth, Patience);
            Assert.Equal(HandshakeError.None, handshake.ReceiveAuth(auth.Payload, out var keys));
            using (keys)
            {
                Sealer = new PacketSealer(keys!.SendSecret, 0x1234, target.Node.NodeId, keys.SendDirection);
            }
        }

        public byte[] Seal(MeshChannel channel, byte type, byte[] payload)
        {
            var packet = new byte[payload.Length + SealedPacket.Overhead];
            Assert.True(Sealer!.TrySeal((byte)channel, type, payload, packet, out var written));
            return packet[..written];
        }

        public void Send(MeshChannel channel, byte[] bytes) => Assert.True(Probe.Transport.Send(Link, channel, bytes));

        public void Dispose()
        {
            Sealer?.Dispose();
            Probe.Dispose();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_an_established_peer_When_it_sends_tampered_replayed_truncated_and_stale_packets_Then_each_is_dropped_and_counted_and_the_link_lives()
    {
        using var node = new MeshTestNode("victim");
        using var mallory = new HandDrivenPeer(node);
        await mallory.HandshakeAsync(node);
        await Eventually.TrueAsync(() => node.Members().Contains(0x1234), Patience, () => MeshTestNode.Describe([node]));

        var first = mallory.Seal(MeshChannel.Control, 0x40, [1]);
        mallory.Send(MeshChannel.Control, first);
        await Eventually.TrueAsync(() => node.Received.Count == 1, Patience, () => "the first valid message did not arrive");

        mallory.Send(MeshChannel.Control, first);                      // replay
        var tampered = mallory.Seal(MeshChannel.Control, 0x40, [2]);
        tampered[^1] ^= 1;
        mallory.Send(MeshChannel.Control, tampered);                   // bad tag
        mallory.Send(MeshChannel.Control, first[..5]);                 // truncated
        var wrongChannel = mallory.Seal(MeshChannel.Audio, 0x41, [3]);
        mallory.Send(MeshChannel.Video, wrongChannel);                 // bound to audio: bad tag on video
        var stale = mallory.Seal(MeshChannel.Video, 0x41, [4]);
        for (var i = 0; i < 1100; i++)
        {
            mallory.Send(MeshChannel.Video, mallory.Seal(MeshChannel.Video, 0x41, [5]));
        }

        mallory.Send(MeshChannel.Video, stale);                        // 1100 behind: out of the window
        mallory.Send(MeshChannel.Control, [0x01, 0x01, 0x02]);         // clear junk after the handshake
        mallory.Send(MeshChannel.Control, []);                         // empty
        mallory.Send(MeshChannel.Control, mallory.Seal(MeshChannel.Control, (byte)MeshMessageType.Roster, [0xFF])); // malformed roster
        mallory.Send(MeshChannel.Control, mallory.Seal(MeshChannel.Control, 0x40, [9]));

        await Eventually.TrueAsync(() => node.Received.Any(m => m.Payload is [9]), Patience, () => "the last valid message did not arrive");
        var drops = Assert.Single(node.Node.GetPeers()).Drops;
        Assert.Equal(1, drops.Replay);
        Assert.Equal(2, drops.BadTag);
        Assert.Equal(1, drops.Malformed);
        Assert.Equal(1, drops.Stale);
        Assert.True(node.Node.Counters.UnexpectedMessages >= 3, $"unexpected {node.Node.Counters.UnexpectedMessages}");
        Assert.DoesNotContain(node.Received, m => m.Payload is [2] or [3] or [4]);
        Assert.Equal(1, node.Received.Count(m => m.Payload is [1]));
        Assert.Contains(0x1234ul, node.Members());
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_junk_instead_of_a_handshake_When_it_arrives_Then_the_link_is_refused_and_counted()
    {
        using var node = new MeshTestNode("victim");
        using var probe = new TransportProbe();
        var link = probe.Transport.Connect(node.EndPoint);
        await probe.WaitForAsync(e => e.Kind == TransportEventKind.Connected, Patience);
        probe.Transport.Send(link, MeshChannel.Control, [0x01, 0x01, 0x05, (byte)'x']);

        var refusal = await probe.WaitForAsync(e => e.Kind == TransportEventKind.Received && e.Payload[0] == (byte)ClearMessageKind.Refuse, Patience);
        Assert.Equal(RefusalCode.Malformed, RefuseMessage.TryDecode(refusal.Payload)!.Code);
        await probe.WaitForAsync(e => e.Kind == TransportEventKind.Disconnected && e.Reason == DisconnectReason.Refused, Patience);
        Assert.Equal(1, node.Node.Counters.HandshakeFailures);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_burst_of_connections_from_one_address_When_over_the_rate_Then_the_excess_is_turned_away_and_counted()
    {
        using var node = new MeshTestNode("victim", o => new MeshNodeOptions
        {
            Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers,
            HandshakeBurstPerAddress = 3, HandshakeRatePerSecond = 0.01,
        });
        using var probe = new TransportProbe();
        for (var i = 0; i < 8; i++)
        {
            probe.Transport.Connect(node.EndPoint);
        }

        await Eventually.TrueAsync(() => node.Node.Counters.RateLimited == 5, Patience, () => $"rate limited {node.Node.Counters.RateLimited}");
        await probe.WaitForCountAsync(e => e.Kind == TransportEventKind.Disconnected && e.Reason == DisconnectReason.Refused, 5, Patience);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_silent_connections_When_pending_handshakes_hit_the_cap_Then_more_are_refused_and_stale_ones_time_out()
    {
        using var node = new MeshTestNode("victim", o => new MeshNodeOptions
        {
            Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers,
            MaxPendingHandshakes = 2, HandshakeTimeout = TimeSpan.FromMilliseconds(500),
        });
        using var probe = new TransportProbe();
        for (var i = 0; i < 5; i++)
        {
            probe.Transport.Connect(node.EndPoint);
        }

        await Eventually.TrueAsync(() => node.Node.Counters.OverCapacity == 3, Patience, () => $"over capacity {node.Node.Counters.OverCapacity}");
        await Eventually.TrueAsync(() => node.Node.Counters.HandshakeTimeouts == 2, Patience, () => $"timeouts {node.Node.Counters.HandshakeTimeouts}");
        await probe.WaitForCountAsync(e => e.Kind == TransportEventKind.Disconnected && e.Reason == DisconnectReason.HandshakeTimeout, 2, Patience);

        // Room again: an honest node still gets in.
        using var honest = new MeshTestNode("honest", peers: [node.EndPoint]);
        await Eventually.TrueAsync(() => node.Members().Count == 1, Patience, () => MeshTestNode.Describe([node, honest]));
    }
}
