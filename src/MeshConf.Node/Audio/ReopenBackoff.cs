namespace MeshConf.Node.Audio;

/// <summary>
/// When to try a lost device again: 0.25, 0.5, 1, 2, then every 4 seconds, so an unplugged device costs a few
/// failed opens a minute while one that comes back is found again within seconds.
/// </summary>
internal sealed class ReopenBackoff(TimeProvider time)
{
    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4),
    ];

    private long _nextAttempt;
    private int _failures;

    /// <summary>True when the next attempt may be made.</summary>
    public bool IsDue => time.GetTimestamp() >= _nextAttempt;

    /// <summary>Failures since the device last worked.</summary>
    public int Failures => _failures;

    /// <summary>The device failed (or failed to open): the next attempt waits longer.</summary>
    public void Failed()
    {
        var delay = Delays[Math.Min(_failures, Delays.Length - 1)];
        _nextAttempt = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
        _failures++;
    }

    /// <summary>The device works again: the next failure starts from the shortest delay.</summary>
    public void Succeeded() => _failures = 0;
}
