namespace MeshConf.Core.Audio;

/// <summary>
/// Arrival jitter of one audio stream, from relative transit times (RFC 3550 §6.4.1): transit = arrival time minus
/// the frame's media time. The absolute value means nothing (the two clocks are unrelated); what matters is how
/// much later than the fastest recent packet each one came. So this keeps
/// <list type="bullet">
/// <item>the minimum transit over the last ~2.5 s (five 500 ms blocks of arrival time, the oldest block dropped as
/// time moves on), a baseline that follows clock drift and route changes instead of remembering an old minimum
/// forever, and</item>
/// <item>a histogram (1 ms bins up to 255 ms) of each packet's excess over that baseline, for the last
/// <see cref="Window"/> packets, from which a high quantile is read.</item>
/// </list>
/// Fixed-size arrays only: nothing is allocated after construction.
/// </summary>
internal sealed class TransitJitter
{
    /// <summary>Packets the histogram remembers (10 s of 20 ms frames).</summary>
    public const int Window = 512;

    private const int Bins = 256;
    private const long BinMicros = 1000;
    private const long BlockMicros = 500_000;
    private const int Blocks = 5;

    // A transit this far from the baseline is no network: the sender restarted its clock. Start a new baseline.
    private const long ImplausibleMicros = 10_000_000;

    private readonly long[] _blockId = new long[Blocks];
    private readonly long[] _blockMin = new long[Blocks];
    private readonly bool[] _blockUsed = new bool[Blocks];
    private readonly byte[] _history = new byte[Window];
    private readonly int[] _histogram = new int[Bins];
    private int _count;
    private int _next;
    private int _highestBin;
    private long _latestBlock = long.MinValue;

    /// <summary>Excess transits in the histogram.</summary>
    public int Count => _count;

    /// <summary>True once a baseline exists (a packet arrived within the last blocks).</summary>
    public bool HasBaseline { get; private set; }

    /// <summary>The lowest transit of the last ~2.5 s, microseconds; 0 before the first packet.</summary>
    public long MinTransit { get; private set; }

    /// <summary>Adds one packet; returns its excess over the baseline (0 or more), microseconds.</summary>
    public long Add(long transitMicros, long arrivalMicros)
    {
        var deviation = transitMicros - MinTransit;
        if (HasBaseline && (deviation > ImplausibleMicros || deviation < -ImplausibleMicros))
        {
            ResetBaseline();
        }

        // Arrivals come in time order; one from before the current block (a clock stepped back) joins it.
        var block = Math.Max(_latestBlock, Math.DivRem(arrivalMicros, BlockMicros, out var rest) - (rest < 0 ? 1 : 0));
        var index = (int)(((block % Blocks) + Blocks) % Blocks);
        if (!_blockUsed[index] || _blockId[index] != block)
        {
            _blockId[index] = block;
            _blockMin[index] = transitMicros;
            _blockUsed[index] = true;
        }
        else if (transitMicros < _blockMin[index])
        {
            _blockMin[index] = transitMicros;
        }

        _latestBlock = block;
        var min = long.MaxValue;
        for (var i = 0; i < Blocks; i++)
        {
            if (_blockUsed[i] && _blockId[i] > _latestBlock - Blocks)
            {
                min = Math.Min(min, _blockMin[i]);
            }
            else
            {
                _blockUsed[i] = false;
            }
        }

        MinTransit = min;
        HasBaseline = true;
        var excess = Math.Max(0, transitMicros - min);
        Record((int)Math.Min(Bins - 1, excess / BinMicros));
        return excess;
    }

    /// <summary>
    /// The excess transit that a share <paramref name="quantile"/> of the remembered packets stayed within,
    /// microseconds, rounded up to the bin's upper edge (so no jitter at all reads 1 ms); 0 with no packets.
    /// With few packets it is simply the largest excess seen.
    /// </summary>
    public long Quantile(double quantile)
    {
        if (_count == 0)
        {
            return 0;
        }

        var allowedAbove = (int)Math.Floor((1 - quantile) * _count);
        var above = 0;
        var bin = _highestBin;
        while (bin > 0 && above + _histogram[bin] <= allowedAbove)
        {
            above += _histogram[bin];
            bin--;
        }

        return (bin + 1) * BinMicros;
    }

    /// <summary>Forgets the baseline (a new sender clock) but keeps the histogram: the network is the same.</summary>
    public void ResetBaseline()
    {
        Array.Clear(_blockUsed);
        _latestBlock = long.MinValue;
        HasBaseline = false;
        MinTransit = 0;
    }

    private void Record(int bin)
    {
        if (_count == Window)
        {
            _histogram[_history[_next]]--;
        }
        else
        {
            _count++;
        }

        _history[_next] = (byte)bin;
        _histogram[bin]++;
        _next = (_next + 1) % Window;

        // The quantile is read downward from the highest bin in use, usually a few dozen milliseconds.
        _highestBin = Math.Max(_highestBin, bin);
        while (_highestBin > 0 && _histogram[_highestBin] == 0)
        {
            _highestBin--;
        }
    }
}
