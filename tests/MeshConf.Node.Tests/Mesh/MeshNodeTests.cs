using MeshConf.TestSupport;
using System.Diagnostics;
using MeshConf.Core.Mesh;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;
using MeshConf.Node.Security;

namespace MeshConf.Node.Tests.Mesh;

[Collection(TimingSensitive.Name)]
public sealed class MeshNodeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static bool FullMesh(IReadOnlyList<MeshTestNode> nodes) =>
        nodes.All(n => n.Members().SetEquals(nodes.Where(o => o != n).Select(o => o.Node.NodeId)));

    [Fact(Timeout = 60_000)]
    public async Task Given_five_nodes_told_only_the_first_When_started_Then_full_mesh_in_3s_crash_noticed_in_6s_and_rejoin_in_3s()
    {
        var nodes = new List<MeshTestNode> { new("n0") };
        try
        {
            var started = Stopwatch.StartNew();
            for (var i = 1; i < 5; i++)
            {
                nodes.Add(new MeshTestNode($"n{i}", peers: [nodes[0].EndPoint]));
            }

            await Eventually.TrueAsync(() => FullMesh(nodes), TimeSpan.FromSeconds(3), () => "no full mesh in 3 s:\n" + MeshTestNode.Describe(nodes));
            TestContext.Current.TestOutputHelper?.WriteLine($"full mesh of 5 after {started.ElapsedMilliseconds} ms");
            Assert.All(nodes, n => Assert.Equal(4, n.Node.GetPeers().Count));
            Assert.All(nodes, n => Assert.Equal(4, n.Node.LinkCount));

            var victim = nodes[2];
            victim.Crash();
            var crashed = Stopwatch.StartNew();
            var survivors = nodes.Where(n => n != victim).ToList();
            await Eventually.TrueAsync(
                () => survivors.All(n => !n.Members().Contains(victim.Node.NodeId)),
                TimeSpan.FromSeconds(6),
                () => "crash not noticed in 6 s:\n" + MeshTestNode.Describe(survivors));
            TestContext.Current.TestOutputHelper?.WriteLine($"crash noticed by all after {crashed.ElapsedMilliseconds} ms");
            Assert.All(survivors, n => Assert.Contains(n.Events, e => e is PeerLeftEvent { Reason: "timeout" } left && left.NodeId == victim.Node.NodeId));
            victim.Dispose();

            var restarted = new MeshTestNode("n2", peers: [nodes[0].EndPoint]);
            nodes[2] = restarted;
            var rejoin = Stopwatch.StartNew();
            await Eventually.TrueAsync(() => FullMesh(nodes), TimeSpan.FromSeconds(3), () => "no rejoin in 3 s:\n" + MeshTestNode.Describe(nodes));
            TestContext.Current.TestOutputHelper?.WriteLine($"rejoined after {rejoin.ElapsedMilliseconds} ms");
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_member_When_it_leaves_Then_the_others_drop_it_at_once_with_bye()
    {
        using var a = new MeshTestNode("a");
        using var b = new MeshTestNode("b", peers: [a.EndPoint]);
        await Eventually.TrueAsync(() => a.Members().Count == 1 && b.Members().Count == 1, Patience, () => MeshTestNode.Describe([a, b]));

        var left = Stopwatch.StartNew();
        b.Node.Leave();

        // "At once": milliseconds on a quiet machine; the bound only has to stay clear of the 5 s timeout path.
        await Eventually.TrueAsync(() => a.Members().Count == 0, TimeSpan.FromSeconds(3), () => MeshTestNode.Describe([a, b]));
        Assert.Contains(a.Events, e => e is PeerLeftEvent { Reason: "bye", Name: "b" });
        TestContext.Current.TestOutputHelper?.WriteLine($"bye noticed after {left.ElapsedMilliseconds} ms");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_two_nodes_dialling_each_other_at_once_When_both_links_come_up_Then_exactly_one_survives()
    {
        for (var round = 0; round < 5; round++)
        {
            using var a = new MeshTestNode("a");
            using var b = new MeshTestNode("b");
            a.Node.AddPeer(b.EndPoint, DialSource.Explicit);
            b.Node.AddPeer(a.EndPoint, DialSource.Explicit);

            await Eventually.TrueAsync(() => a.Node.LinkCount == 1 && b.Node.LinkCount == 1 && a.Members().Count == 1 && b.Members().Count == 1,
                Patience, () => $"links {a.Node.LinkCount}/{b.Node.LinkCount}\n" + MeshTestNode.Describe([a, b]));
            await Task.Delay(300, TestContext.Current.CancellationToken);

            Assert.Equal(1, a.Node.LinkCount);
            Assert.Equal(1, b.Node.LinkCount);
            Assert.Single(a.Events.OfType<PeerJoinedEvent>());
            Assert.Single(b.Events.OfType<PeerJoinedEvent>());
            Assert.Empty(a.Events.OfType<PeerLeftEvent>());
            Assert.Empty(b.Events.OfType<PeerLeftEvent>());
            Assert.True(a.Node.Send(b.Node.NodeId, MeshChannel.Control, 0x40, [1, 2, 3]));
            await Eventually.TrueAsync(() => !b.Received.IsEmpty, Patience, () => "message lost on the surviving link");
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_nodes_of_different_sessions_When_one_dials_Then_both_refuse_with_the_reason()
    {
        using var a = new MeshTestNode("a", session: "alpha");
        using var b = new MeshTestNode("b", session: "beta", peers: [a.EndPoint]);

        await Eventually.TrueAsync(() => a.Events.OfType<RefusedEvent>().Any() && b.Events.OfType<RefusedEvent>().Any(), Patience, () => MeshTestNode.Describe([a, b]));

        Assert.Contains(a.Events.OfType<RefusedEvent>(), r => r.Code == RefusalCode.SessionMismatch && r.Reason.Contains("beta", StringComparison.Ordinal));
        Assert.Contains(b.Events.OfType<RefusedEvent>(), r => r.Code == RefusalCode.SessionMismatch && r.Reason.Contains("alpha", StringComparison.Ordinal));
        Assert.Empty(a.Members());
        Assert.Empty(b.Members());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("secret", "guess", (int)RefusalCode.WrongPassphrase)]
    [InlineData("secret", null, (int)RefusalCode.PassphraseRequired)]
    public async Task Given_mismatched_passphrases_When_one_dials_Then_both_refuse(string? first, string? second, int expected)
    {
        var code = (RefusalCode)expected;
        using var a = new MeshTestNode("a", o => new MeshNodeOptions { Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers, Passphrase = first });
        using var b = new MeshTestNode("b", o => new MeshNodeOptions { Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers, Passphrase = second, Peers = [a.EndPoint] });

        await Eventually.TrueAsync(() => a.Events.OfType<RefusedEvent>().Any() && b.Events.OfType<RefusedEvent>().Any(), Patience, () => MeshTestNode.Describe([a, b]));

        Assert.All(a.Events.OfType<RefusedEvent>().Concat(b.Events.OfType<RefusedEvent>()), r => Assert.Equal(code, r.Code));
        Assert.All(a.Events.OfType<RefusedEvent>().Concat(b.Events.OfType<RefusedEvent>()), r => Assert.Contains("passphrase", r.Reason, StringComparison.Ordinal));
        Assert.Empty(a.Members());
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_the_same_passphrase_When_nodes_meet_Then_they_link()
    {
        using var a = new MeshTestNode("a", o => new MeshNodeOptions { Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers, Passphrase = "p" });
        using var b = new MeshTestNode("b", o => new MeshNodeOptions { Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers, Passphrase = "p", Peers = [a.EndPoint] });

        await Eventually.TrueAsync(() => a.Members().Count == 1 && b.Members().Count == 1, Patience, () => MeshTestNode.Describe([a, b]));
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_known_name_with_another_key_When_it_dials_Then_it_is_refused_loudly_and_the_first_key_kept()
    {
        var known = KnownPeers.InMemory();
        using var bob = new MeshTestNode("bob", knownPeers: known);
        using (var alice = new MeshTestNode("alice", peers: [bob.EndPoint], identity: TestIdentity.Shared))
        {
            await Eventually.TrueAsync(() => bob.Members().Count == 1, Patience, () => MeshTestNode.Describe([bob, alice]));
        }

        Assert.Equal(PeerTrust.Trusted, known.Check("alice", TestIdentity.Shared.Fingerprint));
        using var impostor = new MeshTestNode("alice", peers: [bob.EndPoint], identity: TestIdentity.Other);

        await Eventually.TrueAsync(() => bob.Events.OfType<RefusedEvent>().Any() && impostor.Events.OfType<RefusedEvent>().Any(), Patience, () => MeshTestNode.Describe([bob, impostor]));
        var atBob = Assert.Single(bob.Events.OfType<RefusedEvent>());
        Assert.Equal(RefusalCode.KeyChanged, atBob.Code);
        Assert.Contains("KEY CHANGED", atBob.Reason, StringComparison.Ordinal);
        Assert.Contains(TestIdentity.Other.Fingerprint.Short, atBob.Reason, StringComparison.Ordinal);
        Assert.Contains(impostor.Events.OfType<RefusedEvent>(), r => r.Code == RefusalCode.KeyChanged);
        Assert.Equal(PeerTrust.Mismatch, known.Check("alice", TestIdentity.Other.Fingerprint));
        Assert.Empty(impostor.Members());
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_linked_nodes_When_messages_are_sent_on_each_channel_Then_they_arrive_sealed_and_control_in_order()
    {
        using var a = new MeshTestNode("a", o => new MeshNodeOptions { Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers, RekeyShift = 6 });
        using var b = new MeshTestNode("b", o => new MeshNodeOptions { Session = o.Session, Name = o.Name, Identity = o.Identity, KnownPeers = o.KnownPeers, RekeyShift = 6, Peers = [a.EndPoint] });
        await Eventually.TrueAsync(() => a.Members().Count == 1 && b.Members().Count == 1, Patience, () => MeshTestNode.Describe([a, b]));

        // 1000 control messages cross 15 rekeys (a new key every 64 packets per channel).
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(a.Node.Send(b.Node.NodeId, MeshChannel.Control, 0x40, BitConverter.GetBytes(i)));
        }

        Assert.Equal(1, a.Node.Broadcast(MeshChannel.Audio, 0x41, new byte[160]));
        Assert.Equal(1, a.Node.Broadcast(MeshChannel.Video, 0x42, new byte[60_000]));
        await Eventually.TrueAsync(() => b.Received.Count >= 1002, Patience, () => $"{b.Received.Count} of 1002 arrived");

        var control = b.Received.Where(m => m.Channel == MeshChannel.Control).Select(m => BitConverter.ToInt32(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, 1000), control);
        Assert.Contains(b.Received, m => m.Channel == MeshChannel.Audio && m.Type == 0x41 && m.Payload.Length == 160);
        Assert.Contains(b.Received, m => m.Channel == MeshChannel.Video && m.Type == 0x42 && m.Payload.Length == 60_000);
        Assert.All(b.Received, m => Assert.Equal(a.Node.NodeId, m.Peer));
        Assert.Equal(0, b.Node.GetPeers()[0].Drops.Dropped);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_an_unreachable_explicit_peer_When_joining_Then_it_is_retried_with_backoff_and_linked_once_it_appears()
    {
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        silent.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)silent.LocalEndPoint!).Port;
        var transport = new EnetTransportOptions { BindAddress = System.Net.IPAddress.Loopback, PeerTimeout = TimeSpan.FromSeconds(1) };
        using var a = new MeshTestNode("a", peers: [new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)], transport: transport);

        await Eventually.TrueAsync(() => a.Events.OfType<UnreachableEvent>().Count() >= 2, TimeSpan.FromSeconds(20), () => MeshTestNode.Describe([a]));
        var attempts = a.Events.OfType<UnreachableEvent>().ToList();
        Assert.Equal([1, 2], attempts.Take(2).Select(u => u.Attempt));
        Assert.True(attempts[1].RetryIn > attempts[0].RetryIn);

        // The peer appears at that address: the next retry links.
        silent.Dispose();
        using var b = new MeshTestNode("b", transport: new EnetTransportOptions { BindAddress = System.Net.IPAddress.Loopback, Port = port });
        await Eventually.TrueAsync(() => a.Members().Count == 1, TimeSpan.FromSeconds(20), () => MeshTestNode.Describe([a, b]));
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_node_told_its_own_address_When_started_Then_it_stops_dialling_itself_quietly()
    {
        using var a = new MeshTestNode("a");
        a.Node.AddPeer(a.EndPoint, DialSource.Explicit);
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        Assert.Empty(a.Members());
        Assert.Empty(a.Events.OfType<UnreachableEvent>());
        Assert.Equal(0, a.Node.LinkCount);
    }
}
