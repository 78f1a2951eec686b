using MeshConf.TestSupport;
using System.Diagnostics;
using MeshConf.Core.Net;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Tests.Mesh;

/// <summary>Two nodes talking through the impairment relay: loss, jitter, then a cut, then healing.</summary>
public sealed class ImpairedMeshTests
{
    [Fact(Timeout = 90_000)]
    public async Task Given_10_percent_loss_and_30ms_jitter_When_nodes_talk_Then_the_link_holds_control_arrives_in_order_and_media_is_not_starved_and_a_cut_is_noticed_and_healed()
    {
        var output = TestContext.Current.TestOutputHelper;
        using var b = new MeshTestNode("b");
        var lossy = new ImpairmentProfile { LossRate = 0.10, Jitter = TimeSpan.FromMilliseconds(30), Seed = 11 };
        using var relay = ImpairmentRelay.Start(b.EndPoint, lossy, lossy with { Seed = 12 });
        using var a = new MeshTestNode("a", peers: [relay.ListenEndPoint]);
        await Eventually.TrueAsync(() => a.Members().Count == 1 && b.Members().Count == 1, TimeSpan.FromSeconds(15), () => MeshTestNode.Describe([a, b]));

        // 8 seconds of a call's rhythm: 50 audio frames and 5 control messages a second.
        const int controlCount = 40;
        const int audioCount = 400;
        var audio = new byte[160];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < audioCount; i++)
        {
            BitConverter.TryWriteBytes(audio, i);
            Assert.True(a.Node.Send(b.Node.NodeId, MeshChannel.Audio, 0x41, audio), $"audio {i} not queued");
            if (i % 10 == 0)
            {
                Assert.True(a.Node.Send(b.Node.NodeId, MeshChannel.Control, 0x40, BitConverter.GetBytes(i / 10)));
            }

            var due = TimeSpan.FromMilliseconds(20 * (i + 1));
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, TestContext.Current.CancellationToken);
            }
        }

        await Eventually.TrueAsync(() => b.Received.Count(m => m.Channel == MeshChannel.Control) == controlCount, TimeSpan.FromSeconds(15),
            () => $"{b.Received.Count(m => m.Channel == MeshChannel.Control)} of {controlCount} control messages");
        var control = b.Received.Where(m => m.Channel == MeshChannel.Control).Select(m => BitConverter.ToInt32(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, controlCount), control);

        var audioReceived = b.Received.Where(m => m.Channel == MeshChannel.Audio).Select(m => BitConverter.ToInt32(m.Payload)).ToList();
        var delivered = audioReceived.Count / (double)audioCount;
        output?.WriteLine($"audio delivered {delivered:P1} through 10% loss; relay dropped {relay.ToTarget.Dropped} of {relay.ToTarget.Received} towards b");
        // Expected about 85%: 10% lost by the relay, and about 5.6% of the rest overtaken by the next frame (30 ms
        // of uniform jitter against 20 ms spacing) and dropped by sequenced delivery, as the jitter buffer expects.
        // On a loaded two-core machine more go (74% was seen once, with the relay's and ENet's threads starved
        // for CPU), so the floor is 70%: starvation by ENet's throttle would deliver far less, and the throttle
        // itself is checked below. (A sudden round-trip jump that makes the throttle starve media is in
        // EnetTransportTests.)
        Assert.InRange(delivered, 0.70, 1.0);
        Assert.Equal(audioReceived.Order(), audioReceived);
        Assert.Empty(a.Events.OfType<PeerLeftEvent>());
        Assert.Empty(b.Events.OfType<PeerLeftEvent>());
        var stats = Assert.Single(a.Node.GetPeers()).Link!;
        output?.WriteLine($"a sees rtt {stats.RoundTripMs} ms, loss {stats.LossPercent:0.#}%, throttle {stats.Throttle}");
        Assert.Equal(32, stats.Throttle);
        Assert.Equal(0, Assert.Single(b.Node.GetPeers()).Drops.Dropped);

        // Cut the wire: both sides drop each other after the peer timeout, with no Bye.
        var cut = Stopwatch.StartNew();
        var dead = new ImpairmentProfile { LossRate = 1 };
        relay.SetProfiles(dead, dead);
        await Eventually.TrueAsync(() => a.Members().Count == 0 && b.Members().Count == 0, TimeSpan.FromSeconds(8), () => MeshTestNode.Describe([a, b]));
        output?.WriteLine($"cut noticed after {cut.ElapsedMilliseconds} ms");
        Assert.Contains(a.Events, e => e is PeerLeftEvent { Reason: "timeout" });
        Assert.Contains(b.Events, e => e is PeerLeftEvent { Reason: "timeout" });

        // Heal it: a keeps redialling its explicit peer and gets back in.
        relay.SetProfiles(ImpairmentProfile.None, ImpairmentProfile.None);
        await Eventually.TrueAsync(() => a.Members().Count == 1 && b.Members().Count == 1, TimeSpan.FromSeconds(30), () => MeshTestNode.Describe([a, b]));
    }
}
