using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>
/// What one node publishes on one interface: the instance name people see (<c>darker (a1b2)</c>), the host label
/// its addresses hang under (<c>darker-a1b2</c>.local), the port, the TXT properties and the interface's addresses.
/// Immutable; a responder renames on conflict without changing its advert (see <see cref="MdnsNames"/>).
/// </summary>
internal sealed class ServiceAdvert
{
    /// <summary>Room kept for the TXT rdata, so that an announcement with a few addresses stays in one packet.</summary>
    public const int MaxTxtLength = 1000;

    /// <summary>
    /// At most this many addresses: with the largest TXT, each name's probe and records still fit a packet
    /// (an interface with more is unusual; pick the ones peers should dial).
    /// </summary>
    public const int MaxAddresses = 32;

    /// <summary>How many characters of the node id the names carry.</summary>
    public const int ShortIdLength = 4;

    /// <exception cref="ArgumentException">A label is empty or too long, the host label is not letters, digits and hyphens,
    /// a TXT key is invalid or the TXT is too long, or there is no address or more than <see cref="MaxAddresses"/>.</exception>
    public ServiceAdvert(
        string instanceName,
        string hostLabel,
        ushort port,
        IEnumerable<(string Key, string? Value)> properties,
        IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(instanceName);
        ArgumentNullException.ThrowIfNull(hostLabel);
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(addresses);
        if (Encoding.UTF8.GetByteCount(instanceName) is 0 or > DnsName.MaxLabelLength)
        {
            throw new ArgumentException($"an instance name is 1 to {DnsName.MaxLabelLength} bytes of UTF-8: '{instanceName}'", nameof(instanceName));
        }

        if (hostLabel.Length is 0 or > DnsName.MaxLabelLength || !hostLabel.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            || hostLabel[0] == '-' || hostLabel[^1] == '-')
        {
            throw new ArgumentException($"a host label is 1 to {DnsName.MaxLabelLength} letters, digits and inner hyphens: '{hostLabel}'", nameof(hostLabel));
        }

        Properties = [.. properties];
        var txt = TxtRecord.FromProperties(Mdns.ServiceType, 0, Properties); // validates the keys and lengths
        if (txt.RdataToArray().Length > MaxTxtLength)
        {
            throw new ArgumentException($"the TXT properties take more than {MaxTxtLength} bytes", nameof(properties));
        }

        // IPv4 first, then IPv6, each once, without scope ids (the wire has no room for them).
        var unique = new List<IPAddress>();
        foreach (var address in addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1))
        {
            ArgumentNullException.ThrowIfNull(address, nameof(addresses));
            if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                throw new ArgumentException($"not an IPv4 or IPv6 address: {address}", nameof(addresses));
            }

            var plain = new IPAddress(address.GetAddressBytes());
            if (!unique.Contains(plain))
            {
                unique.Add(plain);
            }
        }

        if (unique.Count is 0 or > MaxAddresses)
        {
            throw new ArgumentException($"an advert holds 1 to {MaxAddresses} addresses, not {unique.Count}", nameof(addresses));
        }

        InstanceName = instanceName;
        HostLabel = hostLabel;
        Port = port;
        Addresses = unique;
    }

    /// <summary>The instance label as first proposed, UTF-8, spaces and parentheses allowed (RFC 6763 §4.1.1).</summary>
    public string InstanceName { get; }

    /// <summary>The host label as first proposed; the host name is <c>HostLabel.local</c>.</summary>
    public string HostLabel { get; }

    public ushort Port { get; }

    public IReadOnlyList<(string Key, string? Value)> Properties { get; }

    /// <summary>The interface's addresses, IPv4 first.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>
    /// A node's advert: instance <c>person (abcd)</c> and host <c>person-abcd</c>, where <c>abcd</c> is the start of
    /// the node id, and TXT <c>v</c>, <c>s</c>, <c>id</c>, <c>fp</c>. The person's name is shortened to fit a label;
    /// for the host label it is folded to lower-case letters, digits and hyphens.
    /// </summary>
    public static ServiceAdvert ForNode(string person, string nodeId, string session, string fingerprint, ushort port, IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(fingerprint);
        var shortId = HostSafe(nodeId.Length > ShortIdLength ? nodeId[..ShortIdLength] : nodeId);
        shortId = shortId.Length == 0 ? "0" : shortId;
        var shown = person.Trim().Length == 0 ? "meshconf" : person.Trim();
        var suffix = $" ({shortId})";
        var instance = MdnsNames.TruncateUtf8(shown, DnsName.MaxLabelLength - Encoding.UTF8.GetByteCount(suffix)) + suffix;
        var hostPerson = HostSafe(shown);
        hostPerson = hostPerson.Length == 0 ? "meshconf" : hostPerson;
        var hostSuffix = $"-{shortId}";
        var host = hostPerson[..Math.Min(hostPerson.Length, DnsName.MaxLabelLength - hostSuffix.Length)].TrimEnd('-') + hostSuffix;
        return new ServiceAdvert(
            instance,
            host,
            port,
            [(Mdns.VersionKey, Mdns.ProtocolVersion), (Mdns.SessionKey, session), (Mdns.NodeIdKey, nodeId), (Mdns.FingerprintKey, fingerprint)],
            addresses);
    }

    /// <summary>Lower-case ASCII letters and digits kept, every run of anything else one hyphen, none at the ends.</summary>
    private static string HostSafe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().TrimEnd('-');
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"'{InstanceName}' on {HostLabel}.local:{Port} ({string.Join(", ", Addresses)})");
}
