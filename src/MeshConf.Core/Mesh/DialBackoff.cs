namespace MeshConf.Core.Mesh;

/// <summary>
/// When to try an unreachable peer again: 1 s, 2 s, 4 s ... capped at 30 s, with ±20% jitter so nodes that
/// lost the same peer don't retry in lockstep. Pure: the caller supplies the random draw.
/// </summary>
internal static class DialBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <param name="failures">Consecutive failures so far (1 after the first).</param>
    /// <param name="unit">A uniform draw in [0, 1).</param>
    public static TimeSpan Delay(int failures, double unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failures);
        var exponent = Math.Min(failures - 1, 16);
        var nominal = Math.Min(First.TotalMilliseconds * Math.Pow(2, exponent), Cap.TotalMilliseconds);
        var jitter = 0.8 + (0.4 * Math.Clamp(unit, 0, 1));
        return TimeSpan.FromMilliseconds(nominal * jitter);
    }
}
