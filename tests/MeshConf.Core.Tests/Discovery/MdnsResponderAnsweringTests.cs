using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

public sealed class MdnsResponderAnsweringTests
{
    private static readonly DnsQuestion PtrQuestion = new(Mdns.ServiceType, DnsType.Ptr);

    [Fact]
    public void Given_a_PTR_query_When_answered_Then_the_shared_answer_waits_20_to_120_ms_and_carries_SRV_TXT_and_addresses()
    {
        var delays = new HashSet<long>();
        for (ulong seed = 1; seed <= 32; seed++)
        {
            var driver = MdnsSamples.AnnouncedResponder(seed: seed);
            var responder = (MdnsResponder)driver.Agent;
            driver.RunUntil(10_000);
            var at = driver.Now;

            driver.Receive(MdnsSamples.Query(PtrQuestion), MdnsSamples.Peer);
            Assert.Empty(driver.SentSince(at));
            driver.RunFor(1000);

            var answer = Assert.Single(driver.SentSince(at));
            Assert.InRange(answer.AtMs - at, 20, 120);
            delays.Add(answer.AtMs - at);
            Assert.Null(answer.Destination);
            Assert.Equal([responder.Records.ServicePtr], answer.Message.Answers);
            Assert.Equal(4500u, answer.Message.Answers[0].Ttl);
            Assert.Equal(
                [.. responder.Records.Unique, responder.Records.InstanceNsec, responder.Records.HostNsec],
                answer.Message.Additionals);
        }

        Assert.True(delays.Count > 10, $"the delay is drawn, not fixed: {string.Join(", ", delays)}");
    }

