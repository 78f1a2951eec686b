namespace MeshConf.Core.Discovery;

/// <summary>What happened to a discovered service.</summary>
internal enum ServiceChangeKind
{
    /// <summary>Resolved for the first time (or again after it was removed).</summary>
    Found,

    /// <summary>Still resolved, with another host, port, address set or TXT.</summary>
    Changed,

    /// <summary>Gone: a goodbye, an expired record, or a record it needs flushed away.</summary>
    Removed,
}
