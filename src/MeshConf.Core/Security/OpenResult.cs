namespace MeshConf.Core.Security;

/// <summary>What became of one received packet. Everything but <see cref="Ok"/> means: drop it (it was counted).</summary>
public enum OpenResult
{
    /// <summary>Authentic and new: the plaintext is in the destination.</summary>
    Ok,

    /// <summary>
    /// Cannot be a packet of ours: too short, wrong kind byte, channel out of range, destination too small, or a
    /// counter two or more key epochs ahead.
    /// </summary>
    Malformed,

    /// <summary>The GCM tag did not verify: forged, corrupted, or sealed for another link, channel or message type.</summary>
    BadTag,

    /// <summary>Inside the replay window and already opened once.</summary>
    Replay,

    /// <summary>Older than the replay window (or than the keys still held), so it can no longer be checked.</summary>
    Stale,
}
