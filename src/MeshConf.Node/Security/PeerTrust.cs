namespace MeshConf.Node.Security;

/// <summary>What the known-peers file says about a name and the fingerprint it presents now.</summary>
public enum PeerTrust
{
    /// <summary>Never seen under this name: trust on first use, or ask.</summary>
    Unknown,

    /// <summary>Seen before under this name with this very fingerprint.</summary>
    Trusted,

    /// <summary>Seen before under this name with another key: a new install, or someone pretending. Warn loudly.</summary>
    Mismatch,
}
