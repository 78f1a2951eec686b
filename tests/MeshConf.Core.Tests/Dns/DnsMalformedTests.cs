using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Dns;

/// <summary>Hostile and broken packets, written out byte by byte: each is refused for its own reason, none throws.</summary>
public sealed class DnsMalformedTests
{
    private const byte TypeA = 1;
    private const byte TypePtr = 12;
    private const byte TypeTxt = 16;
    private const byte TypeSrv = 33;
    private const byte TypeNsec = 47;

    public static TheoryData<string, byte[], string> Cases => new()
    {
        { "self pointer", [.. Header(qd: 1), 0xC0, 12, 0, TypeA, 0, 1], DnsReadErrors.PointerNotBackward },
        { "label then a pointer to its own start", [.. Header(qd: 1), 1, (byte)'a', 0xC0, 12, 0, TypeA, 0, 1], DnsReadErrors.PointerNotBackward },
        { "two-pointer cycle entered by a backward pointer", TwoPointerCycle(), DnsReadErrors.PointerNotBackward },
        { "forward pointer", [.. Header(qd: 1), 0xC0, 16, 0, TypeA, 0, 1, 0, 0], DnsReadErrors.PointerNotBackward },
        { "pointer past the end", [.. Header(qd: 1), 0xFF, 0xFF, 0, TypeA, 0, 1], DnsReadErrors.PointerOutOfBounds },
        { "pointer just past the end", [.. Header(qd: 1), 0xC0, 18, 0, TypeA, 0, 1], DnsReadErrors.PointerOutOfBounds },
        { "pointer into the header", [.. Header(qd: 2), 1, (byte)'a', 0, 0, TypeA, 0, 1, 0xC0, 4, 0, TypeA, 0, 1], DnsReadErrors.PointerIntoHeader },
        { "label length 64 (type 0x40)", [.. Header(qd: 1), 64, .. new byte[64], 0, 0, TypeA, 0, 1], DnsReadErrors.LabelType },
        { "label type 0x80", [.. Header(qd: 1), 0x80, 1, 0, TypeA, 0, 1], DnsReadErrors.LabelType },
        { "name of 256 bytes plus the zero", [.. Header(qd: 1), .. Label(63), .. Label(63), .. Label(63), .. Label(63), 0, 0, TypeA, 0, 1], DnsReadErrors.NameTooLong },
        { "name past 255 bytes built from pointers", LongNameThroughPointers(lastLabel: 63), DnsReadErrors.NameTooLong },
        { "name without its terminating zero", [.. Header(qd: 1), 1, (byte)'a', 1, (byte)'b'], DnsReadErrors.CountsExceedData },
        { "name running off the end", [.. Header(qd: 1), 1, (byte)'a', 9, (byte)'b', 0, 0, 1], DnsReadErrors.TruncatedName },
        { "pointer cut in half", [.. Header(an: 1), .. Fixed(TypePtr, rdlength: 1), 0xC0], DnsReadErrors.TruncatedName },
        { "question without its class", [.. Header(qd: 1), 1, (byte)'a', 0, 0, TypeA], DnsReadErrors.TruncatedQuestion },
        { "record cut in its fixed part", [.. Header(an: 1), 3, .. "abc"u8, 0, 0, TypeA, 0, 1, 0, 0, 0], DnsReadErrors.TruncatedRecord },
        { "rdata past the end", [.. Header(an: 1), .. Fixed(TypeA, rdlength: 4), 10, 0], DnsReadErrors.TruncatedRdata },
        { "A with 5 bytes of rdata", [.. Header(an: 1), .. Fixed(TypeA, rdlength: 5), 10, 0, 0, 1, 9], DnsReadErrors.RdataLength },
        { "A with 3 bytes of rdata", [.. Header(an: 1), .. Fixed(TypeA, rdlength: 3), 10, 0, 0], DnsReadErrors.RdataLength },
        { "AAAA with 4 bytes of rdata", [.. Header(an: 1), .. Fixed(28, rdlength: 4), 10, 0, 0, 1], DnsReadErrors.RdataLength },
        { "PTR rdlength longer than its name", [.. Header(an: 1), .. Fixed(TypePtr, rdlength: 4), 1, (byte)'b', 0, 7], DnsReadErrors.RdataLength },
        { "PTR name longer than its rdlength", [.. Header(an: 1), .. Fixed(TypePtr, rdlength: 2), 1, (byte)'b', 0, 0, 0, 0, 0, 0], DnsReadErrors.TruncatedName },
        { "PTR with empty rdata", [.. Header(an: 1), .. Fixed(TypePtr, rdlength: 0)], DnsReadErrors.TruncatedName },
        { "SRV with only the fixed part", [.. Header(an: 1), .. Fixed(TypeSrv, rdlength: 6), 0, 0, 0, 0, 0, 80], DnsReadErrors.RdataLength },
        { "SRV target past its rdlength", [.. Header(an: 1), .. Fixed(TypeSrv, rdlength: 8), 0, 0, 0, 0, 0, 80, 1, (byte)'h', 0], DnsReadErrors.TruncatedName },
        { "TXT string past its rdlength", [.. Header(an: 1), .. Fixed(TypeTxt, rdlength: 3), 3, (byte)'a', (byte)'b'], DnsReadErrors.RdataLength },
        { "NSEC window of length 0", [.. Header(an: 1), .. Fixed(TypeNsec, rdlength: 3), 0, 0, 0], DnsReadErrors.NsecBitmap },
        { "NSEC window of length 33", [.. Header(an: 1), .. Fixed(TypeNsec, rdlength: 36), 0, 0, 33, .. new byte[33]], DnsReadErrors.NsecBitmap },
        { "NSEC windows out of order", [.. Header(an: 1), .. Fixed(TypeNsec, rdlength: 7), 0, 1, 1, 0x40, 0, 1, 0x40], DnsReadErrors.NsecBitmap },
        { "NSEC bitmap past its rdlength", [.. Header(an: 1), .. Fixed(TypeNsec, rdlength: 4), 0, 0, 2, 0x40, 0], DnsReadErrors.NsecBitmap },
        { "NSEC with half a window header", [.. Header(an: 1), .. Fixed(TypeNsec, rdlength: 2), 0, 0], DnsReadErrors.NsecBitmap },
        { "answer count far beyond the data", [.. Header(an: 0xFFFF), .. Fixed(TypeA, rdlength: 4), 10, 0, 0, 1], DnsReadErrors.CountsExceedData },
        { "two questions counted, one and a bit present", [.. Header(qd: 2), 1, (byte)'a', 0, 0, TypeA, 0, 1, 3, (byte)'x', (byte)'y'], DnsReadErrors.TruncatedName },
        { "a byte after the last record", [.. Header(an: 1), .. Fixed(TypeA, rdlength: 4), 10, 0, 0, 1, 0], DnsReadErrors.TrailingBytes },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_malformed_packet_When_read_Then_it_is_refused_with_its_reason(string description, byte[] packet, string expected)
    {
        var accepted = DnsMessage.TryRead(packet, out var message, out var error);

        Assert.False(accepted, description);
        Assert.Null(message);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Given_every_header_shorter_than_12_bytes_When_read_Then_it_is_a_truncated_header()
    {
        for (var length = 0; length < 12; length++)
        {
            Assert.False(DnsMessage.TryRead(new byte[length], out _, out var error));
            Assert.Equal(DnsReadErrors.TruncatedHeader, error);
        }

        Assert.True(DnsMessage.TryRead(new byte[12], out var empty, out _));
        Assert.Empty(empty.Questions);
    }

    [Fact]
    public void Given_every_prefix_of_an_announcement_and_one_byte_more_When_read_Then_all_are_refused()
    {
        var packet = DnsSamples.Announcement().ToArray();
        var reasons = new HashSet<string>();

        for (var length = 12; length < packet.Length; length++)
        {
            Assert.False(DnsMessage.TryRead(packet.AsSpan(0, length), out _, out var error));
            reasons.Add(error!);
        }

        Assert.False(DnsMessage.TryRead([.. packet, 0], out _, out var trailing));
        Assert.Equal(DnsReadErrors.TrailingBytes, trailing);
        Assert.Contains(DnsReadErrors.TruncatedRdata, reasons);
        Assert.Contains(DnsReadErrors.CountsExceedData, reasons);
    }

    [Fact]
    public void Given_names_of_exactly_255_bytes_plus_the_zero_in_place_and_through_pointers_When_read_Then_they_are_accepted()
    {
        byte[] inPlace = [.. Header(qd: 1), .. Label(63), .. Label(63), .. Label(63), .. Label(62), 0, 0, TypeA, 0, 1];

        Assert.True(DnsMessage.TryRead(inPlace, out var message, out var error), error);
        Assert.Equal(DnsName.MaxWireLength, message.Questions[0].Name.WireBytes.Length);
        Assert.True(DnsMessage.TryRead(LongNameThroughPointers(lastLabel: 62), out var chained, out error), error);
        Assert.Equal(DnsName.MaxWireLength, chained.Questions[3].Name.WireBytes.Length);
        Assert.Equal(4, chained.Questions[3].Name.LabelCount);
    }

    [Fact]
    public void Given_records_of_unknown_types_and_classes_among_known_ones_When_read_Then_they_are_skipped_counted_and_the_rest_read()
    {
        byte[] packet =
        [
            .. Header(qd: 2, an: 4),
            1, (byte)'q', 0, 0, TypeA, 0, 3,                           // a question of class CH: skipped
            0xC0, 12, 0, TypePtr, 0x80, 1,                             // a QU question for PTR
            .. Fixed(TypeA, rdlength: 4), 10, 0, 0, 1,                  // A 10.0.0.1
            0xC0, 12, 0, 99, 0, 1, 0, 0, 0, 60, 0, 3, 0xC0, 0xFF, 0x40, // type 99, rdata that is no valid name: skipped unread
            0xC0, 12, 0, TypeTxt, 0, 3, 0, 0, 0, 60, 0, 1, 0,          // TXT of class CH: skipped
            0xC0, 12, 0, TypePtr, 0x80, 1, 0, 0, 0, 60, 0, 2, 0xC0, 12, // PTR to q, cache-flush
        ];

        Assert.True(DnsMessage.TryRead(packet, out var message, out var error), error);

        Assert.Equal(3, message.SkippedCount);
        var question = Assert.Single(message.Questions);
        Assert.Equal(new DnsQuestion(DnsName.Parse("q"), DnsType.Ptr, UnicastResponse: true), question);
        Assert.Equal(2, message.Answers.Count);
        Assert.Equal("10.0.0.1", Assert.IsType<ARecord>(message.Answers[0]).Address.ToString());
        var ptr = Assert.IsType<PtrRecord>(message.Answers[1]);
        Assert.Equal(DnsName.Parse("q"), ptr.Target);
        Assert.True(ptr.CacheFlush);
    }

    [Fact]
    public void Given_a_TXT_record_with_empty_rdata_When_read_Then_it_is_one_empty_string()
    {
        // RFC 6763 §6.1: not strictly legal, to be taken as a single empty string.
        byte[] packet = [.. Header(an: 1), .. Fixed(TypeTxt, rdlength: 0)];

        Assert.True(DnsMessage.TryRead(packet, out var message, out var error), error);

        var txt = Assert.IsType<TxtRecord>(Assert.Single(message.Answers));
        Assert.Equal(new TxtRecord(DnsName.Parse("h"), 0, []), txt);
        Assert.True(Assert.Single(txt.Strings).IsEmpty);
    }

    [Fact]
    public void Given_an_NSEC_with_sloppy_windows_When_read_Then_the_types_are_kept_and_written_back_minimal()
    {
        // Trailing zero bytes and an all-zero window break RFC 4034 §4.1.2's "MUST be omitted" but hide nothing.
        byte[] packet = [.. Header(an: 1), .. Fixed(TypeNsec, rdlength: 10), 0xC0, 12, 0, 3, 0x40, 0, 0, 1, 1, 0];

        Assert.True(DnsMessage.TryRead(packet, out var message, out var error), error);

        var nsec = Assert.IsType<NsecRecord>(Assert.Single(message.Answers));
        Assert.Equal([DnsType.A], nsec.Types);
        Assert.Equal([0xC0, 12, 0, 1, 0x40], message.ToArray()[^5..]);
    }

    /// <summary>id 0, QR and AA set (an mDNS response), then the four counts.</summary>
    private static byte[] Header(int qd = 0, int an = 0, int ns = 0, int ar = 0) =>
        [0, 0, 0x84, 0, (byte)(qd >> 8), (byte)qd, (byte)(an >> 8), (byte)an, (byte)(ns >> 8), (byte)ns, (byte)(ar >> 8), (byte)ar];

    /// <summary>A record's name "h" (at offset 12 when first), the type, class IN, TTL 60 and the given rdlength.</summary>
    private static byte[] Fixed(byte type, int rdlength) => [1, (byte)'h', 0, 0, type, 0, 1, 0, 0, 0, 60, (byte)(rdlength >> 8), (byte)rdlength];

    private static byte[] Label(int length) => [(byte)length, .. Enumerable.Repeat((byte)'x', length)];

    /// <summary>
    /// A TXT whose single string hides two pointers at offsets 24 and 26 pointing at each other; the next record's
    /// name points backward at 24, which is allowed, and from there the cycle must be caught.
    /// </summary>
    private static byte[] TwoPointerCycle() =>
    [
        .. Header(an: 2),
        0, 0, TypeTxt, 0, 1, 0, 0, 0, 60, 0, 5, // offsets 12-22: root owner, TXT, rdlength 5
        4, 0xC0, 26, 0xC0, 24,                  // offsets 23-27: one 4-byte string: pointer to 26, pointer to 24
        0xC0, 24, 0, TypeA, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1,
    ];

    /// <summary>
    /// Four questions of one label each (63 bytes, the last <paramref name="lastLabel"/>), every one after the first
    /// ending in a pointer to the one before: the last name is 3 * 64 + 1 + lastLabel bytes and the zero.
    /// </summary>
    private static byte[] LongNameThroughPointers(int lastLabel)
    {
        var packet = new List<byte>(Header(qd: 4));
        var previous = -1;
        for (var i = 0; i < 4; i++)
        {
            var start = packet.Count;
            packet.AddRange(Label(i == 3 ? lastLabel : 63));
            packet.AddRange(previous < 0 ? [0] : [0xC0, (byte)previous]);
            packet.AddRange([0, TypeA, 0, 1]);
            previous = start;
        }

        return [.. packet];
    }
}
