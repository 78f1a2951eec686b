using System.Net;
using System.Net.Sockets;
using MeshConf.Interop.Enet;
using MeshConf.Interop.Native;
using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.Enet;

public sealed class EnetHostTests
{
    public EnetHostTests() => SystemPiece.RequireLibrary(NativeDependency.Enet);

    [Fact]
    public void Linked_version_is_checked_and_known()
    {
        var version = EnetLibrary.LinkedVersion;
        Assert.Equal(1, version.Major);
        Assert.Equal(3, version.Minor);
        Assert.True(EnetLibrary.HasKnownLayout, $"ENet {version} should be a version whose layout we know");
    }

    [Fact]
    public void Given_port_0_When_a_host_is_created_Then_the_real_port_is_read_back()
    {
        using var host = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), 4, 2);

        Assert.Equal(IPAddress.Loopback, host.LocalEndPoint.Address);
        Assert.NotEqual(0, host.LocalEndPoint.Port);
    }

    [Fact]
    public void Given_a_port_in_use_When_a_host_binds_it_Then_an_EnetException_says_so()
    {
        using var first = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), 4, 2);

        var error = Assert.Throws<EnetException>(() => EnetHost.Create(first.LocalEndPoint, 4, 2));

        Assert.Equal("enet_host_create", error.Function);
        Assert.Contains("port in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_IPv6_address_When_binding_Then_it_is_refused_clearly()
    {
        var error = Assert.Throws<ArgumentException>(() => EnetHost.Create(new IPEndPoint(IPAddress.IPv6Loopback, 0), 4, 2));
        Assert.Contains("IPv4 only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_connect_data_When_peers_connect_Then_the_server_sees_the_data_and_the_client_address()
    {
        using var pair = new EnetPair(connectData: 0xC0FFEE);

        Assert.Equal(0xC0FFEEu, pair.ConnectData);
        Assert.Equal(pair.Client.LocalEndPoint, pair.ServerSide.Address);
        Assert.Equal(EnetPeerState.Connected, pair.ServerSide.State);
        Assert.NotEqual(0u, pair.ClientSide.ConnectId);
        Assert.Equal(pair.ClientSide.ConnectId, pair.ServerSide.ConnectId);
        Assert.InRange(pair.ServerSide.Mtu, 576u, 4096u);
    }

    [Fact]
    public void Given_every_delivery_mode_When_sent_Then_each_arrives_on_its_channel_with_its_flags()
    {
        using var pair = new EnetPair();
        var big = new byte[20 * 1024];
        Random.Shared.NextBytes(big);

        Assert.True(pair.ClientSide.Send(0, "control"u8, EnetDelivery.Reliable));
        Assert.True(pair.ClientSide.Send(1, "audio"u8, EnetDelivery.UnreliableSequenced));
        Assert.True(pair.ClientSide.Send(2, "probe"u8, EnetDelivery.Unsequenced));
        Assert.True(pair.ClientSide.Send(3, big, EnetDelivery.UnreliableFragment));
        var received = pair.ReceiveOnServer(4, TimeSpan.FromSeconds(5));

        Assert.Equal(4, received.Count);
        var control = Assert.Single(received, r => r.Channel == 0);
        Assert.Equal("control"u8.ToArray(), control.Payload);
        Assert.Equal(EnetDelivery.Reliable, control.Flags);
        var audio = Assert.Single(received, r => r.Channel == 1);
        Assert.Equal("audio"u8.ToArray(), audio.Payload);
        Assert.Equal(EnetDelivery.UnreliableSequenced, audio.Flags);
        var probe = Assert.Single(received, r => r.Channel == 2);
        Assert.Equal(EnetDelivery.Unsequenced, probe.Flags);
        var video = Assert.Single(received, r => r.Channel == 3);
        Assert.Equal(big, video.Payload);
        // Reassembled from unreliable fragments, not silently upgraded to reliable.
        Assert.Equal(EnetDelivery.UnreliableFragment, video.Flags);
    }

    [Fact]
    public void Given_a_large_packet_without_the_fragment_flag_When_sent_Then_enet_sends_it_reliably()
    {
        using var pair = new EnetPair();

        Assert.True(pair.ClientSide.Send(1, new byte[20 * 1024], EnetDelivery.UnreliableSequenced));
        var received = pair.ReceiveOnServer(1, TimeSpan.FromSeconds(5));

        Assert.Equal(EnetDelivery.Reliable, Assert.Single(received).Flags);
    }

    [Fact]
    public void Given_a_channel_beyond_the_limit_When_sending_Then_send_returns_false_and_nothing_leaks()
    {
        using var pair = new EnetPair();

        Assert.False(pair.ClientSide.Send(EnetPair.Channels + 1, "x"u8, EnetDelivery.Reliable));
    }

    [Fact]
    public void Given_a_broadcast_When_pumped_Then_the_connected_peer_receives_it()
    {
        using var pair = new EnetPair();

        pair.Client.Broadcast(0, "everyone"u8, EnetDelivery.Reliable);
        var received = pair.ReceiveOnServer(1, TimeSpan.FromSeconds(5));

        Assert.Equal("everyone"u8.ToArray(), Assert.Single(received).Payload);
    }

    [Fact]
    public void Given_a_graceful_disconnect_When_pumped_Then_the_other_side_gets_a_disconnect_event_with_its_data()
    {
        using var pair = new EnetPair();

        pair.ClientSide.Disconnect(42);
        uint? data = null;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (data is null && DateTime.UtcNow < deadline)
        {
            pair.Client.Service(1, out _);
            if (pair.Server.Service(1, out var e) && e.Type == EnetEventType.Disconnect)
            {
                data = e.Data;
            }
        }

        Assert.Equal(42u, data);
    }

    [Fact]
    public void Given_a_peer_that_vanishes_When_the_timeout_is_short_Then_the_survivor_sees_a_disconnect()
    {
        using var pair = new EnetPair();
        pair.ServerSide.ConfigureTimeout(limit: 2, minimumMs: 200, maximumMs: 500);
        pair.ServerSide.SetPingInterval(50);

        pair.ClientSide.Reset(); // the client forgets the server without a word, as a crash would
        var sawDisconnect = false;
        var started = DateTime.UtcNow;
        while (!sawDisconnect && DateTime.UtcNow - started < TimeSpan.FromSeconds(5))
        {
            sawDisconnect = pair.Server.Service(5, out var e) && e.Type == EnetEventType.Disconnect;
        }

        Assert.True(sawDisconnect);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Given_a_live_peer_When_it_goes_silent_Then_its_last_receive_time_stops_while_the_clock_runs_on()
    {
        using var pair = new EnetPair();
        pair.ServerSide.SetPingInterval(20);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (pair.ServerSide.LastReceiveTimeMs == 0 && DateTime.UtcNow < deadline)
        {
            pair.ReceiveOnServer(0, TimeSpan.Zero);
        }

        var heard = pair.ServerSide.LastReceiveTimeMs;
        Assert.NotEqual(0u, heard);
        Assert.InRange(unchecked(EnetLibrary.TimeMs - heard), 0u, 1000u);

        pair.ClientSide.Reset(); // no more acknowledgements from the client
        var last = pair.ServerSide.LastReceiveTimeMs;
        var stillHeard = true;
        deadline = DateTime.UtcNow.AddSeconds(5);
        while (stillHeard && DateTime.UtcNow < deadline)
        {
            pair.Server.Service(5, out _);
            last = pair.ServerSide.LastReceiveTimeMs;
            stillHeard = unchecked(EnetLibrary.TimeMs - last) < 200;
        }

        Assert.False(stillHeard, "the server should stop hearing a client that reset");
    }

    [Fact]
    public void Given_a_connected_peer_When_its_fields_are_read_repeatedly_Then_nothing_is_allocated()
    {
        using var pair = new EnetPair();
        var peer = pair.ServerSide;
        long sink = ReadFields(peer, 1); // the first calls check the layout and bind the entry points

        var before = GC.GetAllocatedBytesForCurrentThread();
        sink += ReadFields(peer, 10_000);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sink);

        static long ReadFields(EnetPeer peer, int times)
        {
            long sum = 0;
            for (var i = 0; i < times; i++)
            {
                peer.UserData = i;
                sum += peer.UserData + peer.LastReceiveTimeMs + peer.RoundTripTimeMs + peer.PacketThrottle + (long)peer.State;
                sum += (long)peer.PacketLoss + EnetLibrary.TimeMs;
            }

            return sum;
        }
    }

    [Fact]
    public void Given_an_idle_host_When_waiting_Then_it_times_out_and_a_stray_datagram_ends_the_wait_early()
    {
        using var host = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), 4, 2);
        using var stray = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stray.Connect(host.LocalEndPoint);

        var idle = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(host.WaitForReceive(30));
        Assert.True(idle.ElapsedMilliseconds >= 25, $"returned after {idle.ElapsedMilliseconds} ms");

        stray.Send([0x00]);
        var woken = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(host.WaitForReceive(5000));
        Assert.True(woken.ElapsedMilliseconds < 1000);

        // ENet drops the one-byte datagram as too short to be a packet: no event, and the socket is drained.
        Assert.False(host.Service(0, out _));
        Assert.False(host.WaitForReceive(0));
    }

    [Fact]
    public void Given_a_burst_of_unreliable_packets_with_throttle_deceleration_off_Then_none_are_dropped_by_the_throttle()
    {
        using var pair = new EnetPair();
        pair.ClientSide.ConfigureThrottle(intervalMs: 1000, acceleration: 2, deceleration: 0);
        var payload = new byte[200];

        for (var i = 0; i < 500; i++)
        {
            payload[0] = (byte)i;
            pair.ClientSide.Send(1, payload, EnetDelivery.Unsequenced);
            if (i % 10 == 0)
            {
                pair.Client.Flush();
                pair.ReceiveOnServer(0, TimeSpan.Zero);
            }
        }

        pair.Client.Flush();
        var received = pair.ReceiveOnServer(500, TimeSpan.FromSeconds(5));
        Assert.True(received.Count >= 495, $"{received.Count} of 500 arrived");
        Assert.Equal(32u, pair.ClientSide.PacketThrottle);
        Assert.InRange(pair.ClientSide.PacketLoss, 0, 0.05);
    }

    [Fact]
    public void Round_trip_time_is_measured_on_loopback()
    {
        using var pair = new EnetPair();
        for (var i = 0; i < 20; i++)
        {
            pair.ClientSide.Send(0, "ping"u8, EnetDelivery.Reliable);
            pair.ReceiveOnServer(1, TimeSpan.FromSeconds(1));
            pair.Client.Service(1, out _);
        }

        Assert.InRange(pair.ClientSide.RoundTripTimeMs, 0u, 100u);
    }

    [Fact]
    public void Given_a_closed_socket_target_When_connecting_Then_a_disconnect_event_follows_without_throwing()
    {
        using var client = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), 4, 2);
        int unusedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            unusedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var peer = client.Connect(new IPEndPoint(IPAddress.Loopback, unusedPort), 2);
        peer.ConfigureTimeout(limit: 2, minimumMs: 100, maximumMs: 300);
        var failed = false;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!failed && DateTime.UtcNow < deadline)
        {
            failed = client.Service(5, out var e) && e.Type == EnetEventType.Disconnect;
        }

        Assert.True(failed);
    }
}
