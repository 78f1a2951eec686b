using System.Net;
using System.Text;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

public sealed class ServiceAdvertTests
{
    [Theory]
    [InlineData(1, "darker (a1b2)", "darker-a1b2")]
    [InlineData(2, "darker (a1b2) (2)", "darker-a1b2-2")]
    [InlineData(3, "darker (a1b2) (3)", "darker-a1b2-3")]
    [InlineData(12, "darker (a1b2) (12)", "darker-a1b2-12")]
    public void Given_a_conflict_count_When_naming_Then_the_instance_gets_a_number_in_parentheses_and_the_host_a_hyphenated_one(int attempt, string instance, string host)
    {
        Assert.Equal(instance, MdnsNames.InstanceLabel("darker (a1b2)", attempt));
        Assert.Equal(host, MdnsNames.HostLabel("darker-a1b2", attempt));
    }

    [Fact]
    public void Given_a_label_at_the_63_byte_limit_When_renamed_Then_the_base_is_cut_between_characters_to_fit()
    {
        var full = new string('é', 31) + "x"; // 63 bytes of UTF-8
        var host = new string('h', 60) + "-ab";

        var instance = MdnsNames.InstanceLabel(full, 2);
        var renamedHost = MdnsNames.HostLabel(host, 10);

        Assert.Equal(new string('é', 29) + " (2)", instance);
        Assert.True(Encoding.UTF8.GetByteCount(instance) <= DnsName.MaxLabelLength);
        Assert.Equal(new string('h', 60) + "-10", renamedHost);
        _ = Mdns.ServiceType.Prepend(instance); // a valid label
    }

    [Fact]
    public void Given_a_host_label_cut_at_a_hyphen_When_renamed_Then_no_double_hyphen_is_left()
    {
        var label = new string('a', 59) + "-bcd"; // 63 characters; the suffix "-2" leaves room for 61

        Assert.Equal(new string('a', 59) + "-b-2", MdnsNames.HostLabel(label, 2));
        Assert.Equal(new string('a', 59) + "-10", MdnsNames.HostLabel(new string('a', 59) + "-" + "bcd", 10));
    }

    [Fact]
    public void Given_a_node_When_its_advert_is_made_Then_names_show_the_person_and_the_short_id_and_the_TXT_carries_v_s_id_fp()
    {
        var advert = ServiceAdvert.ForNode("Ana María", "A1B2C3D4E5F60718", "s1", "ffee", 47000, [IPAddress.Parse("10.0.0.1")]);

        Assert.Equal("Ana María (a1b2)", advert.InstanceName);
        Assert.Equal("ana-mar-a-a1b2", advert.HostLabel);
        Assert.Equal([("v", (string?)"1"), ("s", "s1"), ("id", "A1B2C3D4E5F60718"), ("fp", "ffee")], advert.Properties);
        Assert.Equal(47000, advert.Port);
    }

    [Theory]
    [InlineData("", "meshconf (a1b2)", "meshconf-a1b2")]
    [InlineData("   ", "meshconf (a1b2)", "meshconf-a1b2")]
    [InlineData("日本", "日本 (a1b2)", "meshconf-a1b2")]
    [InlineData("--x--", "--x-- (a1b2)", "x-a1b2")]
    public void Given_an_odd_person_name_When_the_advert_is_made_Then_both_labels_are_still_valid(string person, string instance, string host)
    {
        var advert = ServiceAdvert.ForNode(person, "a1b2c3", "s", "f", 1, [IPAddress.Loopback]);

        Assert.Equal(instance, advert.InstanceName);
        Assert.Equal(host, advert.HostLabel);
    }

