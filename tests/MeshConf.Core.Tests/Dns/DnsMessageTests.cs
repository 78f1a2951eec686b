using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Dns;

public sealed class DnsMessageTests
{
    [Fact]
    public void Given_a_DNS_SD_announcement_When_written_and_read_Then_every_record_comes_back_identical()
    {
        var announcement = DnsSamples.Announcement();

        Assert.True(DnsMessage.TryRead(announcement.ToArray(), out var read, out var error), error);

        DnsAssert.Identical(announcement, read);
        var txt = Assert.IsType<TxtRecord>(read.Answers[3]);
        Assert.True(txt.TryGetValue("fp", out var fingerprint));
        Assert.Equal(DnsSamples.Fingerprint, fingerprint);
        Assert.Equal(DnsSamples.Instance, Assert.IsType<PtrRecord>(read.Answers[1]).Target);
    }

    [Theory]
    [InlineData("probe")]
    [InlineData("known-answer")]
    [InlineData("empty")]
    public void Given_other_message_shapes_When_written_and_read_Then_they_come_back_identical(string shape)
    {
        var message = shape switch
        {
            "probe" => DnsSamples.Probe(),
            "known-answer" => DnsSamples.QueryWithKnownAnswer(),
            _ => new DnsMessage(),
        };

        Assert.True(DnsMessage.TryRead(message.ToArray(), out var read, out var error), error);

        DnsAssert.Identical(message, read);
    }

    [Fact]
    public void Given_an_announcement_When_written_Then_compression_pointers_replace_every_repeated_suffix()
    {
        var bytes = DnsSamples.Announcement().ToArray();

        // The first name, at offset 12, spells out "_services._dns-sd._udp.local"; the PTR's target
        // "_meshconf._udp.local" then points at its "_udp.local" (offset 12 + 10 + 8 = 30).
        var servicesPtrRdata = IndexOf(bytes, [9, .. "_meshconf"u8, 0xC0, 30]);
        Assert.True(servicesPtrRdata > 0, "the service type in the first PTR's rdata points at _udp.local");

        // The second PTR's owner is that service type: one pointer to it.
        Assert.True(IndexOf(bytes, [0xC0, (byte)servicesPtrRdata, 0, 12]) > 0, "the PTR owner name is a pointer");

        // The instance label is spelled out once, in the PTR's rdata, followed by a pointer to the service type.
        var instance = IndexOf(bytes, [13, .. "darker (a1b2)"u8, 0xC0, (byte)servicesPtrRdata]);
        Assert.True(instance > 0, "the instance name in the PTR rdata is its label and a pointer");
        Assert.Equal(instance, LastIndexOf(bytes, [13, .. "darker (a1b2)"u8]));

        // SRV, TXT and the first NSEC are owned by the instance: a pointer each; the NSEC's next name is one too.
        Assert.Equal(4, Count(bytes, [0xC0, (byte)instance]));

        // The host label is spelled out once, in the SRV target, its "local" a pointer.
        Assert.Single(AllIndexesOf(bytes, [11, .. "darker-a1b2"u8]));
        Assert.Equal(583, UncompressedLength(DnsSamples.Announcement()));
        Assert.Equal(324, bytes.Length);
    }

    [Fact]
    public void Given_a_name_written_in_one_case_When_a_later_name_differs_in_case_Then_it_is_not_compressed_against_it()
    {
        var message = new DnsMessage
        {
            Answers =
            [
                new ARecord(DnsName.Parse("host.local"), 120, IPAddress.Loopback),
                new ARecord(DnsName.Parse("HOST.local"), 120, IPAddress.Loopback),
            ],
        };

        Assert.True(DnsMessage.TryRead(message.ToArray(), out var read, out _));

        DnsAssert.Identical(message, read);
        Assert.Equal("HOST.local", read.Answers[1].Name.ToString());
    }

    [Fact]
    public void Given_header_flags_When_written_Then_each_lands_on_its_RFC_1035_bit_and_reads_back()
    {
        var message = new DnsMessage
        {
            Id = 0xBEEF,
            IsResponse = true,
            Opcode = 2,
            Authoritative = true,
            Truncated = true,
            RecursionDesired = true,
            Rcode = 3,
        };

        var bytes = message.ToArray();

        Assert.Equal([0xBE, 0xEF, 0x80 | (2 << 3) | 0x04 | 0x02 | 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0], bytes);
        Assert.True(DnsMessage.TryRead(bytes, out var read, out _));
        DnsAssert.Identical(message, read);
        Assert.Equal(0x0100, new DnsMessage { RecursionDesired = true }.ToArray()[2] << 8);
    }

