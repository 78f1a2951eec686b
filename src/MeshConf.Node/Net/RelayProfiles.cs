using MeshConf.Core.Net;

namespace MeshConf.Node.Net;

/// <summary>The profiles of both directions, swapped as one reference so a change is seen whole.</summary>
internal sealed record RelayProfiles(ImpairmentProfile ToTarget, ImpairmentProfile FromTarget);
