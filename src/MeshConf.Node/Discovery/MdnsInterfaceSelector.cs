using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace MeshConf.Node.Discovery;

/// <summary>
/// Chooses the interfaces mDNS runs on. By default: every interface that is up, multicast-capable, has an IPv4
/// address and is not loopback. With <c>--interface NAME</c>: that interface only, loopback allowed (naming
/// <c>lo</c> pins mDNS to the machine itself). Problems are <see cref="MdnsUnavailableException"/>s with a one-line
/// message that lists the interfaces there are.
/// <para>
/// Interfaces are enumerated through netlink (getifaddrs), which answers for the network namespace of the
/// calling THREAD: run <see cref="Select(string?)"/> on the thread, and in the namespace, that will open the sockets.
/// </para>
/// </summary>
internal static class MdnsInterfaceSelector
{
    /// <summary>The interfaces of the calling thread's network namespace chosen for <paramref name="interfaceName"/> (null: automatic).</summary>
    /// <exception cref="MdnsUnavailableException">No interface qualifies, or the named one does not exist or cannot carry mDNS.</exception>
    public static IReadOnlyList<MdnsInterface> Select(string? interfaceName) => Select(Enumerate(), interfaceName);

    /// <summary>The pure rule, over interfaces described by the caller.</summary>
    public static IReadOnlyList<MdnsInterface> Select(IReadOnlyList<MdnsInterfaceCandidate> candidates, string? interfaceName)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (interfaceName is not null)
        {
            var named = candidates.FirstOrDefault(c => string.Equals(c.Name, interfaceName, StringComparison.Ordinal))
                ?? throw new MdnsUnavailableException($"no network interface named '{interfaceName}' (there are: {List(candidates)})");
            return named.Unusable is { } reason
                ? throw new MdnsUnavailableException($"interface '{named.Name}' cannot carry mDNS: {reason}")
                : [named.ToInterface()];
        }

        var chosen = candidates.Where(c => !c.IsLoopback && c.Unusable is null).Select(c => c.ToInterface()).ToList();
        return chosen.Count > 0
            ? chosen
            : throw new MdnsUnavailableException(
                $"no interface is up, multicast-capable, with an IPv4 address and not loopback (there are: {List(candidates)}); name one with --interface");
    }

    /// <summary>Every interface of the calling thread's network namespace, in the kernel's order.</summary>
    public static IReadOnlyList<MdnsInterfaceCandidate> Enumerate()
    {
        var candidates = new List<MdnsInterfaceCandidate>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (IndexOf(nic) is not { } index)
            {
                continue;
            }

            var addresses = nic.GetIPProperties().UnicastAddresses
                .Select(a => a.Address)
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
                .ToList();

            // .NET takes state, type and flags from netlink too (not from /sys, which shows the namespace sysfs
            // was mounted in), so they describe the calling thread's namespace: the namespace tests check it.
            // Linux says "unknown" for lo and for virtual links without carrier tracking: that is up enough.
            var isUp = nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown;
            candidates.Add(new MdnsInterfaceCandidate(
                nic.Name,
                index,
                isUp,
                nic.NetworkInterfaceType == NetworkInterfaceType.Loopback,
                nic.SupportsMulticast,
                addresses));
        }

        return candidates;
    }

    private static int? IndexOf(NetworkInterface nic)
    {
        try
        {
            return nic.GetIPProperties().GetIPv4Properties()?.Index;
        }
        catch (NetworkInformationException)
        {
            return null; // no IPv4 on this interface at all: nothing mDNS over IPv4 could use
        }
    }

    private static string List(IReadOnlyList<MdnsInterfaceCandidate> candidates) =>
        candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(c => c.Describe()));
}
