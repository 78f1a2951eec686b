using MeshConf.Node.Net;

namespace MeshConf.Node.Mesh;

/// <summary>
/// Receives an application message (type at or above MeshMessageType.FirstApplication) from a peer. Called on
/// the mesh's receive thread: copy what you keep, return quickly.
/// </summary>
internal delegate void MeshMessageHandler(ulong peerId, MeshChannel channel, byte messageType, ReadOnlySpan<byte> payload);
