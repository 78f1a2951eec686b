namespace MeshConf.Core.Dns;

/// <summary>
/// The resource record types the codec understands (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 4034), plus ANY,
/// which only appears in questions. Any other value may still arrive in a question; records of other types are
/// skipped when read.
/// </summary>
internal enum DnsType : ushort
{
    A = 1,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Nsec = 47,
    Any = 255,
}
