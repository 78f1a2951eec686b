using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MeshConf.TestSupport;

/// <summary>
/// Several hosts on one machine (TESTBED: network namespaces): N network namespaces, each with one veth
/// interface ("veth0", 10.77.Y.k/24, multicast on, a 224.0.0.0/4 route, lo up), whose peers are ports of one
/// bridge living in a namespace of its own. Both ends of every veth pair are created directly inside their
/// namespaces, so nothing ever appears in the machine's namespace and no traffic reaches its real interfaces.
/// Names are <c>mcnet-PID-SEQ-ROLE</c>: unique per process and LAN, and a run that crashed is recognised by
/// its dead pid and swept away by the next <see cref="Create"/>. <see cref="Dispose"/> kills, by pid, every
/// process still inside the namespaces (children a test started there) and deletes the namespaces.
/// </summary>
public sealed partial class VirtualLan : IDisposable
{
    /// <summary>What every namespace made here starts with; nothing else may use it.</summary>
    public const string NamePrefix = "mcnet-";

    /// <summary>The LAN interface inside each host's namespace.</summary>
    public const string LanInterfaceName = "veth0";

    /// <summary>The LAN's prefix length.</summary>
    public const int PrefixLength = 24;

    private const int MaxHosts = 200;
    private static int s_sequence;

    private readonly List<NetworkNamespace> _namespaces;
    private bool _disposed;

    private VirtualLan(string baseName, List<NetworkNamespace> namespaces, NetworkNamespace? bridge)
    {
        BaseName = baseName;
        _namespaces = namespaces;
        Bridge = bridge;
    }

    /// <summary>The hosts, in order: host k (from 1) has the address 10.77.Y.k.</summary>
    public IReadOnlyList<VirtualHost> Hosts { get; private set; } = [];

    /// <summary>The namespace holding the bridge (no addresses, nothing to run there), or null for a loopback-only LAN.</summary>
    public NetworkNamespace? Bridge { get; }

    /// <summary>The names of every namespace this LAN created: the hosts', then the bridge's.</summary>
    public IReadOnlyList<string> NamespaceNames => [.. _namespaces.Select(ns => ns.Name)];

    /// <summary><c>mcnet-PID-SEQ</c>: every namespace name of this LAN starts with it.</summary>
    public string BaseName { get; }

    /// <summary>
    /// Creates a LAN of <paramref name="hosts"/> namespaces joined by a bridge. Skips the test (fails it under
    /// CI) when it cannot: not root, no ip (iproute2), or namespaces not permitted here.
    /// </summary>
    public static VirtualLan Create(int hosts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hosts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hosts, MaxHosts);
        RequirePieces();
        RemoveStale();

        var sequence = Interlocked.Increment(ref s_sequence);
        var baseName = $"{NamePrefix}{Environment.ProcessId}-{sequence}";
        var subnet = sequence % 256;
        var bridge = new NetworkNamespace($"{baseName}-br");
        var hostNamespaces = Enumerable.Range(1, hosts).Select(k => new NetworkNamespace($"{baseName}-h{k}")).ToList();

        // One shell runs the lot: ~8 ip calls per host cost ~2 ms each there, against ~10 ms each from .NET.
        var script = new StringBuilder();
        script.AppendLine(CultureInfo.InvariantCulture, $"ip netns add {bridge.Name}");
        script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {bridge.Name} link add br0 type bridge mcast_snooping 0 forward_delay 0");
        script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {bridge.Name} link set br0 up");
        for (var k = 1; k <= hosts; k++)
        {
            var host = hostNamespaces[k - 1].Name;
            script.AppendLine(CultureInfo.InvariantCulture, $"ip netns add {host}");
            script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {bridge.Name} link add p{k} type veth peer name {LanInterfaceName} netns {host}");
            script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {bridge.Name} link set p{k} master br0 up");
            script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {host} link set lo up");
            script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {host} addr add 10.77.{subnet}.{k}/{PrefixLength} dev {LanInterfaceName}");
            script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {host} link set {LanInterfaceName} up multicast on");
            script.AppendLine(CultureInfo.InvariantCulture, $"ip -n {host} route add 224.0.0.0/4 dev {LanInterfaceName}");
        }