    [Fact]
    public void Given_a_very_long_person_name_When_the_advert_is_made_Then_both_labels_fit_63_bytes_and_keep_the_short_id()
    {
        var advert = ServiceAdvert.ForNode(new string('ö', 80), "a1b2c3d4", "s", "f", 1, [IPAddress.Loopback]);

        Assert.True(Encoding.UTF8.GetByteCount(advert.InstanceName) <= DnsName.MaxLabelLength);
        Assert.EndsWith(" (a1b2)", advert.InstanceName, StringComparison.Ordinal);
        Assert.True(advert.HostLabel.Length <= DnsName.MaxLabelLength);
        Assert.EndsWith("-a1b2", advert.HostLabel, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_addresses_in_any_order_When_the_advert_is_made_Then_IPv4_comes_first_each_once_without_scope()
    {
        var scoped = IPAddress.Parse("fe80::1%3");

        var advert = new ServiceAdvert("x", "x", 1, [], [scoped, IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fe80::1"), IPAddress.Parse("10.0.0.2")]);

        Assert.Equal([IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fe80::1")], advert.Addresses);
        Assert.Equal(0, advert.Addresses[1].ScopeId);
    }

    public static TheoryData<string> InvalidAdverts => ["empty instance", "long instance", "underscore host", "hyphen host", "no address", "many addresses", "bad key", "big txt"];

    [Theory]
    [MemberData(nameof(InvalidAdverts))]
    public void Given_an_invalid_advert_When_made_Then_it_is_refused_with_an_argument_exception(string kind)
    {
        IPAddress[] one = [IPAddress.Loopback];
        (string, string?)[] none = [];
        Func<ServiceAdvert> make = kind switch
        {
            "empty instance" => () => new ServiceAdvert(string.Empty, "h", 1, none, one),
            "long instance" => () => new ServiceAdvert(new string('é', 32), "h", 1, none, one),
            "underscore host" => () => new ServiceAdvert("i", "bad_host", 1, none, one),
            "hyphen host" => () => new ServiceAdvert("i", "-host", 1, none, one),
            "no address" => () => new ServiceAdvert("i", "h", 1, none, []),
            "many addresses" => () => new ServiceAdvert("i", "h", 1, none, [.. Enumerable.Range(1, ServiceAdvert.MaxAddresses + 1).Select(i => IPAddress.Parse($"10.0.1.{i}"))]),
            "bad key" => () => new ServiceAdvert("i", "h", 1, [("a=b", "c")], one),
            _ => () => new ServiceAdvert("i", "h", 1, [("a", new string('x', 250)), ("b", new string('x', 250)), ("c", new string('x', 250)), ("d", new string('x', 250))], one),
        };

        Assert.ThrowsAny<ArgumentException>(make);
    }

    public static TheoryData<string> RecordKinds => ["ptr", "srv", "txt", "a", "aaaa", "nsec"];

    [Theory]
    [MemberData(nameof(RecordKinds))]
    public void Given_a_record_When_copied_with_another_TTL_Then_only_TTL_and_cache_flush_change_and_it_survives_the_wire(string kind)
    {
        var name = DnsName.Parse("darker-a1b2.local");
        DnsRecord record = kind switch
        {
            "ptr" => new PtrRecord(Mdns.ServiceType, 4500, MdnsSamples.Instance),
            "srv" => new SrvRecord(MdnsSamples.Instance, 120, 1, 2, 3, name, cacheFlush: true),
            "txt" => TxtRecord.FromProperties(MdnsSamples.Instance, 4500, [("id", "x"), ("flag", null)], cacheFlush: true),
            "a" => new ARecord(name, 120, IPAddress.Parse("10.1.2.3"), cacheFlush: true),
            "aaaa" => new AaaaRecord(name, 120, IPAddress.Parse("fe80::9"), cacheFlush: true),
            _ => new NsecRecord(name, 120, [DnsType.A, DnsType.Aaaa], cacheFlush: true),
        };

        var copy = record.WithTtl(7, cacheFlush: !record.CacheFlush);
        var read = MdnsWire.Roundtrip(MdnsSamples.Response(copy)).Answers[0];

        Assert.IsType(record.GetType(), copy);
        Assert.Equal(record, copy);
        Assert.Equal(0, record.CompareRdata(copy));
        Assert.Equal(7u, copy.Ttl);
        Assert.Equal(!record.CacheFlush, copy.CacheFlush);
        Assert.Equal(copy, read);
        Assert.Equal(7u, read.Ttl);
        Assert.Equal(copy.CacheFlush, read.CacheFlush);
        Assert.NotEqual(7u, record.Ttl);
    }
}
