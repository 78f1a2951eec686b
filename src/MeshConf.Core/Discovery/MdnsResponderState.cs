namespace MeshConf.Core.Discovery;

/// <summary>Where a responder is in RFC 6762's life of a unique name (§8, §9, §10.1).</summary>
internal enum MdnsResponderState
{
    /// <summary>Built, not started.</summary>
    Idle,

    /// <summary>Asking whether the names are free (§8.1); answers nothing yet.</summary>
    Probing,

    /// <summary>The names are ours; the unsolicited announcements are still going out (§8.3).</summary>
    Announcing,

    /// <summary>Announced; answering and defending.</summary>
    Announced,

    /// <summary>Goodbyes sent (or never announced); silent from now on.</summary>
    Stopped,
}