        var lan = new VirtualLan(baseName, [.. hostNamespaces, bridge], bridge);
        lan.Build(script.ToString(), hostNamespaces.Select((ns, i) => (ns, IPAddress.Parse($"10.77.{subnet}.{i + 1}"), LanInterfaceName)));
        return lan;
    }

    /// <summary>
    /// Creates one namespace with only <c>lo</c> (up, multicast on, 127.0.0.1 of scope link, 224.0.0.0/4 routed
    /// to it from 127.0.0.1):
    /// a private loopback where mDNS on 5353 meets nobody else's. Its single host has address 127.0.0.1 on "lo".
    /// </summary>
    public static VirtualLan CreateLoopbackOnly()
    {
        RequirePieces();
        RemoveStale();

        var sequence = Interlocked.Increment(ref s_sequence);
        var baseName = $"{NamePrefix}{Environment.ProcessId}-{sequence}";
        var ns = new NetworkNamespace($"{baseName}-lo");
        // 127.0.0.1 comes up with scope host, too narrow to be the source of a multicast datagram: a socket
        // that picks lo by index (IP_MULTICAST_IF with ifindex only) would send from 0.0.0.0. Scope link fixes it.
        var script = $"""
            ip netns add {ns.Name}
            ip -n {ns.Name} link set lo up multicast on
            ip -n {ns.Name} addr del 127.0.0.1/8 dev lo
            ip -n {ns.Name} addr add 127.0.0.1/8 dev lo scope link
            ip -n {ns.Name} route add 224.0.0.0/4 dev lo src 127.0.0.1
            """;
        var lan = new VirtualLan(baseName, [ns], bridge: null);
        lan.Build(script, [(ns, IPAddress.Loopback, "lo")]);
        return lan;
    }

    /// <summary>Skips the test (fails it under CI) unless this machine can make namespaces: root and ip.</summary>
    public static void RequirePieces()
    {
        SystemPiece.RequireRoot();
        SystemPiece.RequireProgram("ip", "iproute2");
    }

    /// <summary>
    /// Deletes namespaces named by <see cref="NamePrefix"/> whose creating process is dead (a crashed or killed
    /// test run), after killing by pid whatever still runs inside them. Namespaces of live processes (this
    /// one, a parallel run) are left alone. Returns how many were deleted.
    /// </summary>
    public static int RemoveStale()
    {
        if (!System.IO.Directory.Exists(NetworkNamespace.Directory))
        {
            return 0;
        }

        var removed = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(NetworkNamespace.Directory, NamePrefix + "*"))
        {
            var name = Path.GetFileName(path);
            var owner = OwnerPattern().Match(name);
            if (!owner.Success || !int.TryParse(owner.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
            {
                continue;
            }

            // Another process may be sweeping the same leftovers: losing that race is fine.
            if (TryDelete(new NetworkNamespace(name), out _))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Kills, by pid, every process inside the LAN's namespaces, then deletes the namespaces.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var problems = new List<string>();
        foreach (var ns in _namespaces)
        {
            if (!TryDelete(ns, out var problem))
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"VirtualLan {BaseName} left behind: {string.Join("; ", problems)}");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{BaseName}: {string.Join(", ", Hosts)}";

    private static bool IsAlive(int pid) => System.IO.Directory.Exists($"/proc/{pid}");

    /// <summary>
    /// Kills what runs inside <paramref name="ns"/> (SIGKILL by pid), waits until nothing does, deletes it.
    /// Deleting a host's namespace destroys its veth pair; deleting the bridge's destroys the bridge.
    /// </summary>
    private static bool TryDelete(NetworkNamespace ns, out string problem)
    {
        problem = string.Empty;
        if (!ns.Exists)
        {
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<int> inside;
        while ((inside = ns.ProcessIds()).Count > 0)
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(5))
            {
                problem = $"{ns.Name}: processes {string.Join(' ', inside)} did not die";
                return false;
            }

            foreach (var pid in inside)
            {
                Libc.Signal(pid, Libc.SigKill);
            }

            // ip netns pids skips zombies, so this loop ends as soon as the kernel has torn them down.
            Thread.Yield();
        }

        var result = ExternalProgram.Run(NetworkNamespace.IpProgram, ["netns", "del", ns.Name], timeout: TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0 && ns.Exists)
        {
            problem = $"{ns.Name}: ip netns del: exit {result.ExitCode}: {result.StandardError.Trim()}";
            return false;
        }

        return true;
    }

    private void Build(string script, IEnumerable<(NetworkNamespace Namespace, IPAddress Address, string Interface)> hosts)
    {
        try
        {
            var result = ExternalProgram.Run("/bin/sh", ["-exc", script], timeout: TimeSpan.FromSeconds(30));
            if (result.ExitCode != 0)
            {
                var permitted = _namespaces.Any(ns => ns.Exists);
                Dispose();

                // The first command creates a namespace: when none exists, this machine does not let us.
                SystemPiece.Require(permitted, $"permission to create network namespaces (ip netns add: {result.StandardError.Trim()})");
                throw new InvalidOperationException($"could not build VirtualLan {BaseName}: exit {result.ExitCode}\n{result.StandardError}");
            }

            Hosts = [.. hosts.Select(h => new VirtualHost(h.Namespace, h.Address, h.Interface, h.Namespace.InterfaceIndex(h.Interface)))];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"^mcnet-(\d+)-\d+-")]
    private static partial Regex OwnerPattern();
}
