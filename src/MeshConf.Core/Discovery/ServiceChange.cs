namespace MeshConf.Core.Discovery;

/// <summary>One change a browser reports; for <see cref="ServiceChangeKind.Removed"/>, the service as it was last seen.</summary>
internal readonly record struct ServiceChange(ServiceChangeKind Kind, DiscoveredService Service);
