using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeshConf.Interop.Enet;
using MeshConf.Interop.Native;
using MeshConf.Node.Net;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Net;

public sealed class EnetTransportTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    public EnetTransportTests() => SystemPiece.RequireLibrary(NativeDependency.Enet);

    [Fact(Timeout = 10_000)]
    public async Task Given_two_transports_When_one_dials_Then_both_see_Connected_with_direction_and_remote_address()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();

        var dialled = a.Transport.Connect(b.EndPoint);
        var atA = await a.WaitForAsync(e => e.Kind == TransportEventKind.Connected, Soon);
        var atB = await b.WaitForAsync(e => e.Kind == TransportEventKind.Connected, Soon);

        Assert.Equal(dialled, atA.Link);
        Assert.True(atA.Outgoing);
        Assert.Equal(b.EndPoint, atA.Remote);
        Assert.False(atB.Outgoing);
        Assert.Equal(a.EndPoint, atB.Remote);
        Assert.Equal(IPAddress.Loopback, a.EndPoint.Address);
        Assert.NotEqual(0, a.EndPoint.Port);
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_a_link_When_messages_go_on_every_channel_Then_each_arrives_on_its_channel_and_control_in_order()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, _) = await ConnectAsync(a, b);

        for (var i = 0; i < 300; i++)
        {
            Assert.True(a.Transport.Send(ab, MeshChannel.Control, BitConverter.GetBytes(i)));
        }

        Assert.True(a.Transport.Send(ab, MeshChannel.Audio, "audio"u8));
        Assert.True(a.Transport.Send(ab, MeshChannel.Video, "video"u8));
        var control = await b.WaitForCountAsync(e => e.Channel == MeshChannel.Control && e.Kind == TransportEventKind.Received, 300, Soon);
        var audio = await b.WaitForAsync(e => e.Channel == MeshChannel.Audio, Soon);
        var video = await b.WaitForAsync(e => e.Channel == MeshChannel.Video, Soon);

        Assert.Equal(Enumerable.Range(0, 300), control.Select(e => BitConverter.ToInt32(e.Payload)));
        Assert.Equal("audio"u8.ToArray(), audio.Payload);
        Assert.Equal("video"u8.ToArray(), video.Payload);
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_a_60KB_video_frame_When_sent_Then_it_arrives_whole_from_unreliable_fragments()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, ba) = await ConnectAsync(a, b);
        var frame = new byte[60 * 1024];
        Random.Shared.NextBytes(frame);

        Assert.True(a.Transport.Send(ab, MeshChannel.Video, frame));
        var received = await b.WaitForAsync(e => e.Channel == MeshChannel.Video, Soon);

        Assert.Equal(frame, received.Payload);
        Assert.Equal(ba, received.Link);
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_an_empty_message_When_sent_Then_an_empty_message_arrives()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, _) = await ConnectAsync(a, b);

        Assert.True(a.Transport.Send(ab, MeshChannel.Control, ReadOnlySpan<byte>.Empty));

        Assert.Empty((await b.WaitForAsync(e => e.Kind == TransportEventKind.Received, Soon)).Payload);
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_a_link_When_one_side_disconnects_with_Bye_Then_the_other_sees_Bye_after_the_queued_messages()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, ba) = await ConnectAsync(a, b);

        Assert.True(a.Transport.Send(ab, MeshChannel.Control, "last words"u8));
        a.Transport.Disconnect(ab, DisconnectReason.Bye);
        var atB = await b.WaitForAsync(e => e.Kind == TransportEventKind.Disconnected, Soon);
        var atA = await a.WaitForAsync(e => e.Kind == TransportEventKind.Disconnected, Soon);

        Assert.Equal((ba, DisconnectReason.Bye, true), (atB.Link, atB.Reason, atB.WasConnected));
        Assert.Equal((ab, DisconnectReason.Bye, true), (atA.Link, atA.Reason, atA.WasConnected));
        var seenAtB = b.Seen();
        Assert.True(seenAtB.FindIndex(e => e.Payload.AsSpan().SequenceEqual("last words"u8)) < seenAtB.FindIndex(e => e.Kind == TransportEventKind.Disconnected));
        Assert.False(a.Transport.Send(ab, MeshChannel.Control, "x"u8));
        Assert.False(a.Transport.TryGetStats(ab, out _));
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_nobody_listening_When_dialling_Then_Disconnected_without_having_connected_within_the_peer_timeout()
    {
        using var a = new TransportProbe(TransportProbe.Loopback() with { PeerTimeout = TimeSpan.FromSeconds(1) });
        var closed = UnusedUdpPort();
        var clock = Stopwatch.StartNew();

        var link = a.Transport.Connect(new IPEndPoint(IPAddress.Loopback, closed));
        var failed = await a.WaitForAsync(e => e.Kind == TransportEventKind.Disconnected, Soon);

        Assert.Equal(link, failed.Link);
        Assert.False(failed.WasConnected);
        Assert.True(failed.Outgoing);
        Assert.Equal(DisconnectReason.Timeout, failed.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(a.Seen(), e => e.Kind == TransportEventKind.Connected);
    }

    [Fact]
    public void Given_a_port_in_use_When_a_transport_starts_on_it_Then_Start_throws_a_clear_one_line_error()
    {
        using var first = EnetTransport.Start(TransportProbe.Loopback());

        var error = Assert.Throws<EnetException>(() => EnetTransport.Start(TransportProbe.Loopback() with { Port = first.LocalEndPoint.Port }));

        Assert.Contains("port in use", error.Message, StringComparison.Ordinal);
        Assert.Contains(first.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Given_a_ping_interval_too_close_to_the_timeout_When_starting_Then_the_options_are_refused()
    {
        var options = TransportProbe.Loopback() with { PeerTimeout = TimeSpan.FromSeconds(1), PingInterval = TimeSpan.FromMilliseconds(600) };

        var error = Assert.Throws<ArgumentException>(() => EnetTransport.Start(options));

        Assert.Contains("PingInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_a_peer_that_dies_without_a_word_Then_the_survivor_reports_Timeout_within_the_peer_timeout_plus_a_second()
    {
        var options = TransportProbe.Loopback() with { PeerTimeout = TimeSpan.FromSeconds(1.5) };
        using var a = new TransportProbe(options);
        using var b = new TransportProbe(options);
        var (ab, _) = await ConnectAsync(a, b);
        Assert.True(a.Transport.Send(ab, MeshChannel.Control, "are you there?"u8));
        await b.WaitForAsync(e => e.Kind == TransportEventKind.Received, Soon);

        var clock = Stopwatch.StartNew();
        b.Transport.Abandon(); // as SIGKILL: the socket closes, no disconnect leaves
        var lost = await a.WaitForAsync(e => e.Kind == TransportEventKind.Disconnected, Soon);

        Assert.Equal((ab, DisconnectReason.Timeout, true), (lost.Link, lost.Reason, lost.WasConnected));
        TestContext.Current.TestOutputHelper?.WriteLine($"dead peer reported after {clock.ElapsedMilliseconds} ms (PeerTimeout 1500 ms)");
        // Not before the timeout less one ping interval (the last acknowledgement may predate the death by that).
        Assert.InRange(clock.Elapsed, options.PeerTimeout - options.PingInterval - TimeSpan.FromMilliseconds(100), options.PeerTimeout + TimeSpan.FromSeconds(1));
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_traffic_both_ways_Then_each_sides_stats_count_exactly_what_was_sent_and_received()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, ba) = await ConnectAsync(a, b);

        for (var i = 0; i < 10; i++)
        {
            a.Transport.Send(ab, MeshChannel.Control, new byte[100]);
        }

        for (var i = 0; i < 20; i++)
        {
            a.Transport.Send(ab, MeshChannel.Audio, new byte[160]);
        }

        a.Transport.Send(ab, MeshChannel.Video, new byte[5000]);
        b.Transport.Send(ba, MeshChannel.Control, new byte[7]);
        await b.WaitForCountAsync(e => e.Kind == TransportEventKind.Received, 31, Soon);
        await a.WaitForAsync(e => e.Kind == TransportEventKind.Received, Soon);
        var sent = await StatsAsync(a.Transport, ab, s => s.Channels[2].PacketsOut == 1 && s.Channels[0].PacketsIn == 1);
        var received = await StatsAsync(b.Transport, ba, s => s.Channels[2].PacketsIn == 1 && s.Channels[0].PacketsOut == 1);

        Assert.Equal(new ChannelCounters(1, 7, 10, 1000), sent.Channels[(int)MeshChannel.Control]);
        Assert.Equal(new ChannelCounters(0, 0, 20, 3200), sent.Channels[(int)MeshChannel.Audio]);
        Assert.Equal(new ChannelCounters(0, 0, 1, 5000), sent.Channels[(int)MeshChannel.Video]);
        Assert.Equal(new ChannelCounters(10, 1000, 1, 7), received.Channels[(int)MeshChannel.Control]);
        Assert.Equal(new ChannelCounters(20, 3200, 0, 0), received.Channels[(int)MeshChannel.Audio]);
        Assert.Equal(new ChannelCounters(1, 5000, 0, 0), received.Channels[(int)MeshChannel.Video]);
        Assert.Equal(0, sent.SendsRefused);
        Assert.Equal(0, received.ReceivesDropped);
        Assert.Equal(32, sent.Throttle);
        Assert.InRange(sent.RoundTripMs, 0, 100);
        Assert.InRange(sent.LossPercent, 0, 100);
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_links_unknown_or_not_yet_up_When_sending_Then_Send_returns_false()
    {
        using var a = new TransportProbe();

        Assert.False(a.Transport.Send(new LinkId(12345), MeshChannel.Control, "x"u8));
        Assert.False(a.Transport.TryGetStats(new LinkId(12345), out var stats));
        Assert.Null(stats);
        var dialling = a.Transport.Connect(new IPEndPoint(IPAddress.Loopback, UnusedUdpPort()));
        Assert.False(a.Transport.Send(dialling, MeshChannel.Control, "too early"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Transport.Send(dialling, (MeshChannel)7, "x"u8));
        a.Transport.Disconnect(dialling, DisconnectReason.Bye);
        var ended = await a.WaitForAsync(e => e.Kind == TransportEventKind.Disconnected, Soon);
        Assert.Equal((dialling, false, DisconnectReason.Bye), (ended.Link, ended.WasConnected, ended.Reason));
    }

    [Fact(Timeout = 15_000)]
    public async Task Given_four_threads_sending_at_once_When_all_is_delivered_Then_every_message_arrived_in_each_threads_order()
    {
        const int Threads = 4;
        const int PerThread = 1000;
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, _) = await ConnectAsync(a, b);

        var senders = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            Span<byte> message = stackalloc byte[8];
            for (var i = 0; i < PerThread; i++)
            {
                BitConverter.TryWriteBytes(message, t);
                BitConverter.TryWriteBytes(message[4..], i);
                Assert.True(a.Transport.Send(ab, MeshChannel.Control, message));
            }
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(senders);
        var received = await b.WaitForCountAsync(e => e.Kind == TransportEventKind.Received, Threads * PerThread, TimeSpan.FromSeconds(10));

        foreach (var perThread in received.GroupBy(e => BitConverter.ToInt32(e.Payload)))
        {
            Assert.Equal(Enumerable.Range(0, PerThread), perThread.Select(e => BitConverter.ToInt32(e.Payload, 4)));
        }

        Assert.Equal(Threads, received.Select(e => BitConverter.ToInt32(e.Payload)).Distinct().Count());
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_three_transports_When_each_dials_the_ones_after_it_Then_every_pair_exchanges_messages()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        using var c = new TransportProbe();
        var (ab, ba) = await ConnectAsync(a, b);
        var (ac, ca) = await ConnectAsync(a, c);
        var (bc, cb) = await ConnectAsync(b, c);

        foreach (var (from, link, to, back) in new[] { (a, ab, b, ba), (a, ac, c, ca), (b, bc, c, cb), (b, ba, a, ab), (c, ca, a, ac), (c, cb, b, bc) })
        {
            var text = $"{from.EndPoint.Port}->{to.EndPoint.Port}";
            Assert.True(from.Transport.Send(link, MeshChannel.Audio, System.Text.Encoding.ASCII.GetBytes(text)));
            var got = await to.WaitForAsync(e => e.Kind == TransportEventKind.Received && e.Link == back, Soon);
            Assert.Equal(text, System.Text.Encoding.ASCII.GetString(got.Payload));
            Assert.Equal(from.EndPoint, got.Remote);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_live_links_When_disposed_twice_Then_peers_see_Shutdown_and_the_event_channel_completes()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, _) = await ConnectAsync(a, b);
        var (ba2, ab2) = await ConnectAsync(b, a);

        Assert.True(b.Transport.Send(ba2, MeshChannel.Control, "queued before Dispose"u8));
        b.Dispose();
        b.Dispose();
        var atA = await a.WaitForCountAsync(e => e.Kind == TransportEventKind.Disconnected, 2, Soon);

        Assert.All(atA, e => Assert.Equal((DisconnectReason.Shutdown, true), (e.Reason, e.WasConnected)));
        var flushed = Assert.Single(a.Seen(), e => e.Kind == TransportEventKind.Received);
        Assert.Equal((ab2, "queued before Dispose"), (flushed.Link, System.Text.Encoding.ASCII.GetString(flushed.Payload)));
        await b.Completion.WaitAsync(Soon, TestContext.Current.CancellationToken);
        var atB = b.Seen().Where(e => e.Kind == TransportEventKind.Disconnected).ToList();
        Assert.Equal(2, atB.Count);
        Assert.Contains(atB, e => e.Link == ba2 && e.Reason == DisconnectReason.Shutdown);
        Assert.False(b.Transport.Send(ba2, MeshChannel.Control, "x"u8));
        Assert.Throws<ObjectDisposedException>(() => b.Transport.Connect(a.EndPoint));
        Assert.False(a.Transport.Send(ab, MeshChannel.Control, "x"u8));
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_the_owner_thread_faults_Then_the_reader_learns_of_it_sends_fail_and_Dispose_still_works()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe();
        var (ab, _) = await ConnectAsync(a, b);

        a.Transport.InjectFault();
        var fault = await Assert.ThrowsAsync<InvalidOperationException>(() => a.Completion.WaitAsync(Soon, TestContext.Current.CancellationToken));

        Assert.Contains("transport thread stopped", fault.Message, StringComparison.Ordinal);
        Assert.Contains(a.Seen(), e => e.Kind == TransportEventKind.Disconnected && e.Link == ab);
        Assert.False(a.Transport.Send(ab, MeshChannel.Control, "x"u8));
        a.Transport.Dispose();
    }

    [Fact(Timeout = 10_000)]
    public async Task Given_a_reader_that_falls_behind_Then_media_beyond_the_backlog_is_dropped_and_counted_but_control_never_is()
    {
        using var a = new TransportProbe();
        using var slow = new TransportProbe(TransportProbe.Loopback() with { IncomingBacklogLimit = 50 }, pump: false);
        var link = a.Transport.Connect(slow.EndPoint);
        var connected = await ReadUntilAsync(slow.Transport, e => e.Kind == TransportEventKind.Connected);
        await a.WaitForAsync(e => e.Kind == TransportEventKind.Connected, Soon);

        for (var i = 0; i < 200; i++)
        {
            a.Transport.Send(link, MeshChannel.Audio, new byte[100]);
            a.Transport.Send(link, MeshChannel.Control, BitConverter.GetBytes(i));
        }

        var stats = await StatsAsync(slow.Transport, connected.Link, s => s.Channels[0].PacketsIn == 200 && s.Channels[1].PacketsIn == 200);
        var control = new List<int>();
        var audio = 0;
        while (slow.Transport.Events.TryRead(out var e))
        {
            if (e.Channel == MeshChannel.Control)
            {
                control.Add(BitConverter.ToInt32(e.Payload));
            }
            else
            {
                audio++;
            }

            e.Release();
        }

        Assert.Equal(Enumerable.Range(0, 200), control);
        Assert.InRange(audio, 1, 50);
        Assert.Equal(200 - audio, stats.ReceivesDropped);
    }

    [Fact(Timeout = 15_000)]
    public async Task Given_idle_owner_threads_When_messages_ping_pong_Then_commands_wake_them_and_the_median_round_trip_is_far_below_a_millisecond()
    {
        const int RoundTrips = 300;
        var ct = TestContext.Current.CancellationToken;
        using var a = new TransportProbe(pump: false);
        using var b = new TransportProbe(pump: false);
        var ab = a.Transport.Connect(b.EndPoint);
        var ba = (await ReadUntilAsync(b.Transport, e => e.Kind == TransportEventKind.Connected)).Link;
        await ReadUntilAsync(a.Transport, e => e.Kind == TransportEventKind.Connected);
        var echo = Task.Run(async () =>
        {
            for (var echoed = 0; echoed < RoundTrips;)
            {
                var e = await b.Transport.Events.ReadAsync(ct);
                if (e.Kind == TransportEventKind.Received)
                {
                    b.Transport.Send(ba, MeshChannel.Audio, e.Payload);
                    echoed++;
                }

                e.Release();
            }
        }, ct);

        var roundTrips = new List<TimeSpan>(RoundTrips);
        var message = new byte[160];
        for (var i = 0; i < RoundTrips; i++)
        {
            var clock = Stopwatch.StartNew();
            Assert.True(a.Transport.Send(ab, MeshChannel.Audio, message));
            await ReadUntilAsync(a.Transport, e => e.Kind == TransportEventKind.Received);
            roundTrips.Add(clock.Elapsed);
        }

        await echo;
        roundTrips.Sort();
        var median = roundTrips[RoundTrips / 2];
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"round trip through both transports: median {median.TotalMicroseconds:F0} us, 90th {roundTrips[RoundTrips * 9 / 10].TotalMicroseconds:F0} us");
        // Waiting out the 1 ms service timeout on each hop would put the median near 2 ms.
        Assert.True(median < TimeSpan.FromMilliseconds(1), $"median round trip {median.TotalMicroseconds:F0} us");
    }

    internal static async Task<(LinkId Outgoing, LinkId Incoming)> ConnectAsync(TransportProbe from, TransportProbe to)
    {
        var link = from.Transport.Connect(to.EndPoint);
        await from.WaitForAsync(e => e.Kind == TransportEventKind.Connected && e.Link == link, Soon);
        var incoming = await to.WaitForAsync(e => e.Kind == TransportEventKind.Connected && !e.Outgoing && e.Remote.Equals(from.EndPoint), Soon);
        return (link, incoming.Link);
    }

    /// <summary>Waits (with a deadline) for a stats snapshot that satisfies <paramref name="ready"/>.</summary>
    internal static async Task<LinkStats> StatsAsync(EnetTransport transport, LinkId link, Func<LinkStats, bool> ready)
    {
        var deadline = DateTime.UtcNow + Soon;
        LinkStats? stats = null;
        while (DateTime.UtcNow < deadline)
        {
            var tick = transport.TickCount;
            if (transport.TryGetStats(link, out stats) && ready(stats!))
            {
                return stats!;
            }

            await WaitForTickAsync(transport, tick);
        }

        throw new TimeoutException($"stats never became ready: {stats}");
    }

    /// <summary>Waits until the owner thread has run a stats tick after <paramref name="tick"/>.</summary>
    internal static async Task WaitForTickAsync(EnetTransport transport, long tick)
    {
        var deadline = DateTime.UtcNow + Soon;
        while (transport.TickCount == tick)
        {
            Assert.True(DateTime.UtcNow < deadline, "the owner thread stopped ticking");
            await Task.Delay(5, TestContext.Current.CancellationToken); // a tick is due every 100 ms
        }
    }

    private static async Task<TransportEvent> ReadUntilAsync(EnetTransport transport, Func<TransportEvent, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Soon);
        while (true)
        {
            var e = await transport.Events.ReadAsync(timeout.Token);
            e.Release();
            if (match(e))
            {
                return e;
            }
        }
    }

    internal static int UnusedUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
