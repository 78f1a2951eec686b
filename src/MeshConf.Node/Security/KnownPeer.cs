using MeshConf.Core.Security;

namespace MeshConf.Node.Security;

/// <summary>One remembered peer: its display name, the fingerprint first trusted for it, and when.</summary>
public sealed record KnownPeer(string Name, Fingerprint Fingerprint, DateOnly FirstSeen);
