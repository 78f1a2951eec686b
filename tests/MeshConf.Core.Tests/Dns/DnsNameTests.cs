using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Dns;

public sealed class DnsNameTests
{
    [Fact]
    public void Given_a_service_type_When_parsed_Then_labels_and_wire_form_are_as_RFC_1035_lays_them_out()
    {
        var name = DnsName.Parse("_meshconf._udp.local");

        Assert.Equal(3, name.LabelCount);
        Assert.Equal([9, .. "_meshconf"u8, 4, .. "_udp"u8, 5, .. "local"u8, 0], name.WireBytes.ToArray());
        Assert.Equal("_udp", name.GetLabelText(1));
        Assert.Equal("_meshconf._udp.local", name.ToString());
        Assert.Equal(name, DnsName.Parse("_meshconf._udp.local."));
    }

    [Fact]
    public void Given_an_instance_label_with_spaces_parentheses_and_a_dot_When_prepended_Then_presentation_escapes_only_the_dot()
    {
        var instance = DnsSamples.Service.Prepend("darker (a1b2) v1.2");

        Assert.Equal(4, instance.LabelCount);
        Assert.Equal("darker (a1b2) v1.2", instance.GetLabelText(0));
        Assert.Equal(@"darker (a1b2) v1\.2._meshconf._udp.local", instance.ToString());
        Assert.Equal(instance.WireBytes.ToArray(), DnsName.Parse(instance.ToString()).WireBytes.ToArray());
        Assert.Equal(DnsSamples.Service, instance.Parent);
    }

    [Fact]
    public void Given_escapes_When_parsed_Then_backslash_dot_and_decimal_escapes_become_bytes_and_print_back()
    {
        var name = DnsName.Parse(@"a\\b\.c\046d\032e.local");

        Assert.Equal(2, name.LabelCount);
        Assert.Equal(@"a\b.c.d e"u8.ToArray(), name.GetLabel(0).ToArray());
        Assert.Equal(@"a\\b\.c\.d e.local", name.ToString());
    }

    [Fact]
    public void Given_labels_that_are_not_text_When_printed_Then_decimal_escapes_let_parse_give_back_the_same_bytes()
    {
        byte[] binary = [0xFF, (byte)'A', 0x0A, 0x00, (byte)'.'];
        var name = DnsName.Parse("local").Prepend(binary).Prepend("Zoë ☕").Prepend("nel\u0085");

        var text = name.ToString();

        Assert.Equal(@"nel\194\133.Zoë ☕.\255A\010\000\..local", text);
        Assert.Equal(name.WireBytes.ToArray(), DnsName.Parse(text).WireBytes.ToArray());
    }

    [Fact]
    public void Given_names_differing_in_ASCII_case_When_compared_Then_they_are_equal_with_equal_hashes_but_other_letters_are_not_folded()
    {
        var lower = DnsName.Parse("darker (a1b2)._meshconf._udp.local");
        var upper = DnsName.Parse("DARKER (A1B2)._MESHCONF._UDP.LOCAL");

        Assert.Equal(lower, upper);
        Assert.True(lower == upper);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
        Assert.NotEqual(DnsName.Parse("é.local"), DnsName.Parse("É.local"));
        Assert.NotEqual(DnsName.Parse("ab.local"), DnsName.Parse("a.b.local"));
        Assert.False(lower.Equals(null));
    }

    [Fact]
    public void Given_names_When_asked_whether_one_is_a_subdomain_Then_whole_labels_are_compared_ignoring_case()
    {
        Assert.True(DnsSamples.Instance.IsSubdomainOf(DnsSamples.Service));
        Assert.True(DnsSamples.Instance.IsSubdomainOf(DnsName.Parse("LOCAL")));
        Assert.True(DnsSamples.Service.IsSubdomainOf(DnsSamples.Service));
        Assert.True(DnsSamples.Service.IsSubdomainOf(DnsName.Root));
        Assert.False(DnsName.Parse("a._udp.local").IsSubdomainOf(DnsName.Parse("udp.local")));
        Assert.False(DnsSamples.Service.IsSubdomainOf(DnsSamples.Instance));
        Assert.False(DnsName.Parse("local").IsSubdomainOf(DnsName.Parse("arpa")));
    }

