using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;
using MeshConf.Node.Discovery;
using MeshConf.TestSupport;
using static MeshConf.Node.Tests.Discovery.MdnsTestMessages;

namespace MeshConf.Node.Tests.Discovery;

[Collection(VirtualLanCollection.Name)]
public sealed class MdnsTransportTests
{
    [Fact(Timeout = 60_000)]
    public async Task Given_two_transports_in_one_namespace_When_another_host_and_then_one_of_them_multicast_Then_both_share_5353_and_the_sender_drops_its_echo()
    {
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        using var first = one.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        using var second = one.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        using var remote = two.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        var fromTwo = UniqueName("from-two");
        var fromFirst = UniqueName("from-first");

        Assert.True(remote.Send(Query(fromTwo), two.InterfaceIndex));
        var atFirst = await ReceiveUntilAsync(first, d => Names(d.Message).Contains(fromTwo));
        var atSecond = await ReceiveUntilAsync(second, d => Names(d.Message).Contains(fromTwo));
        Assert.True(first.Send(Query(fromFirst), one.InterfaceIndex));
        var sibling = await ReceiveUntilAsync(second, d => Names(d.Message).Contains(fromFirst));
        var echo = await Task.Run(() => ReceiveStatus(first), TestContext.Current.CancellationToken);

        Assert.All([atFirst, atSecond], d => Assert.Equal((two.MdnsEndPoint(), one.InterfaceIndex, true), (d.Source, d.InterfaceIndex, d.IsMulticast)));
        Assert.Equal(one.MdnsEndPoint(), sibling.Source);
        Assert.Equal(MdnsReceiveStatus.OwnEcho, echo);
        Assert.Equal(1, first.Counters.OwnEchoes);
        Assert.Equal(0, second.Counters.OwnEchoes);
        Assert.Equal((1, 0), (first.Counters.Sent, first.Counters.SendErrors));
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_avahi_publishing_in_the_same_namespace_When_a_ptr_query_goes_out_through_the_transport_Then_avahis_answer_comes_back_and_parses()
    {
        AvahiDaemon.RequirePieces();
        var cancellation = TestContext.Current.CancellationToken;
        using var lan = VirtualLan.Create(1);
        var host = lan.Hosts[0];
        using var avahi = await AvahiDaemon.StartAsync(host, "mc-neighbour", cancellationToken: cancellation);
        const string Instance = "Avahi Neighbour";
        using var publication = await avahi.PublishAsync(Instance, "_meshconf._udp", 7004, ["v=1", "id=avahi"], cancellationToken: cancellation);
        using var transport = host.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        var query = new DnsMessage { Questions = [new DnsQuestion(Mdns.ServiceType, DnsType.Ptr)] };

        // avahi also announces the new service unasked (the service type enumeration PTR among its answers);
        // the answer to our question carries only the PTR asked for as an answer.
        var answer = await ReceiveUntilAsync(
            transport,
            d => d.Message.IsResponse
                && d.Message.Answers.OfType<PtrRecord>().Any(p => p.Name == Mdns.ServiceType && p.Target.GetLabelText(0) == Instance)
                && d.Message.Answers.All(r => r.Name != Mdns.ServiceTypeEnumeration),
            everySecond: () => transport.Send(query, host.InterfaceIndex));

        TestContext.Current.TestOutputHelper?.WriteLine($"from {answer.Source}:\n{answer.Message}");
        Assert.Equal(host.MdnsEndPoint(), answer.Source);
        Assert.True(answer.Message.Authoritative);
        var ptr = answer.Message.Answers.OfType<PtrRecord>().First(p => p.Name == Mdns.ServiceType);
        Assert.Equal(Mdns.ServiceType, ptr.Target.Parent);
        Assert.True(avahi.DaemonPid > 0 && !string.IsNullOrEmpty(avahi.HostName));
        Assert.Equal(0, transport.Counters.Malformed);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_garbage_an_empty_and_an_oversized_datagram_When_received_Then_each_is_counted_malformed_and_a_good_message_still_arrives()
    {
        using var lan = VirtualLan.CreateLoopbackOnly();
        var host = lan.Hosts[0];
        using var transport = host.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        using var sender = host.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        var good = UniqueName("after-garbage");

        Assert.True(sender.Send("not a DNS message at all"u8, host.InterfaceIndex));
        Assert.True(sender.Send(ReadOnlySpan<byte>.Empty, host.InterfaceIndex));
        Assert.False(sender.Send(new byte[MdnsTransport.MaxDatagramSize + 1], host.InterfaceIndex));
        using (var raw = host.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)))
        {
            // Larger than any mDNS datagram may be: the kernel truncates it into the buffer and says so. Multicast,
            // because a unicast to 5353 would reach only one of the two sockets there.
            raw.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(host.InterfaceIndex));
            raw.SendTo(new byte[MdnsTransport.MaxDatagramSize + 100], Mdns.IPv4Endpoint);
        }

