namespace MeshConf.Core.Security;

/// <summary>
/// Remembers which of the last <see cref="Size"/> counters of one (direction, channel) have been accepted, as a
/// ring of bits indexed by counter modulo <see cref="Size"/> (the sliding window of RFC 4303 §3.4.3, wider).
/// </summary>
/// <remarks>
/// Unreliable media reorders a little and a reliable channel not at all; 1024 counters is far beyond the reordering
/// a LAN produces (at least 128 is the requirement) and costs 128 bytes. <see cref="Check"/> never changes
/// anything: call <see cref="Accept"/> only once the packet's tag verified, so a forged packet cannot move the
/// window.
/// </remarks>
internal sealed class ReplayWindow
{
    /// <summary>Counters remembered behind the highest one, the highest included.</summary>
    public const int Size = 1024;

    private const int WordBits = 64;
    private readonly ulong[] _bits = new ulong[Size / WordBits];
    private ulong _highest;
    private bool _any;

    /// <summary>The highest counter accepted, or null before the first.</summary>
    public ulong? Highest => _any ? _highest : null;

    /// <summary>
    /// <see cref="OpenResult.Ok"/> when <paramref name="counter"/> is new, <see cref="OpenResult.Replay"/> when it
    /// was accepted before, <see cref="OpenResult.Stale"/> when it is older than highest - Size + 1.
    /// </summary>
    public OpenResult Check(ulong counter)
    {
        if (!_any || counter > _highest)
        {
            return OpenResult.Ok;
        }

        if (_highest - counter >= Size)
        {
            return OpenResult.Stale;
        }

        return IsSet(counter) ? OpenResult.Replay : OpenResult.Ok;
    }

    /// <summary>Marks <paramref name="counter"/> seen, sliding the window when it is the new highest. Check it first.</summary>
    public void Accept(ulong counter)
    {
        if (!_any)
        {
            Array.Clear(_bits);
            _any = true;
            _highest = counter;
        }
        else if (counter > _highest)
        {
            // The counters between the old highest and the new one were not seen (yet): clear their bits, which
            // the ring last used for counters Size positions earlier.
            var gap = counter - _highest;
            if (gap >= Size)
            {
                Array.Clear(_bits);
            }
            else
            {
                for (var c = _highest + 1; c != counter; c++)
                {
                    Clear(c);
                }
            }

            _highest = counter;
        }

        Set(counter);
    }

    private bool IsSet(ulong counter)
    {
        var bit = (int)(counter % Size);
        return (_bits[bit / WordBits] & (1UL << (bit % WordBits))) != 0;
    }

    private void Set(ulong counter)
    {
        var bit = (int)(counter % Size);
        _bits[bit / WordBits] |= 1UL << (bit % WordBits);
    }

    private void Clear(ulong counter)
    {
        var bit = (int)(counter % Size);
        _bits[bit / WordBits] &= ~(1UL << (bit % WordBits));
    }
}
