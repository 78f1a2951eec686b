using System.Net;
using MeshConf.Node.Discovery;

namespace MeshConf.Node.Tests.Discovery;

public sealed class MdnsInterfaceSelectorTests
{
    private static readonly MdnsInterfaceCandidate Loopback = new("lo", 1, IsUp: true, IsLoopback: true, SupportsMulticast: true, [IPAddress.Loopback]);
    private static readonly MdnsInterfaceCandidate Wired = new("eth0", 2, IsUp: true, IsLoopback: false, SupportsMulticast: true, [IPAddress.Parse("192.168.1.10")]);
    private static readonly MdnsInterfaceCandidate Down = new("eth1", 3, IsUp: false, IsLoopback: false, SupportsMulticast: true, [IPAddress.Parse("10.1.0.2")]);
    private static readonly MdnsInterfaceCandidate NoMulticast = new("tun0", 4, IsUp: true, IsLoopback: false, SupportsMulticast: false, [IPAddress.Parse("10.8.0.2")]);
    private static readonly MdnsInterfaceCandidate NoIPv4 = new("wlan0", 5, IsUp: true, IsLoopback: false, SupportsMulticast: true, []);
    private static readonly MdnsInterfaceCandidate Wireless = new("wlan1", 6, IsUp: true, IsLoopback: false, SupportsMulticast: true, [IPAddress.Parse("192.168.2.5"), IPAddress.Parse("192.168.2.6")]);

    private static readonly MdnsInterfaceCandidate[] Machine = [Loopback, Wired, Down, NoMulticast, NoIPv4, Wireless];

    [Fact]
    public void Given_no_name_When_selecting_Then_every_up_multicast_ipv4_non_loopback_interface_is_chosen_with_index_and_addresses()
    {
        var chosen = MdnsInterfaceSelector.Select(Machine, interfaceName: null);

        Assert.Equal(["eth0", "wlan1"], chosen.Select(i => i.Name));
        Assert.Equal([2, 6], chosen.Select(i => i.Index));
        Assert.Equal(Wireless.IPv4Addresses, chosen[1].Addresses);
    }

    [Fact]
    public void Given_a_name_When_selecting_Then_only_that_interface_is_chosen_loopback_included()
    {
        Assert.Equal("wlan1", Assert.Single(MdnsInterfaceSelector.Select(Machine, "wlan1")).Name);
        var lo = Assert.Single(MdnsInterfaceSelector.Select(Machine, "lo"));
        Assert.Equal(new MdnsInterface("lo", 1, Loopback.IPv4Addresses), lo);
    }

    [Fact]
    public void Given_a_name_that_does_not_exist_When_selecting_Then_a_one_line_error_lists_the_interfaces_there_are()
    {
        var error = Assert.Throws<MdnsUnavailableException>(() => MdnsInterfaceSelector.Select(Machine, "eth9"));

        Assert.Equal(
            "no network interface named 'eth9' (there are: lo (loopback), eth0, eth1 (down), tun0 (not multicast-capable), wlan0 (no IPv4 address), wlan1)",
            error.Message);
        Assert.StartsWith("mDNS off: no network interface named 'eth9'", error.Notice, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Notice);
    }

    [Theory]
    [InlineData("eth1", "interface 'eth1' cannot carry mDNS: down")]
    [InlineData("tun0", "interface 'tun0' cannot carry mDNS: not multicast-capable")]
    [InlineData("wlan0", "interface 'wlan0' cannot carry mDNS: no IPv4 address")]
    public void Given_a_named_interface_that_cannot_carry_mdns_When_selecting_Then_the_error_says_why(string name, string expected)
    {
        Assert.Equal(expected, Assert.Throws<MdnsUnavailableException>(() => MdnsInterfaceSelector.Select(Machine, name)).Message);
    }

    [Fact]
    public void Given_only_unusable_interfaces_When_selecting_automatically_Then_the_error_lists_them_and_suggests_naming_one()
    {
        var error = Assert.Throws<MdnsUnavailableException>(() => MdnsInterfaceSelector.Select([Loopback, Down], null));

        Assert.Equal(
            "no interface is up, multicast-capable, with an IPv4 address and not loopback (there are: lo (loopback), eth1 (down)); name one with --interface",
            error.Message);
        Assert.Contains("there are: none", Assert.Throws<MdnsUnavailableException>(() => MdnsInterfaceSelector.Select([], "x")).Message, StringComparison.Ordinal);
    }
}
