using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Dns;

public sealed class DnsRecordTests
{
    private static readonly DnsName Printer = DnsName.Parse("MyPrinter.local");

    public static TheoryData<string> RecordKinds => ["ptr", "srv", "txt", "txt-empty", "a", "aaaa", "nsec", "nsec-wide"];

    [Theory]
    [MemberData(nameof(RecordKinds))]
    public void Given_a_record_of_each_type_When_written_and_read_back_Then_name_ttl_cache_flush_and_rdata_survive(string kind)
    {
        foreach (var cacheFlush in new[] { false, true })
        {
            var record = Sample(kind, cacheFlush);
            var message = new DnsMessage { IsResponse = true, Authoritative = true, Answers = [record] };

            Assert.True(DnsMessage.TryRead(message.ToArray(), out var read, out var error), error);

            DnsAssert.Identical(message, read);
            Assert.Equal(record, read.Answers[0]);
            Assert.Equal(cacheFlush, read.Answers[0].CacheFlush);
            Assert.Equal(0, read.SkippedCount);
        }
    }

    [Fact]
    public void Given_the_same_record_with_another_ttl_cache_flush_bit_and_name_case_When_compared_Then_it_is_the_same_record()
    {
        var record = new SrvRecord(DnsSamples.Instance, 120, 0, 0, 47000, DnsSamples.Host, cacheFlush: true);
        var same = new SrvRecord(DnsName.Parse("DARKER (A1B2)._meshconf._udp.local"), 0, 0, 0, 47000, DnsName.Parse("Darker-A1B2.local"));

        Assert.Equal(record, same);
        Assert.Equal(record.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(record, new SrvRecord(DnsSamples.Instance, 120, 0, 0, 47001, DnsSamples.Host, cacheFlush: true));
        Assert.NotEqual<DnsRecord>(new PtrRecord(Printer, 1, Printer), new NsecRecord(Printer, 1, []));
        Assert.False(record.Equals(null));
    }

    [Fact]
    public void Given_the_RFC_6762_probe_tiebreak_example_When_rdata_is_compared_Then_169_254_200_50_is_later_than_169_254_99_200()
    {
        // RFC 6762 §8.2: bytes compared as unsigned values; 200 > 99 in the third byte decides.
        var ours = new ARecord(Printer, 120, IPAddress.Parse("169.254.99.200"));
        var theirs = new ARecord(Printer, 120, IPAddress.Parse("169.254.200.50"));

        Assert.True(theirs.CompareRdata(ours) > 0);
        Assert.True(ours.CompareRdata(theirs) < 0);
        Assert.Equal(0, ours.CompareRdata(new ARecord(Printer, 1, IPAddress.Parse("169.254.99.200"), cacheFlush: true)));
    }

    [Fact]
    public void Given_records_of_different_types_or_lengths_When_rdata_is_compared_Then_type_decides_first_and_longer_rdata_wins_a_common_prefix()
    {
        var a = new ARecord(Printer, 120, IPAddress.Parse("255.255.255.255"));
        var aaaa = new AaaaRecord(Printer, 120, IPAddress.Parse("::1"));
        var shortTxt = new TxtRecord(Printer, 120, ["foo=bar"u8.ToArray()]);
        var longTxt = new TxtRecord(Printer, 120, ["foo=bar"u8.ToArray(), "foo=baz"u8.ToArray()]);

        Assert.True(aaaa.CompareRdata(a) > 0);
        Assert.True(longTxt.CompareRdata(shortTxt) > 0);
        Assert.True(shortTxt.CompareRdata(longTxt) < 0);
    }

    [Fact]
    public void Given_names_in_rdata_When_rdata_is_compared_Then_the_raw_uncompressed_bytes_count_case_included()
    {
        var upper = new SrvRecord(DnsSamples.Instance, 120, 0, 0, 47000, DnsName.Parse("Darker.local"));
        var lower = new SrvRecord(DnsSamples.Instance, 120, 0, 0, 47000, DnsName.Parse("darker.local"));

        Assert.Equal([0, 0, 0, 0, 0xB7, 0x98, 6, .. "Darker"u8, 5, .. "local"u8, 0], upper.RdataToArray());
        Assert.True(lower.CompareRdata(upper) > 0); // 'd' 0x64 > 'D' 0x44
        Assert.Equal(upper, lower); // yet the same record, as DNS compares names
    }

    [Fact]
    public void Given_a_TXT_record_with_no_strings_When_written_Then_it_is_one_zero_byte_and_equals_an_empty_string()
    {
        var empty = new TxtRecord(DnsSamples.Instance, 4500, []);
        var oneEmptyString = new TxtRecord(DnsSamples.Instance, 4500, [[]]);

        Assert.Equal([0], empty.RdataToArray());
        Assert.Equal(oneEmptyString, empty);
        Assert.Single(empty.Strings);
        Assert.True(empty.Strings[0].IsEmpty);
        Assert.False(empty.TryGetValue("v", out _));
    }

    [Fact]
    public void Given_DNS_SD_properties_When_built_Then_strings_are_key_equals_value_bare_key_for_boolean_and_key_equals_for_empty()
    {
        var txt = TxtRecord.FromProperties(DnsSamples.Instance, 4500, [("v", "1"), ("muted", null), ("note", string.Empty), ("name", "Zoë=☕")]);

        Assert.Equal(["v=1", "muted", "note=", "name=Zoë=☕"], txt.Strings.Select(s => System.Text.Encoding.UTF8.GetString(s.Span)));
        Assert.True(txt.TryGetValue("V", out var version));
        Assert.Equal("1", version);
        Assert.True(txt.TryGetValue("muted", out var muted));
        Assert.Null(muted);
        Assert.True(txt.TryGetValue("note", out var note));
        Assert.Equal(string.Empty, note);
        Assert.True(txt.TryGetValue("NAME", out var name));
        Assert.Equal("Zoë=☕", name);
        Assert.False(txt.TryGetValue("missing", out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public void Given_TXT_strings_without_a_key_or_with_a_repeated_key_When_looked_up_Then_keyless_ones_are_ignored_and_the_first_wins()
    {
        // RFC 6763 §6.4: a leading '=' means no key; only the first occurrence of a key counts.
        var txt = new TxtRecord(Printer, 120, ["=orphan"u8.ToArray(), [], "s=first"u8.ToArray(), "S=second"u8.ToArray()]);

        Assert.True(txt.TryGetValue("s", out var value));
        Assert.Equal("first", value);
        Assert.False(txt.TryGetValue(string.Empty, out _));
        Assert.False(txt.TryGetValue("=orphan", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b")]
    [InlineData("é")]
    [InlineData("tab\t")]
    public void Given_an_invalid_DNS_SD_key_When_a_TXT_record_is_built_Then_it_is_refused(string key)
    {
        Assert.Throws<ArgumentException>(() => TxtRecord.FromProperties(Printer, 120, [(key, "1")]));
    }

    [Fact]
    public void Given_TXT_strings_past_255_bytes_or_rdata_past_65535_When_built_Then_they_are_refused()
    {
        Assert.Single(new TxtRecord(Printer, 120, [new byte[255]]).Strings);
        Assert.Throws<ArgumentException>(() => new TxtRecord(Printer, 120, [new byte[256]]));
        Assert.Throws<ArgumentException>(() => new TxtRecord(Printer, 120, Enumerable.Repeat(new byte[255], 257)));
    }

    [Fact]
    public void Given_an_NSEC_for_SRV_and_TXT_When_written_Then_the_bitmap_is_window_0_of_5_bytes_and_the_types_come_back_sorted()
    {
        var nsec = new NsecRecord(DnsSamples.Instance, 4500, [DnsType.Txt, DnsType.Srv, DnsType.Txt]);

        // TXT (16) is bit 0 of byte 2, SRV (33) bit 1 of byte 4 (RFC 4034 §4.1.2, RFC 6762 §6.1).
        Assert.Equal([.. DnsSamples.Instance.WireBytes, 0, 5, 0, 0, 0x80, 0, 0x40], nsec.RdataToArray());
        Assert.Equal([DnsType.Txt, DnsType.Srv], nsec.Types);
        Assert.Equal(DnsSamples.Instance, nsec.NextName);
        Assert.True(nsec.HasType(DnsType.Srv));
        Assert.False(nsec.HasType(DnsType.A));
    }

    [Fact]
    public void Given_addresses_of_the_wrong_family_When_address_records_are_built_Then_they_are_refused_and_scope_ids_dropped()
    {
        Assert.Throws<ArgumentException>(() => new ARecord(Printer, 120, IPAddress.IPv6Loopback));
        Assert.Throws<ArgumentException>(() => new AaaaRecord(Printer, 120, IPAddress.Loopback));

        var scoped = IPAddress.Parse("fe80::1%3");
        var record = new AaaaRecord(Printer, 120, scoped);
        scoped.ScopeId = 7;

        Assert.Equal(0, record.Address.ScopeId);
        Assert.Equal(IPAddress.Parse("fe80::1"), record.Address);
    }

    [Fact]
    public void Given_records_When_printed_Then_they_read_like_zone_file_lines()
    {
        Assert.Equal("darker-a1b2.local 120 IN/flush A 192.168.1.20", DnsSamples.Announcement().Answers[4].ToString());
        Assert.Equal("darker (a1b2)._meshconf._udp.local 4500 IN/flush NSEC darker (a1b2)._meshconf._udp.local TXT SRV", DnsSamples.Announcement().Additionals[0].ToString());
        Assert.Equal("MyPrinter.local 1 IN TXT \"a\\\"b\" \"\"", new TxtRecord(Printer, 1, ["a\"b"u8.ToArray(), []]).ToString());
    }

    private static DnsRecord Sample(string kind, bool cacheFlush) => kind switch
    {
        "ptr" => new PtrRecord(DnsSamples.Service, 4500, DnsSamples.Instance, cacheFlush),
        "srv" => new SrvRecord(DnsSamples.Instance, 120, 10, 20, 47000, DnsSamples.Host, cacheFlush),
        "txt" => TxtRecord.FromProperties(DnsSamples.Instance, 4500, [("v", "1"), ("s", "session1"), ("flag", null), ("e", string.Empty)], cacheFlush),
        "txt-empty" => new TxtRecord(DnsSamples.Instance, 4500, [], cacheFlush),
        "a" => new ARecord(DnsSamples.Host, 120, IPAddress.Parse("10.0.0.255"), cacheFlush),
        "aaaa" => new AaaaRecord(DnsSamples.Host, 120, IPAddress.Parse("2001:db8::ff00:42:8329"), cacheFlush),
        "nsec" => new NsecRecord(DnsSamples.Host, 120, [DnsType.A, DnsType.Aaaa], cacheFlush),
        "nsec-wide" => new NsecRecord(DnsSamples.Host, uint.MaxValue, [DnsType.Nsec, (DnsType)1234, (DnsType)65535, DnsType.A], cacheFlush, DnsName.Parse("next.example")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
