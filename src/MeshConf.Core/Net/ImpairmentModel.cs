namespace MeshConf.Core.Net;

/// <summary>
/// Decides, datagram by datagram in arrival order, what an <see cref="ImpairmentProfile"/> does to each one.
/// Deterministic: the same seed, stream and sequence of calls give the same decisions on every runtime
/// (the generator is our own xoshiro256**, see <see cref="Xoshiro256StarStar"/>). Every call draws the same
/// five numbers whatever the profile says, so datagram <c>n</c> always gets the same draws: raising the loss
/// rate drops a superset of what a lower rate dropped, and changing the <see cref="Profile"/> mid-stream
/// shifts nothing else. Not thread-safe: one model per direction of a link, used by one thread.
/// </summary>
public sealed class ImpairmentModel
{
    private Xoshiro256StarStar _random;
    private ImpairmentProfile _profile;

    /// <param name="profile">The impairment to apply; its <see cref="ImpairmentProfile.Seed"/> seeds the sequence.</param>
    /// <param name="stream">
    /// Picks an independent sequence for the same seed, so that the two directions of a link (or several links)
    /// given one profile do not drop the very same datagrams.
    /// </param>
    public ImpairmentModel(ImpairmentProfile profile, int stream = 0)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        Stream = stream;
        _random = new Xoshiro256StarStar(((ulong)(uint)profile.Seed << 32) | (uint)stream);
    }

    /// <summary>
    /// The profile used from the next call on. Replacing it keeps the random sequence going (the seed is read
    /// only by the constructor), so a link can be cut and healed without replaying the same draws.
    /// </summary>
    public ImpairmentProfile Profile
    {
        get => _profile;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _profile = value;
        }
    }

    public int Stream { get; }

    /// <summary>Datagrams decided so far.</summary>
    public long Decided { get; private set; }

    /// <summary>The fate of the next datagram.</summary>
    public ImpairmentDecision Next()
    {
        var p = _profile;
        var lost = _random.NextDouble();
        var jitter = _random.NextDouble();
        var reorder = _random.NextDouble();
        var duplicate = _random.NextDouble();
        var duplicateJitter = _random.NextDouble();
        Decided++;

        // u < rate: never for rate 0, always for rate 1, since u is in [0, 1).
        if (lost < p.LossRate)
        {
            return ImpairmentDecision.Dropped;
        }

        var reordered = reorder < p.ReorderRate;
        var delay = DelayWithJitter(p, jitter) + (reordered ? p.ReorderGap : TimeSpan.Zero);
        return duplicate < p.DuplicateRate
            ? ImpairmentDecision.DeliverTwice(delay, DelayWithJitter(p, duplicateJitter), reordered)
            : ImpairmentDecision.Deliver(delay, reordered);
    }

    // Uniform over [Delay, Delay + Jitter], both ends included, to the 100 ns tick.
    private static TimeSpan DelayWithJitter(ImpairmentProfile p, double u) =>
        p.Delay + TimeSpan.FromTicks((long)(u * (p.Jitter.Ticks + 1)));
}
