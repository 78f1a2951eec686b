namespace MeshConf.Terminal.Call;

/// <summary>
/// One row of the stats overlay. A figure not known (yet) is null and shows as "-"; so does NaN.
/// </summary>
/// <param name="Name">The peer's name.</param>
/// <param name="RttMs">Round-trip time, milliseconds.</param>
/// <param name="LossPercent">Packet loss, percent.</param>
/// <param name="JitterBufferMs">Audio jitter buffer delay, milliseconds.</param>
/// <param name="AudioKbps">Audio received, kbit/s.</param>
/// <param name="VideoKbps">Video received, kbit/s.</param>
/// <param name="Fps">Video frames shown per second.</param>
/// <param name="Fingerprint">The peer's short fingerprint ("a1b2-c3d4-e5f6-0718").</param>
internal sealed record PeerStatsRow(
    string Name,
    double? RttMs = null,
    double? LossPercent = null,
    double? JitterBufferMs = null,
    double? AudioKbps = null,
    double? VideoKbps = null,
    double? Fps = null,
    string? Fingerprint = null);
