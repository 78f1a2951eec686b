using System.Net;

namespace MeshConf.Core.Mesh;

/// <summary>One member as another member sees it: who, and the address it can be dialled at.</summary>
internal sealed record RosterEntry(ulong NodeId, string Name, IPEndPoint Address);
