namespace MeshConf.Core.Mesh;

/// <summary>
/// A token bucket: up to <c>burst</c> events at once, refilled at <c>ratePerSecond</c>. Time is passed in,
/// so the limiter is tested without a clock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _burst;
    private readonly double _ratePerSecond;
    private double _tokens;
    private TimeSpan _last;

    public TokenBucket(double burst, double ratePerSecond, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentOutOfRangeException.ThrowIfNegative(ratePerSecond);
        _burst = burst;
        _ratePerSecond = ratePerSecond;
        _tokens = burst;
        _last = now;
    }

    /// <summary>Takes one token if there is one.</summary>
    public bool TryTake(TimeSpan now)
    {
        Refill(now);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    /// <summary>True when the bucket is full again, so its owner may forget it.</summary>
    public bool IsFull(TimeSpan now)
    {
        Refill(now);
        return _tokens >= _burst;
    }

    private void Refill(TimeSpan now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_burst, _tokens + ((now - _last).TotalSeconds * _ratePerSecond));
            _last = now;
        }
    }
}
