using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

public sealed class MdnsResponderProbingTests
{
    [Fact]
    public void Given_a_started_responder_When_time_passes_Then_three_probes_go_out_250_ms_apart_after_a_random_0_to_250_ms()
    {
        var starts = new HashSet<long>();
        for (ulong seed = 1; seed <= 32; seed++)
        {
            var driver = new AgentDriver(new MdnsResponder(MdnsSamples.Advert(), seed));
            driver.Start(10_000);
            driver.RunUntil(12_000);

            var probes = driver.Sent.Where(s => s.IsProbe).ToList();
            Assert.Equal(3, probes.Count);
            Assert.InRange(probes[0].AtMs, 10_000, 10_250);
            Assert.Equal(250, probes[1].AtMs - probes[0].AtMs);
            Assert.Equal(250, probes[2].AtMs - probes[1].AtMs);
            starts.Add(probes[0].AtMs);
        }

        Assert.True(starts.Count > 10, $"the start delay is drawn, not fixed: {string.Join(", ", starts)}");
    }

    [Fact]
    public void Given_a_probe_When_read_Then_it_asks_QU_ANY_for_both_names_and_proposes_the_unique_records_without_cache_flush()
    {
        var driver = new AgentDriver(new MdnsResponder(MdnsSamples.Advert(), 7));
        driver.Start(0);
        driver.RunUntil(250);

        var probe = Assert.Single(driver.Sent);
        Assert.Null(probe.Destination);
        Assert.Equal(
            [new DnsQuestion(MdnsSamples.Instance, DnsType.Any, true), new DnsQuestion(MdnsSamples.Host, DnsType.Any, true)],
            probe.Message.Questions);
        Assert.Empty(probe.Message.Answers);
        Assert.Equal(
            [DnsType.A, DnsType.Txt, DnsType.Aaaa, DnsType.Srv],
            probe.Message.Authorities.Select(r => r.Type).Order());
        Assert.All(probe.Message.Authorities, r => Assert.False(r.CacheFlush));
        Assert.Contains(new SrvRecord(MdnsSamples.Instance, 120, 0, 0, 47000, MdnsSamples.Host), probe.Message.Authorities);
        Assert.Contains(new ARecord(MdnsSamples.Host, 120, MdnsSamples.Ipv4), probe.Message.Authorities);
    }