        Assert.True(sender.Send(Query(good), host.InterfaceIndex));
        var arrived = await ReceiveUntilAsync(transport, d => Names(d.Message).Contains(good));

        Assert.Equal(3, transport.Counters.Malformed);
        Assert.Equal(4, transport.Counters.Received);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5353), arrived.Source);
        Assert.Equal(1, sender.Counters.SendErrors);
        Assert.Equal(3, sender.Counters.Sent);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_transport_on_veth0_When_a_unicast_to_5353_arrives_over_lo_Then_it_is_counted_as_another_interfaces_and_dropped()
    {
        using var lan = VirtualLan.Create(1);
        var host = lan.Hosts[0];
        using var transport = host.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        using var raw = host.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));

        raw.SendTo(Query(UniqueName("over-lo")).ToArray(), new IPEndPoint(IPAddress.Loopback, 5353));
        var status = await Task.Run(() => ReceiveStatus(transport), TestContext.Current.CancellationToken);

        Assert.Equal(MdnsReceiveStatus.OtherInterface, status);
        Assert.Equal((1, 1, 0), (transport.Counters.Received, transport.Counters.OtherInterface, transport.Counters.Malformed));
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_transport_on_veth0_and_another_socket_joined_on_lo_When_the_group_is_multicast_on_lo_Then_the_transport_drops_it_as_another_interfaces()
    {
        using var lan = VirtualLan.Create(1);
        var host = lan.Hosts[0];
        EnableLoopbackMulticast(host);
        using var transport = host.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        using var onLo = host.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        using var sender = host.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        var name = UniqueName("lo-only");

        Assert.True(sender.Send(Query(name), onLo.Interfaces[0].Index));
        var atLo = await ReceiveUntilAsync(onLo, d => Names(d.Message).Contains(name));
        var status = await Task.Run(() => ReceiveStatus(transport), TestContext.Current.CancellationToken);

        Assert.Equal(onLo.Interfaces[0].Index, atLo.InterfaceIndex);
        Assert.Equal(MdnsReceiveStatus.OtherInterface, status);
        Assert.Equal(1, transport.Counters.OtherInterface);
    }

    [Fact]
    public void Given_port_5353_held_without_sharing_When_the_transport_opens_Then_it_fails_with_a_one_line_notice()
    {
        using var lan = VirtualLan.CreateLoopbackOnly();
        var host = lan.Hosts[0];
        using var squatter = host.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, 5353));
            return socket;
        });

        var error = Assert.Throws<MdnsUnavailableException>(() => host.Run(() => MdnsHost.Open("lo")));
        squatter.Dispose();
        using var afterwards = host.Run(() => MdnsHost.Open("lo"));

        Assert.StartsWith("mDNS off: cannot bind UDP port 5353 (AddressAlreadyInUse", error.Notice, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Notice);
        Assert.IsType<SocketException>(error.InnerException);
        Assert.Equal("lo", Assert.Single(afterwards.Interfaces).Name);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_receive_waiting_forever_When_the_transport_is_disposed_Then_the_receive_returns_closed_at_once()
    {
        using var lan = VirtualLan.CreateLoopbackOnly();
        var transport = lan.Hosts[0].Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        var waiting = Task.Factory.StartNew(() => transport.Receive(Timeout.InfiniteTimeSpan, out _), TaskCreationOptions.LongRunning);
        // Give it time to block in the wait; had it not yet, the receive would still have to see the close.
        await Task.Delay(200, TestContext.Current.CancellationToken);

        transport.Dispose();
        var status = await waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(MdnsReceiveStatus.Closed, status);
        Assert.False(transport.Send(Query(UniqueName("late")), lan.Hosts[0].InterfaceIndex));
    }

    /// <summary>What the next datagram within the patience was.</summary>
    private static MdnsReceiveStatus ReceiveStatus(MdnsTransport transport) => transport.Receive(Patience, out _);
}
