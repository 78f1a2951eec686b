using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

public sealed class MdnsBrowserTests
{
    private const string PeerNodeId = "c3d4e5f6a7b80910";

    private static readonly DnsName PeerInstance = Mdns.ServiceType.Prepend("lighter (c3d4)");

    private static readonly DnsName PeerHost = DnsName.Parse("lighter-c3d4.local");

    private static readonly IPAddress PeerIpv4 = IPAddress.Parse("192.168.1.50");

    private static readonly IPAddress PeerIpv6 = IPAddress.Parse("fe80::50");

    [Fact]
    public void Given_a_started_browser_When_nothing_answers_Then_queries_go_out_after_20_to_120_ms_and_then_1_2_4_seconds_doubling_up_to_an_hour()
    {
        var firsts = new HashSet<long>();
        for (ulong seed = 1; seed <= 16; seed++)
        {
            var driver = new AgentDriver(new MdnsBrowser(seed));
            driver.Start(0);
            driver.RunUntil(5 * 3_600_000);

            var times = BrowseQueries(driver).Select(s => s.AtMs).ToList();
            Assert.InRange(times[0], 20, 120);
            firsts.Add(times[0]);
            var gaps = times.Zip(times.Skip(1), (a, b) => (b - a) / 1000).ToList();
            Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600, 3600], gaps.Take(15));
            Assert.All(gaps.Skip(12), g => Assert.Equal(3600, g));
        }

        Assert.True(firsts.Count > 8, $"the first delay is drawn: {string.Join(", ", firsts)}");
    }

    [Fact]
    public void Given_a_browser_When_it_queries_Then_it_asks_for_the_service_PTR_by_multicast_and_QU_only_in_the_first_query_when_told()
    {
        var plain = new AgentDriver(new MdnsBrowser(1));
        var qu = new AgentDriver(new MdnsBrowser(1, firstQueryUnicast: true));
        plain.Start(0);
        qu.Start(0);
        plain.RunUntil(10_000);
        qu.RunUntil(10_000);

        Assert.All(plain.Sent, s => Assert.Equal(new DnsQuestion(Mdns.ServiceType, DnsType.Ptr, false), Assert.Single(s.Message.Questions)));
        Assert.All(plain.Sent, s => Assert.Null(s.Destination));
        Assert.True(qu.Sent[0].Message.Questions[0].UnicastResponse);
        Assert.All(qu.Sent.Skip(1), s => Assert.False(s.Message.Questions[0].UnicastResponse));
    }

    [Fact]
    public void Given_a_full_announcement_When_received_Then_the_instance_is_found_with_its_host_port_addresses_and_TXT()
    {
        var driver = Started();

        driver.Receive(Announcement(), MdnsSamples.Peer);

        var change = Assert.Single(Changes(driver));
        Assert.Equal(ServiceChangeKind.Found, change.Kind);
        var service = change.Service;
        Assert.Equal(PeerInstance, service.InstanceName);
        Assert.Equal("lighter (c3d4)", service.Name);
        Assert.Equal(PeerHost, service.Host);
        Assert.Equal(47001, service.Port);
        Assert.Equal([PeerIpv4, PeerIpv6], service.Addresses);
        Assert.Equal("1", service.ProtocolVersion);
        Assert.Equal("session1", service.SessionId);
        Assert.Equal(PeerNodeId, service.NodeId);
        Assert.Equal("0a0b", service.Fingerprint);
        Assert.Same(service, Assert.Single(((MdnsBrowser)driver.Agent).Services));
    }

    [Fact]
    public void Given_a_cached_PTR_When_the_browser_queries_Then_it_lists_the_PTR_as_a_known_answer_while_more_than_half_its_TTL_is_left()
    {
        var driver = Started();
        driver.Receive(Announcement(), MdnsSamples.Peer);

        driver.RunUntil(5000 * 1000);

        foreach (var query in BrowseQueries(driver).Where(q => q.AtMs > 1000))
        {
            var elapsed = query.AtMs - 1000;
            var known = query.Message.Answers.OfType<PtrRecord>().Where(p => p.Target.Equals(PeerInstance)).ToList();
            if (elapsed < 2_250_000)
            {
                Assert.Equal((uint)((4_500_000 - elapsed) / 1000), Assert.Single(known).Ttl);
            }
            else
            {
                Assert.Empty(known);
            }
        }

        Assert.Contains(BrowseQueries(driver), q => q.AtMs - 1000 > 2_250_000 && q.AtMs - 1000 < 4_500_000);
    }

    [Fact]
    public void Given_records_nobody_refreshes_When_their_TTL_runs_out_Then_refresh_queries_go_at_80_85_90_95_percent_and_the_service_is_removed()
    {
        var driver = Started();
        driver.Receive(Announcement(), MdnsSamples.Peer); // at 1000

        driver.RunUntil(121_000 - 1);
        Assert.Empty(Changes(driver).Skip(1));
        driver.RunUntil(121_000);

        var removed = Assert.Single(Changes(driver));
        Assert.Equal(ServiceChangeKind.Removed, removed.Kind);
        Assert.Equal(PeerInstance, removed.Service.InstanceName);
        var refreshes = driver.Sent.Where(s => s.Message.Questions.Contains(new DnsQuestion(PeerInstance, DnsType.Srv))).Select(s => s.AtMs - 1000).ToList();
        Assert.Equal(4, refreshes.Count(t => t < 120_000));
        foreach (var (at, percent) in refreshes.Zip([80, 85, 90, 95]))
        {
            Assert.InRange(at, 1200 * percent, 1200 * (percent + 2));
        }

        var aRefreshes = driver.Sent.Count(s => s.AtMs < 121_000 && s.Message.Questions.Contains(new DnsQuestion(PeerHost, DnsType.A)));
        Assert.Equal(4, aRefreshes);
    }

    [Fact]
    public void Given_a_refresh_query_When_the_records_are_answered_again_Then_they_are_renewed_and_nothing_is_removed()
    {
        var driver = Started();
        driver.Receive(Announcement(), MdnsSamples.Peer);
        Changes(driver);

        driver.RunUntil(99_500); // past the first refresh point of the 120 s records
        driver.Receive(Announcement(), MdnsSamples.Peer);
        driver.RunUntil(200_000);

        Assert.Empty(Changes(driver));
        var srvRefreshes = driver.Sent.Where(s => s.Message.Questions.Contains(new DnsQuestion(PeerInstance, DnsType.Srv))).Select(s => s.AtMs).ToList();
        Assert.InRange(srvRefreshes[0], 97_000, 99_400);
        Assert.InRange(srvRefreshes[1], 99_500 + 96_000, 99_500 + 98_400);
    }

    [Fact]
    public void Given_a_found_service_When_its_PTR_says_goodbye_Then_it_is_removed_one_second_later()
    {
        var driver = Started();
        driver.Receive(Announcement(), MdnsSamples.Peer);
        Changes(driver);
        driver.RunUntil(20_000);

        driver.Receive(MdnsSamples.Response(new PtrRecord(Mdns.ServiceType, 0, PeerInstance)), MdnsSamples.Peer);
        driver.RunUntil(20_999);
        Assert.Empty(Changes(driver));
        driver.RunUntil(21_000);

        Assert.Equal(ServiceChangeKind.Removed, Assert.Single(Changes(driver)).Kind);
        Assert.Empty(((MdnsBrowser)driver.Agent).Services);
    }

    [Fact]
    public void Given_a_full_goodbye_When_received_Then_the_service_is_removed_within_one_second_and_the_cache_empties()
    {
        var driver = Started();
        driver.Receive(Announcement(), MdnsSamples.Peer);
        driver.RunUntil(5000);
        var goodbye = Announcement();
        goodbye = MdnsSamples.Response([.. goodbye.Answers.Select(r => r.WithTtl(0, r.CacheFlush))]);

        driver.Receive(goodbye, MdnsSamples.Peer);
        driver.RunUntil(6000);

        Assert.Equal([ServiceChangeKind.Found, ServiceChangeKind.Removed], Changes(driver).Select(c => c.Kind));
        Assert.Equal(0, ((MdnsBrowser)driver.Agent).CachedRecordCount);
    }

    [Fact]
    public void Given_a_cached_address_When_a_new_address_arrives_with_cache_flush_Then_the_old_one_expires_one_second_later()
    {
        var driver = Started();
        driver.Receive(Announcement(addresses: [PeerIpv4]), MdnsSamples.Peer);
        driver.RunUntil(5000);
        var moved = IPAddress.Parse("192.168.1.77");

        driver.Receive(MdnsSamples.Response(new ARecord(PeerHost, 120, moved, cacheFlush: true)), MdnsSamples.Peer);
        driver.RunUntil(5999);
        var during = Changes(driver);
        driver.RunUntil(6000);
        var after = Changes(driver);

        Assert.Equal([PeerIpv4, moved], during.Last().Service.Addresses);
        Assert.Equal([moved], Assert.Single(after).Service.Addresses);
        Assert.Equal(ServiceChangeKind.Changed, after[0].Kind);
    }

    [Fact]
    public void Given_records_received_less_than_a_second_apart_When_both_carry_cache_flush_Then_neither_flushes_the_other()
    {
        var driver = Started();
        var second = IPAddress.Parse("192.168.1.51");
        driver.Receive(Announcement(addresses: [PeerIpv4]), MdnsSamples.Peer);
        driver.RunFor(500);

        driver.Receive(MdnsSamples.Response(new ARecord(PeerHost, 120, second, cacheFlush: true)), MdnsSamples.Peer);
        driver.RunFor(5000);

        Assert.Equal([PeerIpv4, second], Assert.Single(((MdnsBrowser)driver.Agent).Services).Addresses);
    }

    [Fact]
    public void Given_our_own_announcement_When_received_Then_it_is_never_reported_nor_refreshed()
    {
        var byId = Started(new MdnsBrowser(1, ownNodeId: PeerNodeId));
        var byName = Started(new MdnsBrowser(1) { OwnInstanceName = PeerInstance });

        foreach (var driver in new[] { byId, byName })
        {
            driver.Receive(Announcement(), MdnsSamples.Peer);
            driver.RunUntil(200_000);

            Assert.Empty(Changes(driver));
            Assert.All(driver.Sent, s => Assert.Equal(Mdns.ServiceType, Assert.Single(s.Message.Questions).Name));
        }
    }

    [Fact]
    public void Given_only_our_own_PTR_When_the_instance_is_named_as_ours_Then_no_resolve_query_asks_for_its_records()
    {
        var driver = Started(new MdnsBrowser(1) { OwnInstanceName = PeerInstance });

        driver.Receive(MdnsSamples.Response(new PtrRecord(Mdns.ServiceType, 4500, PeerInstance)), MdnsSamples.Peer);
        driver.RunUntil(60_000);

        Assert.DoesNotContain(driver.Sent, s => s.Message.Questions.Any(q => q.Name.Equals(PeerInstance)));
    }

    [Fact]
    public void Given_a_PTR_alone_When_resolving_Then_SRV_and_TXT_are_queried_with_backoff_and_then_the_addresses_of_the_target()
    {
        var driver = Started();
        driver.Receive(MdnsSamples.Response(new PtrRecord(Mdns.ServiceType, 4500, PeerInstance)), MdnsSamples.Peer);
        var at = driver.Now;

        driver.RunUntil(at + 4000);

        var resolves = driver.SentSince(at).Where(s => s.Message.Questions.Contains(new DnsQuestion(PeerInstance, DnsType.Srv))).ToList();
        Assert.InRange(resolves[0].AtMs - at, 20, 120);
        Assert.Equal([1000, 2000], resolves.Zip(resolves.Skip(1), (a, b) => b.AtMs - a.AtMs));
        Assert.All(resolves, r => Assert.Contains(new DnsQuestion(PeerInstance, DnsType.Txt), r.Message.Questions));
        Assert.Empty(Changes(driver));

        var full = Announcement();
        driver.Receive(MdnsSamples.Response([.. full.Answers.Where(r => r is SrvRecord or TxtRecord)]), MdnsSamples.Peer);
        at = driver.Now;
        driver.RunUntil(at + 200);

        var addressQuery = Assert.Single(driver.SentSince(at)).Message.Questions;
        Assert.Contains(new DnsQuestion(PeerHost, DnsType.A), addressQuery);
        Assert.Contains(new DnsQuestion(PeerHost, DnsType.Aaaa), addressQuery);
        Assert.Empty(Changes(driver));

        driver.Receive(MdnsSamples.Response(new ARecord(PeerHost, 120, PeerIpv4, cacheFlush: true)), MdnsSamples.Peer);
        Assert.Equal(ServiceChangeKind.Found, Assert.Single(Changes(driver)).Kind);
    }

    [Fact]
    public void Given_an_SRV_whose_host_has_no_address_When_time_passes_Then_nothing_is_found_and_the_address_queries_back_off()
    {
        var driver = Started();
        var full = Announcement();

        driver.Receive(MdnsSamples.Response([.. full.Answers.Where(r => r is not (ARecord or AaaaRecord))]), MdnsSamples.Peer);
        driver.RunUntil(100_000);

        Assert.Empty(Changes(driver));
        var asks = driver.Sent.Where(s => s.Message.Questions.Contains(new DnsQuestion(PeerHost, DnsType.A))).Select(s => s.AtMs).ToList();
        Assert.True(asks.Count is >= 5 and <= 9, $"{asks.Count} address queries");
        Assert.All(asks.Zip(asks.Skip(1), (a, b) => b - a), gap => Assert.True(gap >= 1000));
    }

    [Fact]
    public void Given_a_TXT_without_an_id_When_resolved_Then_the_service_is_found_with_no_node_id()
    {
        var driver = Started();
        var txt = TxtRecord.FromProperties(PeerInstance, 4500, [("v", "1"), ("s", "session1")], cacheFlush: true);

        driver.Receive(Announcement(txt: txt), MdnsSamples.Peer);

        var service = Assert.Single(Changes(driver)).Service;
        Assert.Null(service.NodeId);
        Assert.Equal("session1", service.SessionId);
    }

    [Fact]
    public void Given_odd_TXT_strings_When_parsed_Then_keys_ignore_case_the_first_wins_and_keyless_strings_are_skipped()
    {
        var txt = new TxtRecord(PeerInstance, 4500, ["ID=first"u8.ToArray(), "id=second"u8.ToArray(), "=novalue"u8.ToArray(), "flag"u8.ToArray(), "empty="u8.ToArray(), []]);

        var properties = DiscoveredService.ParseProperties(txt);

        Assert.Equal("first", properties["id"]);
        Assert.True(properties.ContainsKey("flag"));
        Assert.Null(properties["flag"]);
        Assert.Equal(string.Empty, properties["empty"]);
        Assert.Equal(3, properties.Count);
    }

    [Fact]
    public void Given_a_found_service_When_its_TXT_changes_Then_a_change_is_reported_with_the_new_values()
    {
        var driver = Started();
        driver.Receive(Announcement(), MdnsSamples.Peer);
        driver.RunFor(2000);

        driver.Receive(Announcement(session: "session2"), MdnsSamples.Peer);
        driver.RunFor(2000);

        var changes = Changes(driver);
        Assert.Equal([ServiceChangeKind.Found, ServiceChangeKind.Changed], changes.Select(c => c.Kind));
        Assert.Equal("session2", changes[1].Service.SessionId);
    }

    [Fact]
    public void Given_traffic_about_other_services_and_hosts_When_received_Then_nothing_is_cached_or_reported()
    {
        var driver = Started();
        var browser = (MdnsBrowser)driver.Agent;
        var web = DnsName.Parse("web._http._tcp.local");

        driver.Receive(MdnsSamples.Response(
            new PtrRecord(DnsName.Parse("_http._tcp.local"), 4500, web),
            new SrvRecord(web, 120, 0, 0, 80, DnsName.Parse("printer.local")),
            new ARecord(DnsName.Parse("printer.local"), 120, IPAddress.Parse("192.168.1.9")),
            new PtrRecord(Mdns.ServiceType, 4500, DnsName.Parse("elsewhere.example")),
            new PtrRecord(Mdns.ServiceType, 4500, Mdns.ServiceType.Prepend("a").Prepend("b"))), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Query(new DnsQuestion(Mdns.ServiceType, DnsType.Ptr)), MdnsSamples.Peer);
        driver.RunFor(10_000);

        Assert.Equal(0, browser.CachedRecordCount);
        Assert.Empty(Changes(driver));
        Assert.Equal(0, browser.IgnoredMessages);
    }

    [Fact]
    public void Given_responses_from_another_port_or_with_an_error_code_When_received_Then_they_are_ignored_and_counted()
    {
        var driver = Started();
        var browser = (MdnsBrowser)driver.Agent;
        var announcement = Announcement();

        driver.Receive(announcement, MdnsSamples.LegacyResolver);
        driver.Receive(new DnsMessage { IsResponse = true, Rcode = 2, Answers = announcement.Answers }, MdnsSamples.Peer);
        driver.Receive(new DnsMessage { IsResponse = true, Opcode = 4, Answers = announcement.Answers }, MdnsSamples.Peer);

        Assert.Equal(3, browser.IgnoredMessages);
        Assert.Equal(0, browser.CachedRecordCount);
        Assert.Empty(Changes(driver));
    }

    [Fact]
    public void Given_many_cached_PTRs_When_the_browser_queries_Then_the_known_answers_spread_over_truncated_packets()
    {
        var driver = Started();
        for (var i = 0; i < 60; i++)
        {
            var label = $"a rather long instance label number {i:D3} (abcd)";
            driver.Receive(Announcement(label, $"host-{i:D3}", addresses: [IPAddress.Parse($"192.168.2.{i + 1}")]), MdnsSamples.Peer);
        }

        Assert.Equal(60, ((MdnsBrowser)driver.Agent).Services.Count);
        var at = driver.Now;
        driver.RunUntil(BrowseQueries(driver).Last().AtMs + 1);
        driver.RunUntil(driver.Agent.NextWakeMs);

        var burst = driver.Sent.Where(s => s.AtMs == driver.Now).ToList();
        Assert.True(burst.Count >= 2, $"{burst.Count} packets");
        Assert.Equal(new DnsQuestion(Mdns.ServiceType, DnsType.Ptr), Assert.Single(burst[0].Message.Questions));
        Assert.All(burst.Skip(1), s => Assert.Empty(s.Message.Questions));
        Assert.All(burst.SkipLast(1), s => Assert.True(s.Message.Truncated));
        Assert.False(burst[^1].Message.Truncated);
        Assert.Equal(60, burst.Sum(s => s.Message.Answers.Count));
        Assert.True(at < driver.Now);
    }

    [Fact]
    public void Given_a_flood_of_instances_When_the_cache_is_full_Then_further_records_are_dropped_and_counted()
    {
        var driver = Started();
        var browser = (MdnsBrowser)driver.Agent;

        for (var i = 0; i < MdnsBrowser.MaxCacheEntries + 100; i++)
        {
            driver.Receive(MdnsSamples.Response(new PtrRecord(Mdns.ServiceType, 4500, Mdns.ServiceType.Prepend($"flood {i}"))), MdnsSamples.Peer, poll: false);
        }

        Assert.Equal(MdnsBrowser.MaxCacheEntries, browser.CachedRecordCount);
        Assert.Equal(100, browser.DroppedRecords);
        driver.RunFor(1000); // every query still fits packets (the driver checks)
    }

    [Fact]
    public void Given_a_stopped_browser_When_time_passes_or_responses_arrive_Then_it_does_nothing()
    {
        var driver = Started();
        driver.Stop();
        var sent = driver.Sent.Count;

        driver.Receive(Announcement(), MdnsSamples.Peer);
        driver.RunFor(100_000);

        Assert.Equal(sent, driver.Sent.Count);
        Assert.Empty(Changes(driver));
        Assert.Equal(long.MaxValue, driver.Agent.NextWakeMs);
    }

    /// <summary>A browser started at 0 and run to 1 s (its first query sent).</summary>
    private static AgentDriver Started(MdnsBrowser? browser = null)
    {
        var driver = new AgentDriver(browser ?? new MdnsBrowser(1));
        driver.Start(0);
        driver.RunUntil(1000);
        return driver;
    }

    private static List<ServiceChange> Changes(AgentDriver driver)
    {
        var changes = new List<ServiceChange>();
        ((MdnsBrowser)driver.Agent).TakeChanges(changes);
        return changes;
    }

    private static List<SentMessage> BrowseQueries(AgentDriver driver) =>
        [.. driver.Sent.Where(s => s.Message.Questions.Any(q => q.Name.Equals(Mdns.ServiceType)))];

    /// <summary>What a MeshConf responder announces, built by the responder's own record set.</summary>
    private static DnsMessage Announcement(
        string label = "lighter (c3d4)",
        string hostLabel = "lighter-c3d4",
        string session = "session1",
        TxtRecord? txt = null,
        IPAddress[]? addresses = null)
    {
        var advert = new ServiceAdvert(label, hostLabel, 47001, [("v", "1"), ("s", session), ("id", PeerNodeId), ("fp", "0a0b")], addresses ?? [PeerIpv4, PeerIpv6]);
        var records = new AdvertRecords(advert, label, hostLabel);
        return new DnsMessage
        {
            IsResponse = true,
            Authoritative = true,
            Answers = [.. records.Announced.Select(r => r is TxtRecord && txt is not null ? txt : r)],
            Additionals = records.AnnouncedAdditionals,
        };
    }
}
