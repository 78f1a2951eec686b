using System.Net;
using System.Text;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>
/// A resolved instance of <c>_meshconf._udp.local</c> (RFC 6763 §4-§6): its PTR, SRV and TXT records and at least
/// one address of the SRV target were all in the cache. Immutable: a change makes a new one.
/// </summary>
internal sealed class DiscoveredService
{
    public DiscoveredService(DnsName instanceName, DnsName host, ushort port, IReadOnlyList<IPAddress> addresses, IReadOnlyDictionary<string, string?> properties)
    {
        ArgumentNullException.ThrowIfNull(instanceName);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(properties);
        InstanceName = instanceName;
        Host = host;
        Port = port;
        Addresses = addresses;
        Properties = properties;
    }

    /// <summary>The full instance name, <c>darker (a1b2)._meshconf._udp.local</c>.</summary>
    public DnsName InstanceName { get; }

    /// <summary>The instance label as people read it, <c>darker (a1b2)</c>.</summary>
    public string Name => InstanceName.GetLabelText(0);

    /// <summary>The SRV target.</summary>
    public DnsName Host { get; }

    public ushort Port { get; }

    /// <summary>The host's addresses, IPv4 first, each family in byte order.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The TXT attributes, keys compared ignoring case, the first of a repeated key kept (RFC 6763 §6.4); null for a key without '='.</summary>
    public IReadOnlyDictionary<string, string?> Properties { get; }

    /// <summary>TXT <c>v</c>: the protocol version the node speaks.</summary>
    public string? ProtocolVersion => Property(Mdns.VersionKey);

    /// <summary>TXT <c>s</c>: the session the node is in.</summary>
    public string? SessionId => Property(Mdns.SessionKey);

    /// <summary>TXT <c>id</c>: the node id; null when absent, and such a service cannot be dialled as a peer.</summary>
    public string? NodeId => Property(Mdns.NodeIdKey);

    /// <summary>TXT <c>fp</c>: the short fingerprint of the node's key.</summary>
    public string? Fingerprint => Property(Mdns.FingerprintKey);

    public string? Property(string key) => Properties.TryGetValue(key, out var value) ? value : null;

    /// <summary>The attributes of a TXT record (RFC 6763 §6.3-§6.5); strings with no key are passed over.</summary>
    public static IReadOnlyDictionary<string, string?> ParseProperties(TxtRecord txt)
    {
        ArgumentNullException.ThrowIfNull(txt);
        var properties = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var memory in txt.Strings)
        {
            var text = memory.Span;
            var equals = text.IndexOf((byte)'=');
            var key = equals < 0 ? text : text[..equals];
            if (key.IsEmpty)
            {
                continue;
            }

            properties.TryAdd(Encoding.UTF8.GetString(key), equals < 0 ? null : Encoding.UTF8.GetString(text[(equals + 1)..]));
        }

        return properties;
    }

    /// <summary>Same name, host, port, addresses and attributes.</summary>
    public bool SameAs(DiscoveredService other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return InstanceName.Equals(other.InstanceName)
            && Host.Equals(other.Host)
            && Port == other.Port
            && Addresses.SequenceEqual(other.Addresses)
            && Properties.Count == other.Properties.Count
            && Properties.All(p => other.Properties.TryGetValue(p.Key, out var value) && string.Equals(p.Value, value, StringComparison.Ordinal));
    }

    public override string ToString() => $"{Name} at {Host}:{Port} ({string.Join(", ", Addresses)})";
}
