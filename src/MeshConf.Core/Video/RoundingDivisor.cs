namespace MeshConf.Core.Video;

/// <summary>
/// Rounded division of a sum of byte values by a fixed count, by a multiply and a shift instead of a division:
/// <see cref="Round"/> gives exactly <c>(sum + count / 2) / count</c> for every <c>0 &lt;= sum &lt;= 255 · count</c>.
/// </summary>
/// <remarks>
/// With <c>m = ceil(2^52 / n)</c> and <c>e = m·n − 2^52 &lt; n</c>, <c>floor(x·m / 2^52) = floor(x / n)</c> whenever
/// <c>x·e &lt; 2^52</c> (Granlund and Montgomery, "Division by invariant integers using multiplication", 1994).
/// Here <c>x &lt; 256·n</c>, so that holds for <c>n &lt; 2^22</c>, and <c>x·m &lt; 2^61</c> never overflows. Larger
/// counts (a box of more than four million pixels) fall back to a division.
/// </remarks>
internal readonly struct RoundingDivisor
{
    private const int Shift = 52;
    private const int MaxFastCount = 1 << 22;

    private readonly long _count;
    private readonly ulong _multiplier;

    /// <param name="count">The divisor, at least 1.</param>
    public RoundingDivisor(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _count = count;
        _multiplier = count < MaxFastCount ? ((1UL << Shift) + (ulong)count - 1) / (ulong)count : 0;
    }

    /// <summary><c>(sum + count / 2) / count</c>, for sums of at most 255 · count.</summary>
    public int Round(long sum)
    {
        var x = sum + (_count >> 1);
        return _multiplier != 0 ? (int)(((ulong)x * _multiplier) >> Shift) : (int)(x / _count);
    }
}
