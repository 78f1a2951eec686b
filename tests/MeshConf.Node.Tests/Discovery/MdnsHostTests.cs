using System.Diagnostics;
using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;
using MeshConf.Node.Discovery;
using MeshConf.TestSupport;
using static MeshConf.Node.Tests.Discovery.MdnsTestMessages;

namespace MeshConf.Node.Tests.Discovery;

[Collection(VirtualLanCollection.Name)]
public sealed class MdnsHostTests
{
    [Fact(Timeout = 60_000)]
    public async Task Given_three_hosts_When_one_multicasts_a_query_Then_the_others_get_it_and_the_sender_drops_its_own_echo()
    {
        using var lan = VirtualLan.Create(3);
        var question = UniqueName("hello");
        var sender = new RecordingAgent(new MdnsSend(Query(question)));
        var listeners = new[] { new RecordingAgent(), new RecordingAgent() };
        var machineNamespace = CurrentNetworkNamespace();

        // Interfaces and socket inside each namespace; everything after that from this (the machine's) thread.
        var hosts = lan.Hosts.Select(h => h.Run(() => MdnsHost.Open(null))).ToArray();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(new MdnsInterface("veth0", lan.Hosts[i].InterfaceIndex, [lan.Hosts[i].Address]), Assert.Single(hosts[i].Interfaces));
            }

            hosts[1].Add(lan.Hosts[1].InterfaceIndex, listeners[0]);
            hosts[2].Add(lan.Hosts[2].InterfaceIndex, listeners[1]);
            hosts[0].Add(lan.Hosts[0].InterfaceIndex, sender);
            foreach (var host in hosts)
            {
                host.Start();
            }

            await Eventually.TrueAsync(
                () => listeners.All(l => l.HasReceived(question, lan.Hosts[0].MdnsEndPoint())) && hosts[0].Counters.OwnEchoes == 1,
                Patience,
                () => $"listeners {listeners[0].Received.Count}/{listeners[1].Received.Count}, sender {hosts[0].Counters}");
            var ownerNamespace = await hosts[0].InvokeAsync(CurrentNetworkNamespace);
            var (received, sent) = await hosts[0].InvokeAsync(() => (sender.Received.Count, hosts[0].Counters.Sent));

