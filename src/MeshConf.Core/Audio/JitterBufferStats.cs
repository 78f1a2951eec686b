namespace MeshConf.Core.Audio;

/// <summary>
/// A snapshot of one peer's <see cref="JitterBuffer"/>. Packet counts (<see cref="Received"/> onwards to
/// <see cref="Rejected"/>) are per arriving packet; frame counts (<see cref="Decoded"/> onwards) per playout step.
/// </summary>
/// <param name="DelayMs">How long after the fastest recent packets frames are played now (the buffering delay).</param>
/// <param name="TargetMs">The delay aimed at: a high quantile of arrival jitter plus margin and half a frame, 20 to 200 ms.</param>
/// <param name="JitterMs">That quantile (99 %) of the excess transit over the fastest recent packets.</param>
/// <param name="Buffered">Packets held now.</param>
/// <param name="Received">Packets taken in (not duplicates or rejected; late ones included).</param>
/// <param name="Duplicates">Copies of packets already received.</param>
/// <param name="Late">Packets that came after their frame was played or concealed.</param>
/// <param name="Rejected">Packets that were not audio frames of ours.</param>
/// <param name="Decoded">Frames played from their own packet.</param>
/// <param name="Lost">
/// Frames whose packet was missing when they were due, rebuilt or concealed; not counting the frames concealed
/// after a spurt whose sender simply paused (known once the next packet continues the sequence).
/// </param>
/// <param name="FecRecovered">Missing frames rebuilt from the next packet's FEC.</param>
/// <param name="Concealed">Frames concealed (PLC) for a missing packet, including the fade-out after a spurt that ended.</param>
/// <param name="Dropped">Packets thrown away unplayed to shrink the delay (or when the buffer had to skip ahead).</param>
/// <param name="Inserted">Concealment frames inserted to grow the delay.</param>
/// <param name="Spurts">Times playout (re)started: the first packet and each talk spurt after a pause.</param>
internal readonly record struct JitterBufferStats(
    double DelayMs,
    double TargetMs,
    double JitterMs,
    int Buffered,
    long Received,
    long Duplicates,
    long Late,
    long Rejected,
    long Decoded,
    long Lost,
    long FecRecovered,
    long Concealed,
    long Dropped,
    long Inserted,
    long Spurts);
