using System.Diagnostics;
using MeshConf.Interop.Native;
using MeshConf.Node.Net;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Net;

/// <summary>
/// ENet's packet throttle must never drop our media. ENet lowers the throttle on each acknowledgement slower than
/// the interval's lowest round trip plus twice its variance, and then discards that share of unreliable packets
/// before they reach the socket. On a link with a steady round trip that briefly jumps (Wi-Fi scanning, a
/// keyframe burst in a queue) ENet's defaults (5000 ms, +2, -2) measured here lost 15-25% of the media sent during
/// and after a 25-40 ms jump, although the network delivered everything; with deceleration 0 nothing is lost.
/// </summary>
public sealed class EnetTransportThrottleTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    public EnetTransportThrottleTests() => SystemPiece.RequireLibrary(NativeDependency.Enet);

    [Fact(Timeout = 15_000)]
    public async Task Given_loopback_When_thousands_of_media_messages_flow_at_a_steady_pace_Then_all_arrive_and_the_throttle_stays_open()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, ba) = await EnetTransportTests.ConnectAsync(a, b);

        var run = await SendPacedAsync(a, ab, TimeSpan.FromSeconds(1.5), messagesPerTick: 8, controlEvery: 40, size: 160);
        await b.WaitForCountAsync(IsAudio, run.Sent, Soon);
        var receiverStats = await EnetTransportTests.StatsAsync(b.Transport, ba, s => s.Channels[1].PacketsIn == run.Sent);

        Assert.True(run.Sent >= 2000, $"only {run.Sent} sent");
        Assert.Equal(32, run.LowestThrottle);
        Assert.Equal(0, receiverStats.ReceivesDropped);
    }

    [Theory(Timeout = 15_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Given_a_steady_10ms_link_whose_round_trip_jumps_by_40ms_for_600ms_Then_media_survives_only_without_throttle_deceleration(bool steady)
    {
        var options = TransportProbe.Loopback() with { Throttle = steady ? EnetThrottlePolicy.Steady : EnetThrottlePolicy.EnetDefault };
        using var a = new TransportProbe(options);
        using var b = new TransportProbe(options);
        var oneWay = TimeSpan.FromMilliseconds(5);
        var jumpFrom = TimeSpan.FromSeconds(0.8);
        var jumpUntil = TimeSpan.FromSeconds(1.4);
        using var relay = new DelayRelay(b.EndPoint, arrival => arrival + oneWay,
            arrival => arrival + oneWay + (arrival >= jumpFrom && arrival < jumpUntil ? TimeSpan.FromMilliseconds(40) : TimeSpan.Zero));
        var link = a.Transport.Connect(relay.EndPoint);
        await a.WaitForAsync(e => e.Kind == TransportEventKind.Connected, Soon);

        var run = await SendPacedAsync(a, link, TimeSpan.FromSeconds(2), messagesPerTick: 1, controlEvery: 20, size: 600);
        await b.WaitForAsync(e => e.Kind == TransportEventKind.Received && e.Channel == MeshChannel.Control && e.Payload[0] == 0xFF, Soon);
        var received = b.Seen().Count(IsAudio);
        TestContext.Current.TestOutputHelper?.WriteLine($"{options.Throttle}: {received} of {run.Sent} media messages arrived, lowest throttle {run.LowestThrottle}");

        if (steady)
        {
            Assert.Equal(run.Sent, received);
            Assert.Equal(32, run.LowestThrottle);
        }
        else
        {
            // ENet's own behaviour, kept as the proof that the steady case above can fail.
            // How much it loses depends on scheduling (16-25% on a quiet machine, 3% seen under CI load); that it
            // loses any at all is the point.
            Assert.True(received < run.Sent, $"ENet's default throttle lost nothing ({received} of {run.Sent})");
            Assert.True(run.LowestThrottle < 32);
        }
    }

    private static bool IsAudio(SeenEvent e) => e.Kind == TransportEventKind.Received && e.Channel == MeshChannel.Audio;

    /// <summary>
    /// Sends media on a timer (a few ms per tick, like a capture loop) with a control message now and then, whose
    /// acknowledgements are what ENet's throttle feeds on. Ends with a control message of 0xFF: once it arrived,
    /// every media message that is going to arrive has (one ordered path).
    /// </summary>
    private static async Task<(int Sent, int LowestThrottle)> SendPacedAsync(TransportProbe from, LinkId link, TimeSpan duration,
        int messagesPerTick, int controlEvery, int size)
    {
        var media = new byte[size];
        var sent = 0;
        var lowest = 32;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < messagesPerTick; i++)
            {
                Assert.True(from.Transport.Send(link, MeshChannel.Audio, media));
                if (++sent % controlEvery == 0)
                {
                    Assert.True(from.Transport.Send(link, MeshChannel.Control, "report"u8));
                }
            }

            if (from.Transport.TryGetStats(link, out var stats))
            {
                lowest = Math.Min(lowest, stats!.Throttle);
            }

            await timer.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(from.Transport.Send(link, MeshChannel.Control, [0xFF]));
        return (sent, lowest);
    }
}