    [Fact]
    public void Given_a_query_for_a_unique_record_When_answered_Then_it_goes_at_once_with_the_addresses_as_additional_records()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var responder = (MdnsResponder)driver.Agent;
        driver.RunUntil(10_000);

        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, DnsType.Srv)), MdnsSamples.Peer);

        var answer = Assert.Single(driver.SentSince(10_000));
        Assert.Equal(10_000, answer.AtMs);
        Assert.Equal([responder.Records.Srv], answer.Message.Answers);
        Assert.Equal([new ARecord(MdnsSamples.Host, 0, MdnsSamples.Ipv4), new AaaaRecord(MdnsSamples.Host, 0, MdnsSamples.Ipv6), responder.Records.HostNsec], answer.Message.Additionals);
        Assert.True(answer.Message.Answers[0].CacheFlush);
    }

    [Theory]
    [InlineData("ANY", "SRV TXT")]
    [InlineData("TXT", "TXT")]
    [InlineData("SRV", "SRV")]
    [InlineData("A", "NSEC")]
    public void Given_a_question_on_the_instance_name_When_answered_Then_the_records_of_that_type_or_an_NSEC_come_back(string type, string expected)
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);

        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, Enum.Parse<DnsType>(type, ignoreCase: true))), MdnsSamples.Peer);

        var answers = Assert.Single(driver.SentSince(10_000)).Message.Answers;
        Assert.Equal(expected, string.Join(' ', answers.Select(r => r.Type.ToString().ToUpperInvariant())));
    }

    [Fact]
    public void Given_a_host_without_IPv6_When_asked_for_AAAA_Then_an_NSEC_says_only_A_exists()
    {
        var driver = MdnsSamples.AnnouncedResponder(MdnsSamples.Advert(47000, MdnsSamples.Ipv4));
        driver.RunUntil(10_000);

        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Host, DnsType.Aaaa)), MdnsSamples.Peer);

        var nsec = Assert.IsType<NsecRecord>(Assert.Single(Assert.Single(driver.SentSince(10_000)).Message.Answers));
        Assert.Equal([DnsType.A], nsec.Types);
        Assert.Equal(MdnsSamples.Host, nsec.Name);
    }

    [Fact]
    public void Given_queries_from_two_hosts_within_the_delay_When_answered_Then_one_response_aggregates_both()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var responder = (MdnsResponder)driver.Agent;
        driver.RunUntil(10_000);

        driver.Receive(MdnsSamples.Query(PtrQuestion), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Query(new DnsQuestion(Mdns.ServiceTypeEnumeration, DnsType.Ptr)), MdnsSamples.OtherPeer);
        driver.RunFor(1000);

        var answer = Assert.Single(driver.SentSince(10_000));
        Assert.Equal([responder.Records.ServicePtr, responder.Records.EnumerationPtr], answer.Message.Answers);
    }

    [Theory]
    [InlineData(2250u, false)]
    [InlineData(4500u, false)]
    [InlineData(2249u, true)]
    public void Given_a_query_listing_our_PTR_as_a_known_answer_When_answered_Then_it_is_suppressed_only_with_at_least_half_our_TTL(uint knownTtl, bool answered)
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);
        var query = new DnsMessage { Questions = [PtrQuestion], Answers = [new PtrRecord(Mdns.ServiceType, knownTtl, MdnsSamples.Instance)] };

        driver.Receive(query, MdnsSamples.Peer);
        driver.RunFor(1000);

        Assert.Equal(answered, driver.SentSince(10_000).Count == 1);
    }

    [Fact]
    public void Given_a_known_answer_for_another_instance_When_answered_Then_ours_still_goes_out()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);
        var query = new DnsMessage { Questions = [PtrQuestion], Answers = [new PtrRecord(Mdns.ServiceType, 4500, Mdns.ServiceType.Prepend("someone else"))] };

        driver.Receive(query, MdnsSamples.Peer);
        driver.RunFor(1000);

        Assert.Single(driver.SentSince(10_000));
    }

    [Fact]
    public void Given_a_record_multicast_less_than_a_second_ago_When_asked_again_Then_it_is_not_multicast_again_until_a_second_has_passed()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);
        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, DnsType.Srv)), MdnsSamples.Peer);
        Assert.Single(driver.SentSince(10_000));

        driver.RunUntil(10_999);
        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, DnsType.Srv)), MdnsSamples.OtherPeer);
        Assert.Empty(driver.SentSince(10_001));

        driver.RunUntil(11_000);
        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, DnsType.Srv)), MdnsSamples.OtherPeer);
        Assert.Single(driver.SentSince(10_001));
    }

    [Fact]
    public void Given_a_QU_question_for_a_record_multicast_within_a_quarter_of_its_TTL_When_answered_Then_the_answer_is_unicast_to_the_querier()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var announced = driver.Sent.Last(s => s.Message.IsResponse).AtMs;
        driver.RunUntil(announced + 29_000); // SRV: 120 s TTL, a quarter is 30 s

        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, DnsType.Srv, UnicastResponse: true)), MdnsSamples.Peer);

        var answer = Assert.Single(driver.SentSince(announced + 29_000));
        Assert.Equal(MdnsSamples.Peer, answer.Destination);
        Assert.Equal(0, answer.Message.Id);
        Assert.Empty(answer.Message.Questions);
        Assert.Equal(DnsType.Srv, Assert.Single(answer.Message.Answers).Type);
        Assert.Equal(120u, answer.Message.Answers[0].Ttl);
    }

    [Fact]
    public void Given_a_QU_question_for_a_record_not_multicast_for_a_quarter_of_its_TTL_When_answered_Then_it_is_multicast_to_refresh_every_cache()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var announced = driver.Sent.Last(s => s.Message.IsResponse).AtMs;
        driver.RunUntil(announced + 31_000);

        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, DnsType.Srv, UnicastResponse: true)), MdnsSamples.Peer);

        var answer = Assert.Single(driver.SentSince(announced + 31_000));
        Assert.Null(answer.Destination);

        // Now multicast recently: the same QU question gets a unicast answer.
        driver.RunFor(2000);
        driver.Receive(MdnsSamples.Query(new DnsQuestion(MdnsSamples.Instance, DnsType.Srv, UnicastResponse: true)), MdnsSamples.Peer);
        Assert.Equal(MdnsSamples.Peer, driver.Sent[^1].Destination);
    }

    [Fact]
    public void Given_a_legacy_unicast_query_When_answered_Then_the_reply_goes_to_its_port_with_its_id_and_question_short_TTLs_and_no_cache_flush()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);
        var query = new DnsMessage { Id = 0x1234, RecursionDesired = true, Questions = [PtrQuestion] };

        driver.Receive(query, MdnsSamples.LegacyResolver);

        var reply = Assert.Single(driver.SentSince(10_000));
        Assert.Equal(10_000, reply.AtMs);
        Assert.Equal(MdnsSamples.LegacyResolver, reply.Destination);
        Assert.Equal(0x1234, reply.Message.Id);
        Assert.True(reply.Message.IsResponse);
        Assert.Equal([PtrQuestion], reply.Message.Questions);
        Assert.Equal(new PtrRecord(Mdns.ServiceType, 0, MdnsSamples.Instance), Assert.Single(reply.Message.Answers));
        Assert.NotEmpty(reply.Message.Additionals);
        Assert.All(reply.Message.Answers.Concat(reply.Message.Additionals), r =>
        {
            Assert.Equal(10u, r.Ttl);
            Assert.False(r.CacheFlush);
        });
    }

    [Fact]
    public void Given_a_legacy_unicast_query_right_after_an_announcement_When_answered_Then_the_multicast_rate_limit_does_not_apply()
    {
        var driver = MdnsSamples.AnnouncedResponder(stopAtLastAnnouncement: true);
        var announced = driver.Sent.Last(s => s.Message.IsResponse).AtMs;
        driver.RunUntil(announced + 1);

        driver.Receive(new DnsMessage { Id = 7, Questions = [new DnsQuestion(MdnsSamples.Host, DnsType.A)] }, MdnsSamples.LegacyResolver);

        var reply = Assert.Single(driver.SentSince(announced + 1));
        Assert.Equal(new ARecord(MdnsSamples.Host, 0, MdnsSamples.Ipv4), Assert.Single(reply.Message.Answers));
    }

    [Fact]
    public void Given_a_probe_for_our_name_right_after_announcing_When_received_Then_we_defend_at_once_by_multicast()
    {
        var driver = MdnsSamples.AnnouncedResponder(stopAtLastAnnouncement: true);
        var responder = (MdnsResponder)driver.Agent;
        var announced = driver.Sent.Last(s => s.Message.IsResponse).AtMs;
        driver.RunUntil(announced + 10);

        driver.Receive(MdnsSamples.ProbeFor(MdnsSamples.Instance, 5000), MdnsSamples.Peer);

        var defence = Assert.Single(driver.SentSince(announced + 10));
        Assert.Equal(announced + 10, defence.AtMs);
        Assert.Null(defence.Destination);
        Assert.Contains(responder.Records.Srv, defence.Message.Answers);
        Assert.Contains(responder.Records.Txt, defence.Message.Answers);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
    }

    [Fact]
    public void Given_a_truncated_query_When_its_remaining_known_answers_arrive_Then_the_answer_waits_400_to_500_ms_and_is_suppressed()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);

        driver.Receive(new DnsMessage { Truncated = true, Questions = [PtrQuestion] }, MdnsSamples.Peer);
        Assert.InRange(driver.Agent.NextWakeMs - 10_000, 400, 500);
        driver.RunFor(100);
        driver.Receive(new DnsMessage { Answers = [new PtrRecord(Mdns.ServiceType, 4000, MdnsSamples.Instance)] }, MdnsSamples.Peer);
        driver.RunFor(1000);

        Assert.Empty(driver.SentSince(10_000));
    }

    [Fact]
    public void Given_a_truncated_query_for_a_unique_record_When_answered_Then_it_too_waits_for_the_known_answers()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);

        driver.Receive(new DnsMessage { Truncated = true, Questions = [new DnsQuestion(MdnsSamples.Instance, DnsType.Srv)] }, MdnsSamples.Peer);
        driver.RunFor(1000);

        var answer = Assert.Single(driver.SentSince(10_000));
        Assert.InRange(answer.AtMs - 10_000, 400, 500);
        Assert.Equal(DnsType.Srv, Assert.Single(answer.Message.Answers).Type);
    }

    [Fact]
    public void Given_a_truncated_query_When_another_host_lists_the_known_answer_Then_the_first_querier_still_gets_its_answer()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        driver.RunUntil(10_000);

        driver.Receive(new DnsMessage { Truncated = true, Questions = [PtrQuestion] }, MdnsSamples.Peer);
        driver.Receive(new DnsMessage { Answers = [new PtrRecord(Mdns.ServiceType, 4000, MdnsSamples.Instance)] }, MdnsSamples.OtherPeer);
        driver.RunFor(1000);

        var answer = Assert.Single(driver.SentSince(10_000));
        Assert.InRange(answer.AtMs - 10_000, 400, 500);
    }

    [Fact]
    public void Given_a_pending_shared_answer_When_another_responder_multicasts_the_same_record_first_Then_ours_is_not_sent()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var responder = (MdnsResponder)driver.Agent;
        driver.RunUntil(10_000);

        driver.Receive(MdnsSamples.Query(new DnsQuestion(Mdns.ServiceTypeEnumeration, DnsType.Ptr)), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Response(responder.Records.EnumerationPtr), MdnsSamples.OtherPeer);
        driver.RunFor(1000);

        Assert.Empty(driver.SentSince(10_000));
    }

    [Fact]
    public void Given_another_hosts_goodbye_for_a_record_we_also_hold_When_seen_Then_we_announce_it_again()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var responder = (MdnsResponder)driver.Agent;
        driver.RunUntil(10_000);

        // Another MeshConf node leaves; its goodbye covers the shared service-type enumeration PTR we also publish.
        driver.Receive(MdnsSamples.Response(new PtrRecord(Mdns.ServiceTypeEnumeration, 0, Mdns.ServiceType)), MdnsSamples.Peer);
        driver.RunFor(1000);

        var answer = Assert.Single(driver.SentSince(10_000));
        Assert.Null(answer.Destination);
        Assert.Equal([responder.Records.EnumerationPtr], answer.Message.Answers);
        Assert.Equal(4500u, answer.Message.Answers[0].Ttl);
    }

    [Fact]
    public void Given_a_probing_responder_When_queried_for_its_names_Then_it_does_not_answer()
    {
        var driver = new AgentDriver(new MdnsResponder(MdnsSamples.Advert(), 5));
        driver.Start(0);
        driver.RunUntil(100);
        var before = driver.Sent.Count;

        driver.Receive(MdnsSamples.Query(PtrQuestion, new DnsQuestion(MdnsSamples.Instance, DnsType.Any)), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Query(PtrQuestion), MdnsSamples.LegacyResolver);
        driver.RunUntil(150);

        Assert.Equal(before, driver.Sent.Count);
    }

    [Fact]
    public void Given_irrelevant_or_invalid_traffic_When_received_Then_nothing_is_sent_and_invalid_messages_are_counted()
    {
        var driver = MdnsSamples.AnnouncedResponder();
        var responder = (MdnsResponder)driver.Agent;
        driver.RunUntil(10_000);

        driver.Receive(MdnsSamples.Query(new DnsQuestion(DnsName.Parse("_http._tcp.local"), DnsType.Ptr)), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Query(new DnsQuestion(DnsName.Parse("printer.local"), DnsType.A)), MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Response(new PtrRecord(DnsName.Parse("_http._tcp.local"), 4500, DnsName.Parse("web._http._tcp.local"))), MdnsSamples.Peer);
        driver.Receive(new DnsMessage { Opcode = 5, Questions = [PtrQuestion] }, MdnsSamples.Peer);
        driver.Receive(new DnsMessage { Rcode = 3, Questions = [PtrQuestion] }, MdnsSamples.Peer);
        driver.Receive(MdnsSamples.Response(new SrvRecord(MdnsSamples.Instance, 120, 0, 0, 1, DnsName.Parse("x.local"))), MdnsSamples.LegacyResolver);
        driver.RunFor(2000);

        Assert.Empty(driver.SentSince(10_000));
        Assert.Equal(3, responder.IgnoredMessages);
        Assert.Equal(MdnsResponderState.Announced, responder.State);
    }

    [Fact]
    public void Given_the_largest_advert_When_probing_and_announcing_Then_every_message_fits_a_packet_and_every_record_goes_out()
    {
        IPAddress[] addresses = [MdnsSamples.Ipv4, .. Enumerable.Range(1, ServiceAdvert.MaxAddresses - 1).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))];
        var advert = new ServiceAdvert("darker (a1b2)", "darker-a1b2", 47000, [("v", "1"), ("big", new string('x', 240)), ("more", new string('y', 240)), ("most", new string('z', 240))], addresses);

        var driver = MdnsSamples.AnnouncedResponder(advert); // the driver fails the test if a message does not fit
        var firstProbe = driver.Sent.First(s => s.IsProbe).AtMs;
        var firstAnnouncement = driver.Sent.First(s => s.Message.IsResponse).AtMs;

        Assert.Equal(2, driver.Sent.Count(s => s.AtMs == firstProbe));
        var announcement = driver.Sent.Where(s => s.AtMs == firstAnnouncement).ToList();
        Assert.True(announcement.Count > 1);
        Assert.Equal(2 + 2 + addresses.Length, announcement.Sum(s => s.Message.Answers.Count));
    }

    [Fact]
    public void Given_a_probe_split_per_name_When_another_host_tiebreaks_Then_each_packet_holds_a_whole_name()
    {
        IPAddress[] addresses = [.. Enumerable.Range(1, ServiceAdvert.MaxAddresses).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))];
        var advert = new ServiceAdvert("darker (a1b2)", "darker-a1b2", 47000, [("big", new string('x', 240)), ("more", new string('y', 240))], addresses);
        var driver = new AgentDriver(new MdnsResponder(advert, 3));
        driver.Start(0);
        driver.RunUntil(250);

        var probes = driver.Sent.Where(s => s.IsProbe).ToList();

        Assert.Equal(2, probes.Count);
        Assert.All(probes, p => Assert.All(p.Message.Authorities, r => Assert.Equal(Assert.Single(p.Message.Questions).Name, r.Name)));
        Assert.Equal(ServiceAdvert.MaxAddresses, probes[1].Message.Authorities.Count);
    }
}
