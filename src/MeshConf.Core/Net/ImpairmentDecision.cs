namespace MeshConf.Core.Net;

/// <summary>
/// What happens to one datagram: dropped, or sent as one or two copies, each after its own delay.
/// A struct, so deciding allocates nothing.
/// </summary>
public readonly record struct ImpairmentDecision
{
    private readonly TimeSpan _delay;
    private readonly TimeSpan _duplicateDelay;

    private ImpairmentDecision(int copies, TimeSpan delay, TimeSpan duplicateDelay, bool isReordered)
    {
        Copies = copies;
        _delay = delay;
        _duplicateDelay = duplicateDelay;
        IsReordered = isReordered;
    }

    /// <summary>The decision for a lost datagram.</summary>
    public static ImpairmentDecision Dropped => default;

    /// <summary>How many copies to send: 0 (dropped), 1, or 2 (duplicated).</summary>
    public int Copies { get; }

    public bool IsDropped => Copies == 0;

    public bool IsDuplicated => Copies == 2;

    /// <summary>True when the first copy was held back by the profile's reorder gap.</summary>
    public bool IsReordered { get; }

    /// <summary>Delay of the first copy (zero when dropped).</summary>
    public TimeSpan Delay => _delay;

    /// <summary>Delay of the second copy (zero unless duplicated).</summary>
    public TimeSpan DuplicateDelay => _duplicateDelay;

    /// <summary>Delay of copy <paramref name="copy"/>, 0 or 1, below <see cref="Copies"/>.</summary>
    public TimeSpan DelayOf(int copy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(copy);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(copy, Copies);
        return copy == 0 ? _delay : _duplicateDelay;
    }

    /// <summary>One copy after <paramref name="delay"/>.</summary>
    public static ImpairmentDecision Deliver(TimeSpan delay, bool isReordered = false) => new(1, delay, TimeSpan.Zero, isReordered);

    /// <summary>Two copies, after <paramref name="delay"/> and <paramref name="duplicateDelay"/>.</summary>
    public static ImpairmentDecision DeliverTwice(TimeSpan delay, TimeSpan duplicateDelay, bool isReordered = false) =>
        new(2, delay, duplicateDelay, isReordered);
}