    [Fact]
    public void Given_probing_without_conflict_When_it_ends_Then_two_announcements_one_second_apart_start_250_ms_after_the_third_probe()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 3);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        Assert.Equal(MdnsResponderState.Probing, responder.State);

        driver.RunUntil(60_000);

        var probes = driver.Sent.Where(s => s.IsProbe).ToList();
        var announcements = driver.Sent.Where(s => s.Message.IsResponse).ToList();
        Assert.Equal(2, announcements.Count);
        Assert.Equal(probes[2].AtMs + 250, announcements[0].AtMs);
        Assert.Equal(announcements[0].AtMs + 1000, announcements[1].AtMs);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
        Assert.Equal(long.MaxValue, responder.NextWakeMs);
    }

    [Fact]
    public void Given_the_announcing_phase_When_polled_between_announcements_Then_the_state_says_announcing()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 3);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(200);
        Assert.Equal(MdnsResponderState.Probing, responder.State);

        while (!driver.Sent.Any(s => s.Message.IsResponse))
        {
            driver.RunUntil(responder.NextWakeMs);
        }

        var firstAnnouncement = driver.Sent.Single(s => s.Message.IsResponse);
        Assert.Equal(MdnsResponderState.Announcing, responder.State);
        driver.RunUntil(firstAnnouncement.AtMs + 999);
        Assert.Equal(MdnsResponderState.Announcing, responder.State);
        driver.RunUntil(firstAnnouncement.AtMs + 1000);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
    }

    [Fact]
    public void Given_an_announcement_When_read_Then_it_holds_every_record_with_RFC_6762_TTLs_and_cache_flush_on_the_unique_ones()
    {
        var driver = MdnsSamples.AnnouncedResponder();

        var announcement = driver.Sent.First(s => s.Message.IsResponse).Message;

        Assert.True(announcement.Authoritative);
        Assert.Equal(0, announcement.Id);
        Assert.Empty(announcement.Questions);
        var expected = new (DnsRecord Record, uint Ttl, bool Flush)[]
        {
            (new PtrRecord(Mdns.ServiceTypeEnumeration, 0, Mdns.ServiceType), 4500, false),
            (new PtrRecord(Mdns.ServiceType, 0, MdnsSamples.Instance), 4500, false),
            (new SrvRecord(MdnsSamples.Instance, 0, 0, 0, 47000, MdnsSamples.Host), 120, true),
            (TxtRecord.FromProperties(MdnsSamples.Instance, 0, [("v", "1"), ("s", "session1"), ("id", MdnsSamples.NodeId), ("fp", MdnsSamples.Fingerprint)]), 4500, true),
            (new ARecord(MdnsSamples.Host, 0, MdnsSamples.Ipv4), 120, true),
            (new AaaaRecord(MdnsSamples.Host, 0, MdnsSamples.Ipv6), 120, true),
        };
        Assert.Equal(expected.Length, announcement.Answers.Count);
        foreach (var (record, ttl, flush) in expected)
        {
            var found = Assert.Single(announcement.Answers, r => r.Equals(record));
            Assert.Equal(ttl, found.Ttl);
            Assert.Equal(flush, found.CacheFlush);
        }

        var nsecs = announcement.Additionals.Cast<NsecRecord>().ToList();
        Assert.Equal([DnsType.Txt, DnsType.Srv], nsecs.Single(n => n.Name.Equals(MdnsSamples.Instance)).Types);
        Assert.Equal([DnsType.A, DnsType.Aaaa], nsecs.Single(n => n.Name.Equals(MdnsSamples.Host)).Types);
    }

    [Fact]
    public void Given_probing_When_a_response_holds_our_instance_name_with_other_rdata_Then_the_instance_is_renamed_and_probed_again()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(300);
        var at = driver.Now;

        driver.Receive(MdnsSamples.Response(new SrvRecord(MdnsSamples.Instance, 120, 0, 0, 9999, DnsName.Parse("other.local"), cacheFlush: true)), MdnsSamples.Peer);

        Assert.Equal("darker (a1b2) (2)", responder.InstanceLabel);
        Assert.Equal(Mdns.ServiceType.Prepend("darker (a1b2) (2)"), responder.FullName);
        Assert.Equal(MdnsSamples.Host, responder.HostName);
        Assert.Equal(1, responder.RenameCount);
        Assert.Equal(1, responder.ConflictCount);
        Assert.Equal(MdnsResponderState.Probing, responder.State);

        driver.RunUntil(at + 2000);
        var probes = driver.SentSince(at).Where(s => s.IsProbe).ToList();
        Assert.Equal(3, probes.Count);
        Assert.InRange(probes[0].AtMs - at, 0, 250);
        Assert.All(probes, p => Assert.Equal(responder.FullName, p.Message.Questions[0].Name));
        var announcement = driver.SentSince(at).First(s => s.Message.IsResponse).Message;
        Assert.Contains(new PtrRecord(Mdns.ServiceType, 0, responder.FullName), announcement.Answers);
        Assert.DoesNotContain(announcement.Answers, r => r.Name.Equals(MdnsSamples.Instance));
    }

    [Fact]
    public void Given_repeated_conflicts_When_renaming_Then_names_count_up_from_two()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        var seen = new List<string>();

        for (var i = 0; i < 3; i++)
        {
            driver.RunFor(300);
            driver.Receive(MdnsSamples.Response(new SrvRecord(responder.FullName, 120, 0, 0, 1, DnsName.Parse("x.local"))), MdnsSamples.Peer);
            seen.Add(responder.InstanceLabel);
        }

        Assert.Equal(["darker (a1b2) (2)", "darker (a1b2) (3)", "darker (a1b2) (4)"], seen);
    }

    [Fact]
    public void Given_probing_When_a_response_holds_our_host_name_with_another_address_Then_only_the_host_label_is_renamed()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(300);

        driver.Receive(MdnsSamples.Response(new ARecord(MdnsSamples.Host, 120, IPAddress.Parse("192.168.1.99"), cacheFlush: true)), MdnsSamples.Peer);

        Assert.Equal(DnsName.Parse("darker-a1b2-2.local"), responder.HostName);
        Assert.Equal(MdnsSamples.Instance, responder.FullName);
        Assert.Equal(responder.HostName, responder.Records.Srv.Target);
        driver.RunFor(3000);
        Assert.Contains(driver.Sent.Last(s => s.Message.IsResponse).Message.Answers, r => r is ARecord a && a.Name.Equals(DnsName.Parse("darker-a1b2-2.local")));
    }

    [Fact]
    public void Given_probing_When_an_avahi_published_service_with_our_instance_name_answers_Then_ours_renames_and_announces_the_new_name()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 11);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(260);

        driver.Receive(MdnsSamples.AvahiAnnouncement(MdnsSamples.Instance), MdnsSamples.Peer);
        driver.RunFor(5000);

        Assert.Equal("darker (a1b2) (2)", responder.InstanceLabel);
        Assert.Equal(MdnsSamples.Host, responder.HostName);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
        var last = driver.Sent.Last(s => s.Message.IsResponse).Message;
        Assert.Contains(last.Answers, r => r is SrvRecord srv && srv.Name.Equals(Mdns.ServiceType.Prepend("darker (a1b2) (2)")));
    }

    [Fact]
    public void Given_probing_When_a_response_holds_our_own_records_or_a_goodbye_Then_it_is_no_conflict()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(300);

        // Our very records (from our other interface on the same link), and another's departing record at TTL 0.
        driver.Receive(MdnsSamples.Response([.. responder.Records.Unique]), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Response(new SrvRecord(MdnsSamples.Instance, 0, 0, 0, 1, DnsName.Parse("gone.local"), cacheFlush: true)), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Response(new ARecord(DnsName.Parse("unrelated.local"), 120, IPAddress.Parse("192.168.1.99"))), MdnsSamples.Peer);
        driver.RunFor(3000);

        Assert.Equal(0, responder.RenameCount);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
    }

    [Fact]
    public void Given_fifteen_conflicts_within_ten_seconds_When_probing_restarts_Then_it_waits_five_seconds()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        var waits = new List<long>();

        for (var i = 0; i < 16; i++)
        {
            driver.RunUntil(responder.NextWakeMs);
            Assert.True(driver.Sent[^1].IsProbe);
            driver.RunFor(10);
            var conflictAt = driver.Now;
            driver.Receive(MdnsSamples.Response(new SrvRecord(responder.FullName, 120, 0, 0, 1, DnsName.Parse("x.local"))), MdnsSamples.Peer, poll: false);
            waits.Add(responder.NextWakeMs - conflictAt);
        }

        Assert.Equal(16, responder.ConflictCount);
        Assert.All(waits.Take(14), w => Assert.InRange(w, 0, 250));
        Assert.All(waits.Skip(14), w => Assert.Equal(5000, w));
    }

    [Fact]
    public void Given_a_simultaneous_probe_with_later_data_When_tiebroken_Then_ours_waits_one_second_and_probes_again()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(driver.Agent.NextWakeMs); // first probe
        var at = driver.Now + 5;
        driver.RunUntil(at);

        // Same instance name; SRV 0 0 47001 is later than our 0 0 47000 (RFC 6762 §8.2).
        driver.Receive(MdnsSamples.ProbeFor(MdnsSamples.Instance, 47001, "darker-a1b2"), MdnsSamples.Peer);

        Assert.Equal(1, responder.TiebreaksLost);
        Assert.Equal(at + 1000, responder.NextWakeMs);
        driver.RunUntil(at + 999);
        Assert.Empty(driver.SentSince(at));
        driver.RunUntil(at + 1600);
        var probes = driver.SentSince(at).Where(s => s.IsProbe).Select(s => s.AtMs - at).ToList();
        Assert.Equal([1000, 1250, 1500], probes);
        Assert.Equal(0, responder.RenameCount);
    }

    [Fact]
    public void Given_a_lost_tiebreak_When_the_winner_announces_Then_ours_renames()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(driver.Agent.NextWakeMs);
        driver.Receive(MdnsSamples.ProbeFor(MdnsSamples.Instance, 47001, "darker-a1b2"), MdnsSamples.Peer);

        driver.RunFor(500);
        driver.Receive(MdnsSamples.AvahiAnnouncement(MdnsSamples.Instance, "darker-a1b2", 47001), MdnsSamples.Peer);

        Assert.Equal("darker (a1b2) (2)", responder.InstanceLabel);
        Assert.Equal(1, responder.RenameCount);
    }

    [Fact]
    public void Given_a_simultaneous_probe_with_earlier_data_When_tiebroken_Then_ours_keeps_probing_on_schedule()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(driver.Agent.NextWakeMs);
        var first = driver.Now;
        var next = responder.NextWakeMs;

        driver.Receive(MdnsSamples.ProbeFor(MdnsSamples.Instance, 46999, "darker-a1b2"), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.ProbeFor(MdnsSamples.Instance, 47000, "aaa"), MdnsSamples.Peer); // same port, earlier target

        Assert.Equal(next, responder.NextWakeMs);
        driver.RunFor(2000);
        Assert.Equal(0, responder.TiebreaksLost);
        Assert.Equal(first + 750, driver.Sent.First(s => s.Message.IsResponse).AtMs);
    }

    [Fact]
    public void Given_a_simultaneous_probe_with_identical_data_When_tiebroken_Then_it_is_the_same_host_and_nothing_changes()
    {
        var responder = new MdnsResponder(MdnsSamples.Advert(), 5);
        var driver = new AgentDriver(responder);
        driver.Start(0);
        driver.RunUntil(driver.Agent.NextWakeMs);
        var ours = driver.Sent[0].Message;

        driver.Receive(ours, MdnsSamples.Peer);
        driver.RunFor(2000);

        Assert.Equal(0, responder.TiebreaksLost);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
    }

    [Fact]
    public void Given_proposals_When_compared_Then_the_first_differing_record_decides_and_a_longer_list_wins_a_common_prefix()
    {
        var srv = new SrvRecord(MdnsSamples.Instance, 120, 0, 0, 47000, MdnsSamples.Host);
        var laterSrv = new SrvRecord(MdnsSamples.Instance, 120, 0, 0, 47001, MdnsSamples.Host);
        var txt = TxtRecord.FromProperties(MdnsSamples.Instance, 4500, [("v", "1")]);

        Assert.True(MdnsResponder.CompareProposals([srv], [laterSrv]) < 0);
        Assert.True(MdnsResponder.CompareProposals([laterSrv], [srv]) > 0);
        Assert.True(MdnsResponder.CompareProposals([srv, txt], [srv]) > 0);
        Assert.True(MdnsResponder.CompareProposals([srv], [srv, txt]) < 0);
        Assert.Equal(0, MdnsResponder.CompareProposals([srv, txt], [srv.WithTtl(1, true), txt]));
    }

    [Fact]
    public void Given_an_announced_responder_When_a_response_claims_our_SRV_with_other_rdata_Then_it_probes_again_and_renames_when_defended()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var responder = (MdnsResponder)driver.Agent;
        var at = driver.Now;
        var foreign = MdnsSamples.AvahiAnnouncement(MdnsSamples.Instance, "otherbox", 5000);

        driver.Receive(foreign, MdnsSamples.Peer);

        Assert.Equal(MdnsResponderState.Probing, responder.State);
        Assert.Equal("darker (a1b2)", responder.InstanceLabel);
        driver.RunUntil(at + 250);
        Assert.NotEmpty(driver.SentSince(at));
        Assert.All(driver.SentSince(at), s => Assert.True(s.IsProbe));

        driver.Receive(foreign, MdnsSamples.Peer); // the other host defends its name
        driver.RunFor(5000);

        Assert.Equal("darker (a1b2) (2)", responder.InstanceLabel);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
        Assert.Equal(2, responder.ConflictCount);
    }

    [Fact]
    public void Given_an_announced_responder_When_stopped_Then_it_sends_every_record_at_TTL_0_and_falls_silent()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var responder = (MdnsResponder)driver.Agent;
        var at = driver.Now;

        driver.Stop();

        var goodbye = Assert.Single(driver.SentSince(at));
        Assert.Null(goodbye.Destination);
        Assert.True(goodbye.Message.IsResponse);
        Assert.Equal(responder.Records.Announced.Count, goodbye.Message.Answers.Count);
        Assert.All(responder.Records.Announced, r => Assert.Contains(r, goodbye.Message.Answers));
        Assert.All(goodbye.Message.Answers, r => Assert.Equal(0u, r.Ttl));
        Assert.Equal(MdnsResponderState.Stopped, responder.State);
        Assert.Equal(long.MaxValue, responder.NextWakeMs);

        driver.Receive(MdnsSamples.Query(new DnsQuestion(Mdns.ServiceType, DnsType.Ptr)), MdnsSamples.Peer);
        driver.RunFor(10_000);
        Assert.Single(driver.SentSince(at));
    }

    [Fact]
    public void Given_a_probing_responder_When_stopped_Then_it_sends_nothing_since_the_names_were_never_claimed()
    {
        var driver = new AgentDriver(new MdnsResponder(MdnsSamples.Advert(), 5));
        driver.Start(0);
        driver.RunUntil(400);
        var count = driver.Sent.Count;

        driver.Stop();
        driver.RunFor(5000);

        Assert.Equal(count, driver.Sent.Count);
    }
}
