namespace MeshConf.Core.Mesh;

/// <summary>
/// Decides which of two links between the same pair of nodes survives when both dialled at once. Both ends
/// must reach the same answer without talking, so the rule uses only what both know: keep the link dialled
/// by the node with the smaller id. If the same node dialled both (two addresses of one peer), keep the
/// older link.
/// </summary>
internal static class LinkArbiter
{
    /// <summary>True when the link dialled by <paramref name="candidateInitiator"/> (ordered by
    /// <paramref name="candidateOrder"/>) beats the one dialled by <paramref name="otherInitiator"/>.</summary>
    public static bool Prefers(ulong candidateInitiator, long candidateOrder, ulong otherInitiator, long otherOrder) =>
        candidateInitiator != otherInitiator ? candidateInitiator < otherInitiator : candidateOrder < otherOrder;
}
