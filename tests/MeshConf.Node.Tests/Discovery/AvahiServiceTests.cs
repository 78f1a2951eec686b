using System.Net;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Discovery;

public sealed class AvahiServiceTests
{
    // Printed by avahi-browse -rpt (avahi 0.8) for: avahi-publish -s 'Mesh Conf. Tëst;x' _meshconf._udp 7001 k=v 'fp=ab cd' 'q="x\y' emoji=é
    private const string Browsed = """
        +;veth0;IPv4;Mesh\032Conf\.\032T\195\171st\059x;_meshconf._udp;local
        =;veth0;IPv4;Mesh\032Conf\.\032T\195\171st\059x;_meshconf._udp;local;mc-h1.local;10.77.9.1;7001;"emoji=\195\169" "q=\"x\\y" "fp=ab cd" "k=v"
        """;

    [Fact]
    public void Given_avahi_browse_parsable_output_When_parsed_Then_the_resolved_line_becomes_one_unescaped_service()
    {
        var service = Assert.Single(AvahiService.ParseAll(Browsed));

        Assert.Equal("veth0", service.Interface);
        Assert.Equal("IPv4", service.Protocol);
        Assert.Equal("Mesh Conf. Tëst;x", service.Name);
        Assert.Equal("_meshconf._udp", service.Type);
        Assert.Equal("local", service.Domain);
        Assert.Equal("mc-h1.local", service.Host);
        Assert.Equal(IPAddress.Parse("10.77.9.1"), service.Address);
        Assert.Equal(7001, service.Port);
        Assert.Equal(["emoji=é", "q=\"x\\y", "fp=ab cd", "k=v"], service.Txt);
    }

    [Theory]
    [InlineData(@"Mesh\032Conf", "Mesh Conf")]
    [InlineData(@"a\.b\\c", @"a.b\c")]
    [InlineData(@"\\032", @"\032")]
    [InlineData(@"T\195\171st", "Tëst")]
    [InlineData("plain-name_1", "plain-name_1")]
    public void Given_an_avahi_escaped_label_When_unescaped_Then_it_reads_as_published(string escaped, string expected)
    {
        Assert.True(AvahiService.TryUnescape(escaped, out var text));
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(@"bad\")]
    [InlineData(@"bad\256")]
    [InlineData(@"half\195")]
    public void Given_a_broken_escape_When_unescaped_Then_it_is_refused(string escaped)
    {
        Assert.False(AvahiService.TryUnescape(escaped, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+;veth0;IPv4;name;_meshconf._udp;local")]
    [InlineData("=;veth0;IPv4;name;_meshconf._udp;local;h.local;10.0.0.1;7001")]
    [InlineData("=;veth0;IPv4;name;_meshconf._udp;local;h.local;not-an-address;7001;")]
    [InlineData("=;veth0;IPv4;name;_meshconf._udp;local;h.local;10.0.0.1;70000;")]
    [InlineData("=;veth0;IPv4;name;_meshconf._udp;local;h.local;10.0.0.1;-1;")]
    [InlineData("=;veth0;IPv4;name;_meshconf._udp;local;h.local;10.0.0.1;7001;\"unterminated")]
    [InlineData("=;veth0;IPv4;name;_meshconf._udp;local;h.local;10.0.0.1;7001;unquoted")]
    public void Given_a_line_that_is_not_a_whole_resolved_record_When_parsed_Then_it_is_skipped(string line)
    {
        Assert.False(AvahiService.TryParse(line, out _));
        Assert.Empty(AvahiService.ParseAll(line));
    }

    [Fact]
    public void Given_a_resolved_record_without_txt_and_with_a_semicolon_in_txt_When_parsed_Then_both_parse()
    {
        Assert.True(AvahiService.TryParse("=;veth0;IPv4;n;_meshconf._udp;local;h.local;10.0.0.1;7001;", out var bare));
        Assert.True(AvahiService.TryParse("=;veth0;IPv4;n;_meshconf._udp;local;h.local;10.0.0.1;7001;\"a=1;2\" \"b\"", out var semicolon));

        Assert.Empty(bare.Txt);
        Assert.Equal(["a=1;2", "b"], semicolon.Txt);
    }
}
