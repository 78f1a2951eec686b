using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Discovery;

[Collection(VirtualLanCollection.Name)]
public sealed class VirtualLanTests
{
    private static readonly IPAddress MdnsGroup = IPAddress.Parse("224.0.0.251");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public void Given_a_lan_of_three_When_created_Then_each_host_has_its_own_namespace_address_and_interface()
    {
        using var lan = VirtualLan.Create(3);

        Assert.Equal(3, lan.Hosts.Count);
        Assert.Equal(4, lan.NamespaceNames.Count);
        Assert.All(lan.NamespaceNames, name => Assert.StartsWith($"{VirtualLan.NamePrefix}{Environment.ProcessId}-", name, StringComparison.Ordinal));
        Assert.Equal(lan.NamespaceNames.Count, lan.NamespaceNames.Distinct().Count());
        var listed = ListNamespaces();
        Assert.All(lan.NamespaceNames, name => Assert.Contains(name, listed));
        for (var k = 1; k <= 3; k++)
        {
            var host = lan.Hosts[k - 1];
            var bytes = host.Address.GetAddressBytes();
            Assert.Equal(new byte[] { 10, 77, bytes[2], (byte)k }, bytes);
            Assert.Equal(VirtualLan.LanInterfaceName, host.InterfaceName);
            var route = host.Namespace.RunProgram(NamespaceIp(), ["-4", "route", "show", "224.0.0.0/4"]);
            Assert.Contains($"dev {host.InterfaceName}", route.StandardOutput, StringComparison.Ordinal);
            var link = host.Namespace.RunProgram(NamespaceIp(), ["-o", "link", "show", "dev", host.InterfaceName]);
            Assert.Contains("MULTICAST", link.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("LOWER_UP", link.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Single(lan.Hosts.Select(h => h.Address.GetAddressBytes()[2]).Distinct());
        TestContext.Current.TestOutputHelper?.WriteLine(lan.ToString());
    }

    [Fact]
    public void Given_a_host_namespace_When_code_runs_in_it_Then_it_sees_only_lo_and_its_veth_and_the_machine_sees_neither()
    {
        using var lan = VirtualLan.Create(2);
        var host = lan.Hosts[0];

        var inside = host.Run(() => NetworkInterface.GetAllNetworkInterfaces()
            .Select(i => (i.Name, Index: i.GetIPProperties().GetIPv4Properties().Index, Addresses: i.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList()))
            .ToList());
        var outside = NetworkInterface.GetAllNetworkInterfaces();

        Assert.Equal(["lo", "veth0"], inside.Select(i => i.Name).Order(StringComparer.Ordinal));
        var veth = inside.Single(i => i.Name == host.InterfaceName);
        Assert.Equal(host.InterfaceIndex, veth.Index);
        Assert.Contains(host.Address, veth.Addresses);
        Assert.DoesNotContain(outside, i => i.GetIPProperties().UnicastAddresses.Any(a => lan.Hosts.Any(h => h.Address.Equals(a.Address))));
    }

    [Fact]
    public void Given_a_namespace_When_Run_and_a_child_process_enter_it_Then_both_are_in_the_same_network_namespace_and_not_the_machines()
    {
        using var lan = VirtualLan.Create(1);
        var ns = lan.Hosts[0].Namespace;

        var inThread = ns.Run(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", returnFinalTarget: false)!.Name);
        var child = ns.RunProgram("readlink", ["/proc/self/ns/net"]);
        var machine = File.ResolveLinkTarget("/proc/thread-self/ns/net", returnFinalTarget: false)!.Name;

        Assert.Equal(0, child.ExitCode);
        Assert.Equal(inThread, child.StandardOutput.Trim());
        Assert.NotEqual(machine, inThread);
        Assert.Equal(machine, File.ResolveLinkTarget("/proc/thread-self/ns/net", returnFinalTarget: false)!.Name);
    }

    [Fact]
    public void Given_code_that_throws_or_a_missing_namespace_When_Run_Then_the_exception_reaches_the_caller()
    {
        using var lan = VirtualLan.Create(1);

        var thrown = Assert.Throws<InvalidOperationException>(() => lan.Hosts[0].Namespace.Run<int>(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", thrown.Message);
        Assert.ThrowsAny<IOException>(() => new NetworkNamespace($"{VirtualLan.NamePrefix}absent-{Guid.NewGuid():N}").Run(() => 1));
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_sockets_created_in_two_namespaces_When_they_exchange_datagrams_over_the_lan_Then_each_sees_the_others_lan_address()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        using var a = one.Run(() => BoundUdp(new IPEndPoint(one.Address, 0)));
        using var b = two.Run(() => BoundUdp(new IPEndPoint(two.Address, 0)));

        // Used from the test's own (pool) threads: a socket keeps the namespace it was created in.
        await b.SendToAsync(Encoding.ASCII.GetBytes("ping"), a.LocalEndPoint!, cancellation);
        var (ping, from) = await ReceiveAsync(a, cancellation);
        await a.SendToAsync(Encoding.ASCII.GetBytes("pong"), from, cancellation);
        var (pong, replier) = await ReceiveAsync(b, cancellation);

        Assert.Equal("ping", ping);
        Assert.Equal(b.LocalEndPoint, from);
        Assert.Equal("pong", pong);
        Assert.Equal(a.LocalEndPoint, replier);
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_a_socket_joined_to_the_mdns_group_on_its_veth_When_another_namespace_multicasts_to_5353_Then_it_receives_the_datagram()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        using var listener = one.Run(() => MdnsSocket(one));
        using var sender = two.Run(() => MdnsSocket(two));
        var payload = $"multicast from {two.Namespace.Name}";

        await sender.SendToAsync(Encoding.ASCII.GetBytes(payload), new IPEndPoint(MdnsGroup, 5353), cancellation);
        var (received, from) = await ReceiveAsync(listener, cancellation);

        Assert.Equal(payload, received);
        Assert.Equal(new IPEndPoint(two.Address, 5353), from);
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_a_loopback_only_namespace_When_a_socket_multicasts_to_5353_on_lo_Then_it_receives_its_own_datagram()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var lan = VirtualLan.CreateLoopbackOnly();
        var host = Assert.Single(lan.Hosts);
        Assert.Null(lan.Bridge);
        Assert.Equal(("lo", IPAddress.Loopback), (host.InterfaceName, host.Address));
        Assert.Equal(["lo"], host.Run(() => NetworkInterface.GetAllNetworkInterfaces().Select(i => i.Name).ToList()));
        using var socket = host.Run(() => MdnsSocket(host));

        await socket.SendToAsync(Encoding.ASCII.GetBytes("echo"), new IPEndPoint(MdnsGroup, 5353), cancellation);
        var (received, from) = await ReceiveAsync(socket, cancellation);

        Assert.Equal("echo", received);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)from).Address);
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_programs_started_in_a_namespace_When_they_print_Then_JsonLinesProcess_and_ExternalProgram_see_them_run_inside()
    {
        using var lan = VirtualLan.Create(1);
        var ns = lan.Hosts[0].Namespace;
        var expected = ns.Run(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", returnFinalTarget: false)!.Name);

        var (fileName, arguments) = ns.Command("/bin/sh", ["-c", """printf '{"net":"%s"}\n' "$(readlink /proc/self/ns/net)"; exec sleep 60"""]);
        using var json = JsonLinesProcess.Start(fileName, arguments);
        var line = await json.WaitForAsync(l => l.TryGetProperty("net", out _), Patience, "net");
        var addresses = ns.RunProgram(NamespaceIp(), ["-4", "-o", "addr", "show"]);

        Assert.Equal("ip", Path.GetFileName(fileName));
        Assert.Equal(["netns", "exec", ns.Name, "/bin/sh"], arguments.Take(4));
        Assert.Equal(expected, line.GetProperty("net").GetString());
        Assert.Contains(lan.Hosts[0].Address.ToString() + "/24", addresses.StandardOutput, StringComparison.Ordinal);
        Assert.False(json.HasExited);
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_a_process_left_running_in_a_lan_When_the_lan_is_disposed_Then_the_process_is_killed_and_no_namespace_remains()
    {
        var lan = VirtualLan.Create(2);
        var names = lan.NamespaceNames;
        using var sleeper = lan.Hosts[1].Namespace.StartTextLines("sleep", ["60"]);
        await Eventually.TrueAsync(() => lan.Hosts[1].Namespace.ProcessIds().Contains(sleeper.Pid), Patience, () => "sleep not inside");

        lan.Dispose();

        Assert.True(sleeper.WaitForExit(Patience));
        var listed = ListNamespaces();
        Assert.All(names, name => Assert.DoesNotContain(name, listed));
        Assert.All(names, name => Assert.False(File.Exists(Path.Combine(NetworkNamespace.Directory, name))));
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_leftover_namespaces_of_a_dead_and_a_live_process_When_a_lan_is_created_Then_only_the_dead_ones_go_with_their_processes()
    {
        VirtualLan.RequirePieces();
        var impossiblePid = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture) + 1;
        // The sequence field carries this process's pid so that parallel runs of this test do not share names.
        var dead = new NetworkNamespace($"{VirtualLan.NamePrefix}{impossiblePid}-{Environment.ProcessId}-h1");
        var live = new NetworkNamespace($"{VirtualLan.NamePrefix}{Environment.ProcessId}-{int.MaxValue}-h1");
        try
        {
            AddNamespace(dead);
            AddNamespace(live);
            using var orphan = dead.StartTextLines("sleep", ["60"]);
            await Eventually.TrueAsync(() => dead.ProcessIds().Contains(orphan.Pid), Patience, () => "sleep not inside");

            using (VirtualLan.Create(1))
            {
                Assert.False(dead.Exists);
                Assert.True(live.Exists);
                Assert.True(orphan.WaitForExit(Patience));
            }

            Assert.True(live.Exists);
        }
        finally
        {
            foreach (var ns in new[] { dead, live }.Where(ns => ns.Exists))
            {
                ExternalProgram.Run(NamespaceIp(), ["netns", "del", ns.Name]);
            }
        }
    }

    internal static Socket BoundUdp(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(endPoint);
        return socket;
    }

    /// <summary>
    /// An mDNS socket as a responder would open one (TESTBED): shared 0.0.0.0:5353, the group joined on the
    /// host's interface by index, multicast sent out of that interface, TTL 255 (RFC 6762 §11).
    /// </summary>
    internal static Socket MdnsSocket(VirtualHost host)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, 5353));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(MdnsGroup, host.InterfaceIndex));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(host.InterfaceIndex));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static async Task<(string Text, EndPoint From)> ReceiveAsync(Socket socket, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Patience);
        var buffer = new byte[1500];
        var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline.Token);
        return (Encoding.ASCII.GetString(buffer, 0, result.ReceivedBytes), result.RemoteEndPoint);
    }

    private static string NamespaceIp() => SystemPiece.FindProgram("ip") ?? "ip";

    private static List<string> ListNamespaces() =>
        [.. ExternalProgram.Run(NamespaceIp(), ["netns", "list"]).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])];

    private static void AddNamespace(NetworkNamespace ns)
    {
        var result = ExternalProgram.Run(NamespaceIp(), ["netns", "add", ns.Name]);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }
}