            Assert.Equal(0, received);
            Assert.Equal(machineNamespace, ownerNamespace);
            Assert.NotEqual(lan.Hosts[0].Run(CurrentNetworkNamespace), ownerNamespace);
            Assert.Equal(1, sent);
            Assert.All(listeners, l => Assert.Equal(0, Assert.Single(l.Received).Message.Id));
            for (var i = 0; i < 3; i++)
            {
                var agent = i == 0 ? sender : listeners[i - 1];
                Assert.Equal([hosts[i].OwnerThreadId], agent.Threads.Keys);
                Assert.NotEqual(Environment.CurrentManagedThreadId, hosts[i].OwnerThreadId);
            }
        }
        finally
        {
            DisposeAll(hosts);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_querier_a_responder_and_a_bystander_When_the_responder_replies_by_unicast_Then_only_the_querier_gets_the_reply_from_port_5353()
    {
        using var lan = VirtualLan.Create(3);
        var (querierHost, responderHost, bystanderHost) = (lan.Hosts[0], lan.Hosts[1], lan.Hosts[2]);
        var question = UniqueName("who");
        var marker = UniqueName("marker");
        var querier = new RecordingAgent(new MdnsSend(Query(question, unicastResponse: true)));
        var responder = new RecordingAgent
        {
            // The unicast reply, then a multicast marker: a bystander that got the marker would have got the reply first.
            Reply = (message, source) => message.Questions.Any(q => q.Name == question && q.UnicastResponse)
                ? [new MdnsSend(Answer(question, DnsName.Parse("here.local")), source), new MdnsSend(Query(marker))]
                : [],
        };
        var bystander = new RecordingAgent();
        var hosts = new[] { querierHost, responderHost, bystanderHost }.Select(h => h.Run(() => MdnsHost.Open(null))).ToArray();
        try
        {
            hosts[1].Add(responderHost.InterfaceIndex, responder);
            hosts[2].Add(bystanderHost.InterfaceIndex, bystander);
            hosts[0].Add(querierHost.InterfaceIndex, querier);
            hosts[1].Start();
            hosts[2].Start();
            hosts[0].Start();

            await Eventually.TrueAsync(
                () => querier.Received.Any(r => r.Message.IsResponse) && bystander.HasReceived(marker) && querier.HasReceived(marker),
                Patience,
                () => $"querier {querier.Received.Count}, bystander {bystander.Received.Count}, responder {hosts[1].Counters}");

            var reply = querier.Received.First(r => r.Message.IsResponse);
            Assert.Equal(responderHost.MdnsEndPoint(), reply.Source);
            Assert.Equal(question, Assert.Single(reply.Message.Answers).Name);
            Assert.True(bystander.HasReceived(question, querierHost.MdnsEndPoint()));
            Assert.DoesNotContain(bystander.Received, r => r.Message.IsResponse);
            Assert.Equal(2, await hosts[1].InvokeAsync(() => hosts[1].Counters.Sent)); // the owner thread sends: after this, its sends are done
        }
        finally
        {
            DisposeAll(hosts);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_host_on_veth0_and_lo_When_messages_arrive_on_each_Then_each_reaches_only_the_agents_of_its_interface()
    {
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        EnableLoopbackMulticast(one);
        var overLan = UniqueName("over-lan");
        var overLo = UniqueName("over-lo");
        var onVeth = new RecordingAgent();
        var onLo = new RecordingAgent();
        using var host = one.Run(() => new MdnsHost(MdnsTransport.Open([.. MdnsInterfaceSelector.Select(null), .. MdnsInterfaceSelector.Select("lo")])));
        using var remote = two.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        using var local = one.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        var loIndex = host.Interfaces.Single(i => i.Name == "lo").Index;
        host.Add(one.InterfaceIndex, onVeth);
        host.Add(loIndex, onLo);
        host.Start();

        Assert.True(remote.Send(Query(overLan), two.InterfaceIndex));
        Assert.True(local.Send(Query(overLo), loIndex));
        await Eventually.TrueAsync(() => onVeth.HasReceived(overLan) && onLo.HasReceived(overLo), Patience, () => $"veth {onVeth.Received.Count}, lo {onLo.Received.Count}, {host.Counters}");
        var (vethCount, loCount) = await host.InvokeAsync(() => (onVeth.Received.Count, onLo.Received.Count));

        Assert.Equal((1, 1), (vethCount, loCount));
        Assert.Equal(two.MdnsEndPoint(), onVeth.Received.Single().Source);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5353), onLo.Received.Single().Source);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_running_host_When_garbage_arrives_Then_it_is_counted_malformed_and_the_next_message_is_still_delivered()
    {
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        var agent = new RecordingAgent();
        using var host = one.Run(() => MdnsHost.Open(null));
        using var remote = two.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        using var raw = RawSender(two);
        host.Add(one.InterfaceIndex, agent);
        host.Start();
        var after = UniqueName("after");

        foreach (var garbage in new byte[][] { [], [0, 0, 0x84], [.. Enumerable.Repeat((byte)0xFF, 600)] })
        {
            raw.SendTo(garbage, Mdns.IPv4Endpoint);
        }

        await Eventually.TrueAsync(() => host.Counters.Malformed == 3, Patience, () => host.Counters.ToString());
        Assert.True(remote.Send(Query(after), two.InterfaceIndex));
        await Eventually.TrueAsync(() => agent.HasReceived(after), Patience, () => host.Counters.ToString());

        Assert.Single(agent.Received);
        Assert.Equal((4, 3), (host.Counters.Received, host.Counters.Malformed));
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_an_agent_with_a_goodbye_When_its_host_is_disposed_Then_the_agent_is_stopped_and_its_goodbye_reaches_the_lan()
    {
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        var gone = UniqueName("gone");
        var leaving = new RecordingAgent { Goodbye = Answer(gone, DnsName.Parse("nobody.local"), ttl: 0) };
        using var remote = two.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select(null)));
        var host = one.Run(() => MdnsHost.Open(null));
        host.Add(one.InterfaceIndex, leaving);
        host.Start();
        await Eventually.TrueAsync(() => leaving.StartedAtMs is not null, Patience, () => "not started");

        var disposing = Stopwatch.StartNew();
        host.Dispose();
        disposing.Stop();
        var goodbye = await ReceiveUntilAsync(remote, d => Names(d.Message).Contains(gone));

        Assert.NotNull(leaving.StoppedAtMs);
        Assert.Equal(0u, Assert.Single(goodbye.Message.Answers).Ttl);
        Assert.Equal(one.MdnsEndPoint(), goodbye.Source);
        Assert.Equal(1, host.Counters.Sent);
        Assert.True(disposing.Elapsed < TimeSpan.FromSeconds(5), $"Dispose took {disposing.Elapsed}");
        Assert.False(host.Post(() => { }));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => host.InvokeAsync(() => 1));
        host.Dispose();
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_an_injected_clock_When_it_reaches_the_wake_an_agent_asked_for_Then_the_agent_is_polled_at_that_time_and_not_before()
    {
        using var lan = VirtualLan.CreateLoopbackOnly();
        var clock = new ManualTimeProvider();
        var agent = new RecordingAgent { WakeAtMs = 60_000 };
        using var host = lan.Hosts[0].Run(() => MdnsHost.Open("lo", clock));
        host.Add(lan.Hosts[0].InterfaceIndex, agent);
        host.Start();
        await Eventually.TrueAsync(() => agent.Polls.Count == 1, Patience, () => "no start poll");

        clock.Advance(TimeSpan.FromMilliseconds(59_999));
        var early = await host.InvokeAsync(() => agent.Polls.ToArray());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await host.InvokeAsync(() => 0); // wakes the owner thread: the real clock says nothing of the injected one
        await Eventually.TrueAsync(() => agent.Polls.Count == 2, Patience, () => string.Join(",", agent.Polls));

        Assert.Equal(0, agent.StartedAtMs);
        Assert.Equal([0L], early);
        Assert.Equal([0L, 60_000L], agent.Polls);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_an_agent_that_throws_and_one_that_works_When_messages_arrive_Then_the_broken_one_is_reported_and_removed_and_the_other_goes_on()
    {
        using var lan = VirtualLan.CreateLoopbackOnly();
        var lo = lan.Hosts[0];
        var broken = new RecordingAgent { ThrowOnReceive = true };
        var working = new RecordingAgent();
        var failures = new List<Exception>();
        using var host = lo.Run(() => MdnsHost.Open("lo"));
        using var peer = lo.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        host.AgentFailed += (_, e) => failures.Add(e);
        host.Add(lo.InterfaceIndex, broken);
        host.Add(lo.InterfaceIndex, working);
        host.Start();
        var (first, second) = (UniqueName("first"), UniqueName("second"));

        Assert.True(peer.Send(Query(first), lo.InterfaceIndex));
        await Eventually.TrueAsync(() => working.HasReceived(first), Patience, () => host.Counters.ToString());
        Assert.True(peer.Send(Query(second), lo.InterfaceIndex));
        await Eventually.TrueAsync(() => working.HasReceived(second), Patience, () => host.Counters.ToString());
        var reported = await host.InvokeAsync(() => failures.ToArray());
        var brokenCalls = broken.Polls.Count;

        Assert.Equal("a broken agent", Assert.Single(reported).Message);
        Assert.Equal(2, working.Received.Count);
        Assert.Equal(1, brokenCalls); // its start poll; after the throw it is neither fed nor polled
        Assert.Empty(broken.Received);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_started_host_When_an_agent_is_added_and_later_removed_Then_it_starts_on_the_owner_thread_and_says_goodbye_on_removal()
    {
        using var lan = VirtualLan.CreateLoopbackOnly();
        var lo = lan.Hosts[0];
        var (hello, bye) = (UniqueName("hello"), UniqueName("bye"));
        var late = new RecordingAgent(new MdnsSend(Query(hello))) { Goodbye = Answer(bye, DnsName.Parse("x.local"), ttl: 0) };
        using var host = lo.Run(() => MdnsHost.Open("lo"));
        using var peer = lo.Run(() => MdnsTransport.Open(MdnsInterfaceSelector.Select("lo")));
        host.Start();

        host.Add(lo.InterfaceIndex, late);
        await ReceiveUntilAsync(peer, d => Names(d.Message).Contains(hello));
        Assert.True(host.Remove(late));
        await ReceiveUntilAsync(peer, d => Names(d.Message).Contains(bye));

        var sent = await host.InvokeAsync(() => host.Counters.Sent);

        Assert.NotNull(late.StoppedAtMs);
        Assert.Equal([host.OwnerThreadId], late.Threads.Keys);
        Assert.Equal(2, sent);
    }

    private static void DisposeAll(IEnumerable<MdnsHost> hosts)
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }
    }
}
