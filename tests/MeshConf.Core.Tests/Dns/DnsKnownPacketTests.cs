using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Dns;

/// <summary>Packets fixed by someone else: examples from the RFCs and captures from real devices.</summary>
public sealed class DnsKnownPacketTests
{
    [Fact]
    public void Given_the_RFC_1035_compression_example_When_read_and_written_Then_the_names_and_the_exact_bytes_match()
    {
        // RFC 1035 §4.1.4: F.ISI.ARPA in full, FOO.F.ISI.ARPA as FOO and a pointer to it, ARPA as a pointer into
        // it, and the root, here as the owners of four A records.
        byte[] fixedPart = [0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, 4, 192, 0, 2, 1];
        byte[] packet =
        [
            0, 0, 0x84, 0, 0, 0, 0, 4, 0, 0, 0, 0,
            1, (byte)'F', 3, .. "ISI"u8, 4, .. "ARPA"u8, 0, .. fixedPart, // offset 12; ARPA at 18
            3, .. "FOO"u8, 0xC0, 12, .. fixedPart,
            0xC0, 18, .. fixedPart,
            0, .. fixedPart,
        ];

        Assert.True(DnsMessage.TryRead(packet, out var message, out var error), error);

        Assert.Equal(["F.ISI.ARPA", "FOO.F.ISI.ARPA", "ARPA", "."], message.Answers.Select(r => r.Name.ToString()));
        Assert.All(message.Answers, r => Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.IsType<ARecord>(r).Address));
        Assert.Equal(packet, message.ToArray());
    }

    [Fact]
    public void Given_the_RFC_4034_NSEC_example_When_read_Then_the_types_and_the_uncompressed_rdata_match()
    {
        // RFC 4034 §4.3: alfa.example.com. 86400 IN NSEC host.example.com. (A MX RRSIG NSEC TYPE1234)
        byte[] rdata =
        [
            4, .. "host"u8, 7, .. "example"u8, 3, .. "com"u8, 0,
            0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03,
            0x04, 0x1B, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
        ];
        byte[] packet =
        [
            0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
            4, .. "alfa"u8, 7, .. "example"u8, 3, .. "com"u8, 0,
            0, 47, 0, 1, 0, 1, 0x51, 0x80, 0, (byte)rdata.Length, .. rdata,
        ];

        Assert.True(DnsMessage.TryRead(packet, out var message, out var error), error);

        var nsec = Assert.IsType<NsecRecord>(Assert.Single(message.Answers));
        Assert.Equal(86400u, nsec.Ttl);
        Assert.Equal(DnsName.Parse("host.example.com"), nsec.NextName);
        Assert.Equal([DnsType.A, (DnsType)15, (DnsType)46, DnsType.Nsec, (DnsType)1234], nsec.Types);
        Assert.Equal(rdata, nsec.RdataToArray());
        var rewritten = message.ToArray();
        Assert.True(rewritten.Length < packet.Length, "the next name shares example.com with the owner");
        Assert.True(DnsMessage.TryRead(rewritten, out var again, out _));
        DnsAssert.Identical(message, again);
    }

    [Fact]
    public void Given_an_Echo_announcement_capture_When_read_Then_its_records_are_there_and_writing_it_gives_the_same_bytes()
    {
        Assert.True(DnsMessage.TryRead(DnsSamples.EchoCapture, out var message, out var error), error);

        Assert.True(message.IsResponse);
        Assert.True(message.Authoritative);
        Assert.Equal(0, message.SkippedCount);
        var instance = DnsName.Parse("_service._amzn-alexa._tcp.local");
        var ptr = Assert.IsType<PtrRecord>(message.Answers[0]);
        Assert.Equal(DnsName.Parse("_amzn-alexa._tcp.local"), ptr.Name);
        Assert.Equal(instance, ptr.Target);
        Assert.False(ptr.CacheFlush);
        var txt = Assert.IsType<TxtRecord>(message.Answers[1]);
        Assert.True(txt.TryGetValue("version", out var version));
        Assert.Equal("1", version);
        var srv = Assert.IsType<SrvRecord>(message.Answers[2]);
        Assert.Equal(instance, srv.Name);
        Assert.Equal(6543, srv.Port);
        Assert.Equal(DnsName.Parse("avs-ffreg-1654475683.local"), srv.Target);
        Assert.True(srv.CacheFlush);
        var a = Assert.IsType<ARecord>(message.Answers[3]);
        Assert.Equal(srv.Target, a.Name);
        Assert.Equal(IPAddress.Parse("192.168.1.6"), a.Address);

        // The device compressed every name just as this writer does, so the bytes come out the same.
        Assert.Equal(DnsSamples.EchoCapture, message.ToArray());
    }

    [Fact]
    public void Given_a_Mac_reverse_mapping_capture_When_read_Then_PTRs_and_compressed_NSECs_are_read_and_the_OPT_record_skipped()
    {
        Assert.True(DnsMessage.TryRead(DnsSamples.MacReverseMappingCapture, out var message, out var error), error);

        Assert.Equal(1, message.SkippedCount);
        var zalmoid = DnsName.Parse("Zalmoid.local");
        Assert.Equal(3, message.Answers.Count);
        Assert.All(message.Answers, r => Assert.Equal(zalmoid, Assert.IsType<PtrRecord>(r).Target));
        Assert.All(message.Answers, r => Assert.True(r.CacheFlush));
        Assert.Equal(DnsName.Parse("136.0.168.192.in-addr.arpa"), message.Answers[2].Name);
        Assert.True(message.Answers[0].Name.IsSubdomainOf(DnsName.Parse("ip6.arpa")));
        Assert.Equal(34, message.Answers[0].Name.LabelCount);

        Assert.Equal(3, message.Additionals.Count);
        for (var i = 0; i < 3; i++)
        {
            var nsec = Assert.IsType<NsecRecord>(message.Additionals[i]);
            Assert.Equal(message.Answers[i].Name, nsec.Name);
            Assert.Equal(nsec.Name, nsec.NextName);
            Assert.Equal([DnsType.Ptr], nsec.Types);
            Assert.Equal(120u, nsec.Ttl);
        }

        Assert.True(DnsMessage.TryRead(message.ToArray(), out var again, out _));
        DnsAssert.Identical(message, again);
    }

    [Fact]
    public void Given_a_legacy_unicast_query_with_an_id_and_RD_When_read_and_written_Then_it_is_an_ordinary_message_kept_byte_for_byte()
    {
        // RFC 6762 §6.7: a plain resolver asking port 5353 directly; here it is just a message with an id.
        byte[] packet = [0x5A, 0x3C, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 11, .. "darker-a1b2"u8, 5, .. "local"u8, 0, 0, 1, 0, 1];

        Assert.True(DnsMessage.TryRead(packet, out var message, out var error), error);

        Assert.Equal(0x5A3C, message.Id);
        Assert.False(message.IsResponse);
        Assert.True(message.RecursionDesired);
        Assert.Equal(new DnsQuestion(DnsSamples.Host, DnsType.A), Assert.Single(message.Questions));
        Assert.Equal(packet, message.ToArray());
    }
}
