namespace MeshConf.Node.Net;

/// <summary>
/// How late the relay's scheduler sent delayed copies compared with their due time: the accuracy of the
/// delays it imposes. Copies sent at once (zero delay) are not counted.
/// </summary>
/// <param name="Sends">Delayed copies sent.</param>
/// <param name="Mean">Mean lateness.</param>
/// <param name="Max">Worst lateness.</param>
/// <param name="OverOneMillisecond">Copies sent more than 1 ms late.</param>
public readonly record struct SchedulingLateness(long Sends, TimeSpan Mean, TimeSpan Max, long OverOneMillisecond);
