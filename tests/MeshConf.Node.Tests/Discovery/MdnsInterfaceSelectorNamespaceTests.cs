using System.Net;
using MeshConf.Node.Discovery;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Discovery;

/// <summary>The selector over the interfaces a network namespace really has (enumerated inside it).</summary>
[Collection(VirtualLanCollection.Name)]
public sealed class MdnsInterfaceSelectorNamespaceTests
{
    [Fact]
    public void Given_a_lan_host_namespace_When_selecting_inside_it_Then_its_veth_is_chosen_with_the_namespaces_index_and_address()
    {
        using var lan = VirtualLan.Create(1);
        var host = lan.Hosts[0];

        var (candidates, chosen) = host.Run(() => (MdnsInterfaceSelector.Enumerate(), MdnsInterfaceSelector.Select(null)));

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", candidates));
        Assert.Equal(["lo", "veth0"], candidates.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.True(candidates.Single(c => c.Name == "lo").IsLoopback);
        var veth = candidates.Single(c => c.Name == "veth0");
        Assert.True(veth.IsUp && veth.SupportsMulticast && !veth.IsLoopback, veth.ToString());
        Assert.Equal(new MdnsInterface(VirtualLan.LanInterfaceName, host.InterfaceIndex, [host.Address]), Assert.Single(chosen));
    }

    [Fact]
    public void Given_a_lan_host_whose_veth_is_set_down_When_selecting_inside_it_Then_nothing_qualifies_and_naming_it_says_down()
    {
        using var lan = VirtualLan.Create(1);
        var host = lan.Hosts[0];
        var down = host.Namespace.RunProgram(SystemPiece.FindProgram("ip") ?? "ip", ["link", "set", VirtualLan.LanInterfaceName, "down"]);
        Assert.True(down.ExitCode == 0, down.StandardError);

        var automatic = Assert.Throws<MdnsUnavailableException>(() => host.Run(() => MdnsInterfaceSelector.Select(null)));
        var named = Assert.Throws<MdnsUnavailableException>(() => host.Run(() => MdnsInterfaceSelector.Select(VirtualLan.LanInterfaceName)));

        Assert.Contains("veth0 (down)", automatic.Message, StringComparison.Ordinal);
        Assert.Equal("interface 'veth0' cannot carry mDNS: down", named.Message);
    }

    [Fact]
    public void Given_a_loopback_only_namespace_When_selecting_lo_by_name_Then_lo_is_chosen_and_without_a_name_nothing_qualifies()
    {
        using var lan = VirtualLan.CreateLoopbackOnly();
        var host = lan.Hosts[0];

        var lo = host.Run(() => MdnsInterfaceSelector.Select("lo"));
        var automatic = Assert.Throws<MdnsUnavailableException>(() => host.Run(() => MdnsInterfaceSelector.Select(null)));

        Assert.Equal(new MdnsInterface("lo", host.InterfaceIndex, [IPAddress.Loopback]), Assert.Single(lo));
        Assert.Contains("(there are: lo (loopback))", automatic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_lan_host_namespace_When_an_unknown_name_is_asked_for_Then_the_one_line_error_lists_lo_and_veth0()
    {
        using var lan = VirtualLan.Create(1);

        var error = Assert.Throws<MdnsUnavailableException>(() => lan.Hosts[0].Run(() => MdnsHost.Open("nope0")));

        Assert.StartsWith("mDNS off: no network interface named 'nope0' (there are: lo (loopback", error.Notice, StringComparison.Ordinal);
        Assert.Contains("veth0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Notice);
    }
}
