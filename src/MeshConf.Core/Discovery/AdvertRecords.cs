using System.Net.Sockets;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>
/// The records a responder owns for an advert under its current names (RFC 6763 §12, RFC 6762 §10): the shared
/// PTRs <c>_services._dns-sd._udp.local → _meshconf._udp.local</c> and <c>_meshconf._udp.local → instance</c>,
/// the unique SRV and TXT on the instance name, the unique A and AAAA records on the host name, and an NSEC for
/// each of the two unique names saying which types exist there (§6.1). Unique records carry the cache-flush bit.
/// </summary>
internal sealed class AdvertRecords
{
    private readonly DnsRecord[] _announced;
    private readonly DnsRecord[] _unique;
    private readonly DnsRecord[] _instanceRecords;
    private readonly DnsRecord[] _hostRecords;
    private readonly DnsRecord[] _ipv4;
    private readonly DnsRecord[] _ipv6;

    public AdvertRecords(ServiceAdvert advert, string instanceLabel, string hostLabel)
    {
        ArgumentNullException.ThrowIfNull(advert);
        InstanceName = Mdns.ServiceType.Prepend(instanceLabel);
        HostName = Mdns.LocalDomain.Prepend(hostLabel);
        EnumerationPtr = new PtrRecord(Mdns.ServiceTypeEnumeration, Mdns.OtherRecordTtl, Mdns.ServiceType);
        ServicePtr = new PtrRecord(Mdns.ServiceType, Mdns.OtherRecordTtl, InstanceName);
        Srv = new SrvRecord(InstanceName, Mdns.HostRecordTtl, 0, 0, advert.Port, HostName, cacheFlush: true);
        Txt = TxtRecord.FromProperties(InstanceName, Mdns.OtherRecordTtl, advert.Properties, cacheFlush: true);
        _ipv4 = [.. advert.Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => new ARecord(HostName, Mdns.HostRecordTtl, a, cacheFlush: true))];
        _ipv6 = [.. advert.Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6)
            .Select(a => new AaaaRecord(HostName, Mdns.HostRecordTtl, a, cacheFlush: true))];
        InstanceNsec = new NsecRecord(InstanceName, Mdns.OtherRecordTtl, [DnsType.Srv, DnsType.Txt], cacheFlush: true);
        var hostTypes = new List<DnsType>();
        if (_ipv4.Length > 0)
        {
            hostTypes.Add(DnsType.A);
        }

        if (_ipv6.Length > 0)
        {
            hostTypes.Add(DnsType.Aaaa);
        }

        HostNsec = new NsecRecord(HostName, Mdns.HostRecordTtl, hostTypes, cacheFlush: true);
        _unique = [Srv, Txt, .. _ipv4, .. _ipv6];
        _announced = [EnumerationPtr, ServicePtr, .. _unique];
        _instanceRecords = [Srv, Txt, InstanceNsec];
        _hostRecords = [.. _ipv4, .. _ipv6, HostNsec];
    }

    /// <summary>The instance's full name, <c>label._meshconf._udp.local</c>.</summary>
    public DnsName InstanceName { get; }

    /// <summary>The host name, <c>label.local</c>.</summary>
    public DnsName HostName { get; }

    public PtrRecord EnumerationPtr { get; }

    public PtrRecord ServicePtr { get; }

    public SrvRecord Srv { get; }

    public TxtRecord Txt { get; }

    public NsecRecord InstanceNsec { get; }

    public NsecRecord HostNsec { get; }

    /// <summary>What an announcement and a goodbye carry in the answer section: both PTRs, SRV, TXT and the addresses.</summary>
    public IReadOnlyList<DnsRecord> Announced => _announced;

    /// <summary>The NSECs an announcement carries as additional records.</summary>
    public IReadOnlyList<DnsRecord> AnnouncedAdditionals => [InstanceNsec, HostNsec];

    /// <summary>SRV, TXT and the addresses: what probing claims and a conflict threatens.</summary>
    public IReadOnlyList<DnsRecord> Unique => _unique;

    /// <summary>True for the two names this responder owns alone.</summary>
    public bool IsUniqueName(DnsName name) => name.Equals(InstanceName) || name.Equals(HostName);

    /// <summary>Every record held for one of the unique names, its NSEC included (empty for other names).</summary>
    public IReadOnlyList<DnsRecord> RecordsOf(DnsName name) =>
        name.Equals(InstanceName) ? _instanceRecords : name.Equals(HostName) ? _hostRecords : [];

    /// <summary>
    /// What a probe proposes for <paramref name="name"/> in its authority section (§8.1): the records that will be
    /// announced there, without the cache-flush bit, sorted as the tiebreak compares them (§8.2).
    /// </summary>
    public List<DnsRecord> Proposal(DnsName name)
    {
        var records = RecordsOf(name).Where(r => r.Type != DnsType.Nsec).Select(r => r.WithTtl(r.Ttl, cacheFlush: false)).ToList();
        records.Sort(static (x, y) => x.CompareRdata(y));
        return records;
    }

    /// <summary>
    /// Adds the records that answer <paramref name="question"/>. A question for a type a unique name does not have
    /// is answered with that name's NSEC, a negative answer (§6.1); other names are not ours and get nothing.
    /// </summary>
    public void Answer(DnsQuestion question, List<DnsRecord> into)
    {
        var name = question.Name;
        var type = question.Type;
        if (name.Equals(Mdns.ServiceType))
        {
            AddIf(into, ServicePtr, type is DnsType.Ptr or DnsType.Any);
        }
        else if (name.Equals(Mdns.ServiceTypeEnumeration))
        {
            AddIf(into, EnumerationPtr, type is DnsType.Ptr or DnsType.Any);
        }
        else if (name.Equals(InstanceName))
        {
            switch (type)
            {
                case DnsType.Any:
                    AddIf(into, Srv, true);
                    AddIf(into, Txt, true);
                    break;
                case DnsType.Srv:
                    AddIf(into, Srv, true);
                    break;
                case DnsType.Txt:
                    AddIf(into, Txt, true);
                    break;
                default:
                    AddIf(into, InstanceNsec, true);
                    break;
            }
        }
        else if (name.Equals(HostName))
        {
            DnsRecord[] found = type switch
            {
                DnsType.Any => [.. _ipv4, .. _ipv6],
                DnsType.A => _ipv4,
                DnsType.Aaaa => _ipv6,
                _ => [],
            };
            foreach (var record in found.Length > 0 ? found : [HostNsec])
            {
                AddIf(into, record, true);
            }
        }
    }

    /// <summary>
    /// The additional records for a set of answers (RFC 6763 §12, RFC 6762 §6.2): for our service PTR the SRV, TXT,
    /// addresses and NSECs; for the SRV the addresses and the host's NSEC; for an address the other family's
    /// addresses. Records already among the answers are left out.
    /// </summary>
    public List<DnsRecord> Additionals(IReadOnlyCollection<DnsRecord> answers)
    {
        var additionals = new List<DnsRecord>();
        foreach (var answer in answers)
        {
            if (answer.Equals(ServicePtr))
            {
                AddAll(additionals, answers, [Srv, Txt, .. _ipv4, .. _ipv6, InstanceNsec, HostNsec]);
            }
            else if (answer.Equals(Srv))
            {
                AddAll(additionals, answers, [.. _ipv4, .. _ipv6, HostNsec]);
            }
            else if (answer.Type is DnsType.A or DnsType.Aaaa && answer.Name.Equals(HostName))
            {
                AddAll(additionals, answers, [.. _ipv4, .. _ipv6, HostNsec]);
            }
        }

        return additionals;
    }

    private static void AddAll(List<DnsRecord> into, IReadOnlyCollection<DnsRecord> except, DnsRecord[] records)
    {
        foreach (var record in records)
        {
            AddIf(into, record, !except.Contains(record));
        }
    }

    private static void AddIf(List<DnsRecord> into, DnsRecord record, bool condition)
    {
        if (condition && !into.Contains(record))
        {
            into.Add(record);
        }
    }
}