    [Fact]
    public void Given_the_RA_Z_AD_and_CD_bits_set_When_read_Then_they_are_ignored_and_written_back_as_zero()
    {
        // RFC 6762 §18.7-18.10: zero on transmission, ignored on reception.
        byte[] packet = [0, 0, 0x84, 0xF0, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.True(DnsMessage.TryRead(packet, out var read, out _));

        Assert.True(read.IsResponse);
        Assert.True(read.Authoritative);
        Assert.Equal(0, read.Rcode);
        Assert.Equal([0, 0, 0x84, 0x00, 0, 0, 0, 0, 0, 0, 0, 0], read.ToArray());
    }

    [Fact]
    public void Given_a_QU_question_and_a_cache_flush_record_When_written_Then_the_top_class_bit_is_set_and_read_back()
    {
        var message = new DnsMessage
        {
            Questions = [new DnsQuestion(DnsSamples.Host, DnsType.A, UnicastResponse: true), new DnsQuestion(DnsSamples.Host, DnsType.Aaaa)],
            Answers = [new ARecord(DnsSamples.Host, 120, IPAddress.Parse("192.168.1.20"), cacheFlush: true)],
            Additionals = [new ARecord(DnsSamples.Host, 120, IPAddress.Parse("192.168.1.21"))],
        };

        var bytes = message.ToArray();

        // Question 1: the full name (19 bytes) from offset 12, then type A and class IN|QU.
        Assert.Equal([0, 1, 0x80, 1], bytes[31..35]);
        // Question 2: a pointer to the name, type AAAA, class IN.
        Assert.Equal([0xC0, 12, 0, 28, 0, 1], bytes[35..41]);
        // The answer: a pointer, type A, class IN|cache-flush; the additional without the bit.
        Assert.Equal([0xC0, 12, 0, 1, 0x80, 1], bytes[41..47]);
        Assert.Equal([0xC0, 12, 0, 1, 0x00, 1], bytes[57..63]);
        Assert.True(DnsMessage.TryRead(bytes, out var read, out _));
        Assert.True(read.Questions[0].UnicastResponse);
        Assert.False(read.Questions[1].UnicastResponse);
        Assert.True(read.Answers[0].CacheFlush);
        Assert.False(read.Additionals[0].CacheFlush);
        DnsAssert.Identical(message, read);
    }

    [Fact]
    public void Given_a_destination_one_byte_short_or_less_When_written_Then_it_fails_and_the_exact_size_succeeds()
    {
        var message = DnsSamples.Announcement();
        var expected = message.ToArray();
        var buffer = new byte[expected.Length];

        for (var length = 0; length < expected.Length; length++)
        {
            Assert.False(message.TryWrite(buffer.AsSpan(0, length), out var written));
            Assert.Equal(0, written);
        }

        Assert.True(message.TryWrite(buffer, out var all));
        Assert.Equal(expected.Length, all);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void Given_more_names_than_the_compression_table_holds_When_written_Then_the_message_still_reads_back_identical()
    {
        var records = Enumerable.Range(0, 400)
            .Select(i => (DnsRecord)new PtrRecord(DnsName.Parse($"s{i}.local"), 120, DnsName.Parse($"t{i}.s{i}.local")))
            .ToList();
        var message = new DnsMessage { IsResponse = true, Answers = records };

        Assert.True(DnsMessage.TryRead(message.ToArray(), out var read, out var error), error);

        DnsAssert.Identical(message, read);
    }

    [Fact]
    public void Given_names_beyond_the_14_bit_pointer_range_When_written_Then_they_are_spelled_out_and_read_back_identical()
    {
        // Five 4 KiB TXT records push everything after them past offset 0x3FFF, which no pointer can reach.
        var filler = Enumerable.Range(0, 16).Select(_ => new byte[255]).ToList();
        var late = DnsName.Parse("late.example.local");
        var message = new DnsMessage
        {
            IsResponse = true,
            Answers =
            [
                .. Enumerable.Range(0, 5).Select(i => new TxtRecord(DnsName.Parse($"t{i}.local"), 120, filler)),
                new PtrRecord(late, 120, late.Prepend("x")),
                new PtrRecord(late, 120, late.Prepend("y")),
            ],
        };

        var bytes = message.ToArray();

        Assert.True(bytes.Length > 0x4000 + 100);
        Assert.True(DnsMessage.TryRead(bytes, out var read, out var error), error);
        DnsAssert.Identical(message, read);
        Assert.Equal(4, AllIndexesOf(bytes, [4, .. "late"u8]).Count);
    }

    [Fact]
    public void Given_invalid_header_values_When_a_message_is_built_Then_they_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsMessage { Opcode = 16 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsMessage { Rcode = 16 });
        Assert.Throws<ArgumentException>(() => new DnsMessage { Answers = [null!] });
    }

    [Fact]
    public void Given_a_built_message_When_its_source_list_changes_Then_the_message_does_not()
    {
        var answers = new List<DnsRecord> { new ARecord(DnsSamples.Host, 120, IPAddress.Loopback) };
        var message = new DnsMessage { Answers = answers };

        answers.Clear();

        Assert.Single(message.Answers);
    }

    [Fact]
    public void Given_a_warmed_up_announcement_When_written_thousands_of_times_Then_nothing_is_allocated()
    {
        var message = DnsSamples.Announcement();
        var buffer = new byte[1500];
        for (var i = 0; i < 200; i++)
        {
            Assert.True(message.TryWrite(buffer, out _));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 10_000; i++)
        {
            message.TryWrite(buffer, out var written);
            total += written;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_000 * message.ToArray().Length, total);
    }

    private static int UncompressedLength(DnsMessage message) =>
        12 + message.Answers.Concat(message.Additionals).Sum(r => r.Name.WireBytes.Length + 10 + r.RdataToArray().Length);

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static int LastIndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().LastIndexOf(needle);

    private static int Count(byte[] haystack, byte[] needle) => AllIndexesOf(haystack, needle).Count;

    private static List<int> AllIndexesOf(byte[] haystack, byte[] needle)
    {
        var found = new List<int>();
        for (var at = haystack.AsSpan().IndexOf(needle); at >= 0;)
        {
            found.Add(at);
            var next = haystack.AsSpan(at + 1).IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return found;
    }
}
