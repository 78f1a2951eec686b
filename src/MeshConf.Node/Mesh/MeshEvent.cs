using System.Net;
using MeshConf.Core.Mesh;
using MeshConf.Core.Security;

namespace MeshConf.Node.Mesh;

/// <summary>Something the user (or a bot reading JSON lines) should hear about.</summary>
internal abstract record MeshEvent;

/// <summary>A peer finished its handshake and is part of the call.</summary>
internal sealed record PeerJoinedEvent(ulong NodeId, string Name, IPEndPoint Address, Fingerprint Fingerprint) : MeshEvent;

/// <summary>A peer left: "bye" (it said so), "timeout" (it stopped answering) or "link lost".</summary>
internal sealed record PeerLeftEvent(ulong NodeId, string Name, string Reason) : MeshEvent;

/// <summary>A link was refused, by this node or (<paramref name="ByPeer"/>) by the other side.</summary>
internal sealed record RefusedEvent(IPEndPoint Address, RefusalCode Code, string Reason, bool ByPeer) : MeshEvent;

/// <summary>An explicit peer could not be reached; it is tried again after <paramref name="RetryIn"/>.</summary>
internal sealed record UnreachableEvent(IPEndPoint Address, int Attempt, TimeSpan RetryIn, string Reason) : MeshEvent;
