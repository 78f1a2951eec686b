using System.Numerics;
using System.Runtime.CompilerServices;

namespace MeshConf.Core.Video;

/// <summary>
/// Rounded division of a sum of byte values by a fixed count, by a multiply and a shift instead of a division:
/// <see cref="Round"/> gives exactly <c>(sum + count / 2) / count</c> for every <c>0 &lt;= sum &lt;= 255 · count</c>.
/// Counts up to <see cref="MaxNarrowCount"/> also have a 32-bit form, <see cref="RoundNarrow(uint)"/>, that a
/// vector of sums can use lane by lane.
/// </summary>
/// <remarks>
/// <para>
/// With <c>m = ceil(2^k / n)</c> and <c>e = m·n − 2^k &lt; n</c>, <c>floor(x·m / 2^k) = floor(x / n)</c> whenever
/// <c>x·e &lt; 2^k</c> (Granlund and Montgomery, "Division by invariant integers using multiplication", 1994).
/// Here <c>x = sum + n/2 &lt; 256·n</c>.
/// </para>
/// <para>
/// 64-bit form, <c>k = 52</c>: holds for <c>n &lt; 2^22</c>, and <c>x·m &lt; 2^61</c> never overflows. Larger
/// counts (a box of more than four million pixels) fall back to a division.
/// </para>
/// <para>
/// 32-bit form, <c>k = 24</c>, <c>n &lt;= 256</c>: <c>x·e &lt; 256·n·(n − 1) &lt;= 256·256·255 &lt; 2^24</c>, and
/// <c>x·m &lt;= (255.5·n)(2^24 / n + 1) = 255.5·2^24 + 255.5·n &lt; 2^32</c>, so the product fits a uint lane.
/// </para>
/// </remarks>
internal readonly struct RoundingDivisor
{
    /// <summary>The largest count with a 32-bit form (<see cref="IsNarrow"/>): boxes of up to 256 pixels.</summary>
    public const int MaxNarrowCount = 256;

    private const int Shift = 52;
    private const int NarrowShift = 24;
    private const int MaxFastCount = 1 << 22;

    private readonly long _count;
    private readonly ulong _multiplier;
    private readonly uint _narrowMultiplier;
    private readonly uint _half;
    private readonly int _log2;

    /// <param name="count">The divisor, at least 1.</param>
    public RoundingDivisor(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _count = count;
        _half = (uint)count >> 1;
        _multiplier = count < MaxFastCount ? ((1UL << Shift) + (ulong)count - 1) / (ulong)count : 0;
        _narrowMultiplier = count <= MaxNarrowCount ? (uint)(((1UL << NarrowShift) + (ulong)count - 1) / (ulong)count) : 0;
        _log2 = BitOperations.IsPow2(count) ? BitOperations.Log2((uint)count) : -1;
    }

    /// <summary>True when <see cref="RoundNarrow(uint)"/> may be used (the count is at most <see cref="MaxNarrowCount"/>).</summary>
    public bool IsNarrow => _narrowMultiplier != 0;

    /// <summary><c>(sum + count / 2) / count</c>, for sums of at most 255 · count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Round(long sum)
    {
        var x = sum + (_count >> 1);
        return _multiplier != 0 ? (int)(((ulong)x * _multiplier) >> Shift) : (int)(x / _count);
    }

    /// <summary>As <see cref="Round"/> in 32 bits; only when <see cref="IsNarrow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint RoundNarrow(uint sum) => ((sum + _half) * _narrowMultiplier) >> NarrowShift;

    /// <summary><see cref="RoundNarrow(uint)"/> in every lane; only when <see cref="IsNarrow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<uint> RoundNarrow(Vector<uint> sums) => ((sums + new Vector<uint>(_half)) * _narrowMultiplier) >>> NarrowShift;

    /// <summary>
    /// <see cref="RoundNarrow(uint)"/> in every 16-bit lane; only when <see cref="IsNarrow"/>. A power-of-two
    /// count is a shift in place (<c>255·256 + 128</c> still fits); others widen to 32 bits for the multiply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<ushort> RoundNarrow(Vector<ushort> sums)
    {
        if (_log2 >= 0)
        {
            return (sums + new Vector<ushort>((ushort)_half)) >>> _log2;
        }

        Vector.Widen(sums, out var low, out var high);
        return Vector.Narrow(RoundNarrow(low), RoundNarrow(high));
    }
}
