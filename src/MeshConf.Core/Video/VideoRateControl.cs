namespace MeshConf.Core.Video;

/// <summary>
/// The encoder's rate control, in the sender's capture time (microseconds, no clock of its own): a token bucket
/// filled at the allowed rate caps what a frame may spend, and a perceptual threshold, raised when frames run over
/// their share and lowered back towards <see cref="MinThreshold"/> when they run under, keeps the average there
/// without a per-frame hard cut. The allowed rate starts at the target and follows the receivers, as the loss-based
/// half of WebRTC's congestion control does (draft-ietf-rmcat-gcc-02 §6): loss above 10 % makes it fall by half the
/// loss (at most twice a second), as does feedback coming back markedly later than it used to (a queue building
/// up, by 30 %); loss from 2 to 10 % holds it; less climbs back by 5 % of the target a second. Never below a
/// quarter of the target.
/// </summary>
internal sealed class VideoRateControl
{
    /// <summary>The bucket holds this much time at the allowed rate: a scene cut goes out in a frame or two.</summary>
    public const double BurstSeconds = 0.5;

    /// <summary>Loss (per mille) above which the rate falls.</summary>
    public const int LossDecreasePermille = 100;

    /// <summary>Loss (per mille) below which the rate may climb back: a LAN loses nothing.</summary>
    public const int LossIncreasePermille = 20;

    /// <summary>Feedback this much later than the smallest delay seen means packets are queueing.</summary>
    public const long QueueingMicroseconds = 150_000;

    private const long DecreaseSpacingMicroseconds = 500_000;
    private const double MinRateShare = 0.25;
    private const double RecoveryShare = 0.05;

    private readonly double _fps;
    private double _bucketBytes;
    private long _lastTime = -1;
    private long _lastDecrease = long.MinValue / 2;
    private long _minDelay = long.MaxValue;
    private long _minDelaySince;

    /// <param name="targetKbps">The stream's target, kbit/s.</param>
    /// <param name="fps">The frame rate the sender captures at (a frame's fair share of the rate).</param>
    /// <param name="minThreshold">The perceptual threshold (ΔE-like units) of an unconstrained stream.</param>
    /// <param name="maxThreshold">The coarsest the threshold may go.</param>
    public VideoRateControl(int targetKbps, int fps, double minThreshold, double maxThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetKbps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        ArgumentOutOfRangeException.ThrowIfNegative(minThreshold);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreshold, minThreshold);
        TargetKbps = targetKbps;
        AllowedKbps = targetKbps;
        _fps = fps;
        MinThreshold = minThreshold;
        MaxThreshold = maxThreshold;
        Threshold = minThreshold;
        _bucketBytes = BucketCapacity;
    }

    public int TargetKbps { get; }

    /// <summary>The rate the receivers' reports allow now, kbit/s (at most <see cref="TargetKbps"/>).</summary>
    public double AllowedKbps { get; private set; }

    public double MinThreshold { get; }

    public double MaxThreshold { get; }

    /// <summary>The perceptual threshold the next frame uses.</summary>
    public double Threshold { get; private set; }

    /// <summary>Times the allowed rate fell because of loss or delay.</summary>
    public long Decreases { get; private set; }

    private double BucketCapacity => AllowedKbps * 125 * BurstSeconds;

    private double FrameShare => AllowedKbps * 125 / _fps;

    /// <summary>The bytes the frame captured at <paramref name="captureMicroseconds"/> may spend (possibly 0).</summary>
    public int BeginFrame(ulong captureMicroseconds)
    {
        var now = (long)captureMicroseconds;
        if (_lastTime >= 0)
        {
            // A clock that steps back, or a long pause, refills by at most one bucket.
            var elapsed = Math.Clamp(now - _lastTime, 0, 1_000_000);
            _bucketBytes = Math.Min(BucketCapacity, _bucketBytes + (AllowedKbps * 125 * elapsed / 1e6));
        }

        _lastTime = now;
        return (int)Math.Max(0, _bucketBytes);
    }

    /// <summary>The frame went out with <paramref name="bytes"/> bytes.</summary>
    public void EndFrame(int bytes)
    {
        _bucketBytes -= bytes;
        var share = FrameShare;
        if (bytes > 1.25 * share)
        {
            Threshold = Math.Min(MaxThreshold, Threshold * 1.1);
        }
        else if (bytes < 0.8 * share)
        {
            Threshold = Math.Max(MinThreshold, Threshold / 1.05);
        }
    }

    /// <summary>
    /// A receiver's report: the loss it saw (per mille) and, when it acknowledged a frame for the first time, how
    /// long after that frame's capture the acknowledgement came back (else null).
    /// </summary>
    public void OnFeedback(ulong nowMicroseconds, int lossPermille, long? ackDelayMicroseconds)
    {
        var now = (long)nowMicroseconds;
        var queueing = false;
        if (ackDelayMicroseconds is { } delay && delay >= 0)
        {
            // The smallest delay of the last 10 s is the path's own; more than that is queueing.
            if (delay < _minDelay || now - _minDelaySince > 10_000_000)
            {
                _minDelay = delay;
                _minDelaySince = now;
            }

            queueing = delay > _minDelay + QueueingMicroseconds;
        }

        if (lossPermille > LossDecreasePermille || queueing)
        {
            if (now - _lastDecrease >= DecreaseSpacingMicroseconds)
            {
                _lastDecrease = now;
                var factor = queueing ? 0.7 : 1 - (lossPermille / 1000.0 / 2);
                AllowedKbps = Math.Max(TargetKbps * MinRateShare, AllowedKbps * factor);
                _bucketBytes = Math.Min(_bucketBytes, BucketCapacity);
                Decreases++;
            }

            return;
        }

        if (lossPermille < LossIncreasePermille && now - _lastDecrease >= DecreaseSpacingMicroseconds && _lastTime >= 0)
        {
            // Called about once a frame: climb by the frame's part of 5 % of the target a second.
            AllowedKbps = Math.Min(TargetKbps, AllowedKbps + (TargetKbps * RecoveryShare / _fps));
        }
    }
}
