namespace MeshConf.Core.Dns;

/// <summary>
/// A question of class IN (RFC 1035 §4.1.2). <paramref name="UnicastResponse"/> is the QU bit, the top bit of
/// qclass (RFC 6762 §5.4): the querier asks for the answer by unicast. Questions of other classes are skipped
/// when read, like records.
/// </summary>
internal sealed record DnsQuestion(DnsName Name, DnsType Type, bool UnicastResponse = false)
{
    public override string ToString() => $"{Name} {(UnicastResponse ? "IN/QU" : "IN")} {Type.ToString().ToUpperInvariant()}";
}