    [Fact]
    public void Given_labels_When_built_with_FromLabels_Then_each_is_taken_as_is_without_escapes()
    {
        var name = DnsName.FromLabels("a.b", @"c\d", "local");

        Assert.Equal(3, name.LabelCount);
        Assert.Equal(@"a\.b.c\\d.local", name.ToString());
        Assert.Equal(DnsName.Root, DnsName.FromLabels());
    }

    [Fact]
    public void Given_the_root_When_used_Then_it_is_one_zero_byte_printed_as_a_dot_with_no_parent()
    {
        Assert.Equal([0], DnsName.Root.WireBytes.ToArray());
        Assert.Equal(".", DnsName.Root.ToString());
        Assert.Same(DnsName.Root, DnsName.Parse("."));
        Assert.Same(DnsName.Root, DnsName.Parse(string.Empty));
        Assert.Throws<InvalidOperationException>(() => DnsName.Root.Parent);
        Assert.Equal(DnsName.Root, DnsName.Parse("local").Parent);
    }

    [Fact]
    public void Given_labels_at_and_past_63_bytes_When_built_Then_63_is_accepted_and_64_refused()
    {
        var longest = new string('x', DnsName.MaxLabelLength);

        Assert.Equal(64 + 7, DnsName.Parse(longest + ".local").WireBytes.Length);
        Assert.Throws<ArgumentException>(() => DnsName.Parse("local").Prepend(longest + "x"));
        Assert.Throws<ArgumentException>(() => DnsName.Parse("local").Prepend(string.Empty));
        Assert.False(DnsName.TryParse(longest + "x.local", out _));
    }

    [Fact]
    public void Given_names_at_and_past_255_bytes_When_built_Then_255_plus_the_terminating_zero_is_accepted_and_one_more_refused()
    {
        // RFC 6762 §3: up to 255 bytes, plus the terminating zero. Three 63-byte labels and one of 62: 3*64 + 63.
        var label63 = new string('a', 63);
        var text = $"{label63}.{label63}.{label63}.{new string('b', 62)}";
        var longest = DnsName.Parse(text);

        Assert.Equal(DnsName.MaxWireLength, longest.WireBytes.Length);
        Assert.Equal(text, longest.ToString());
        Assert.False(DnsName.TryParse(text + "b", out _));
        Assert.Equal(DnsName.MaxWireLength, longest.Parent.Prepend(new string('c', 63)).WireBytes.Length);
        Assert.Throws<ArgumentException>(() => longest.Prepend("c"));
    }

    [Theory]
    [InlineData("a..local")]
    [InlineData(".local")]
    [InlineData("..")]
    [InlineData("local\\")]
    [InlineData("\\256.local")]
    [InlineData("\\12.local")]
    [InlineData("\\1")]
    [InlineData("a\\é.local")]
    public void Given_malformed_presentation_When_parsed_Then_it_is_refused(string text)
    {
        Assert.False(DnsName.TryParse(text, out var name));
        Assert.Null(name);
        Assert.Throws<FormatException>(() => DnsName.Parse(text));
    }

    [Fact]
    public void Given_a_name_When_asked_for_a_label_out_of_range_Then_it_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DnsSamples.Service.GetLabel(3).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => DnsSamples.Service.GetLabel(-1).Length);
        Assert.False(DnsName.TryParse(null, out _));
    }

    [Fact]
    public void Given_text_with_a_lone_surrogate_When_parsed_or_prepended_Then_it_is_refused_rather_than_replaced()
    {
        // Not in the theory above: theory data is serialized, and a lone surrogate does not survive that.
        Assert.False(DnsName.TryParse("a\ud800b.local", out _));
        Assert.False(DnsName.TryParse("\udc00", out _));
        Assert.Throws<ArgumentException>(() => DnsName.Root.Prepend("\ud800"));
    }
}
