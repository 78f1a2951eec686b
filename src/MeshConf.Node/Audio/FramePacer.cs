namespace MeshConf.Node.Audio;

/// <summary>
/// Paces a frame loop by a <see cref="TimeProvider"/>: after <see cref="Restart"/>, the n-th
/// <see cref="WaitNext"/> returns when n frame durations have passed. Each deadline is computed from the start,
/// not from the previous wake-up, so a late wake-up is caught up by the next frames returning at once and the
/// loop never drifts. A stall longer than <see cref="MaxCatchUp"/> (a suspended process, a debugger) is not
/// caught up: the pacer starts again from now rather than hand out a burst of frames.
/// </summary>
/// <remarks>
/// The system clock is waited on directly: a timed kernel wait wakes at the deadline without the thread pool a
/// timer callback would need. Any other clock also arms one of its own timers, so a test's clock wakes the loop
/// when it is advanced. Nothing is allocated per frame. One thread waits; any thread may <see cref="Cancel"/>.
/// </remarks>
internal sealed class FramePacer : IDisposable
{
    /// <summary>The longest lateness that is caught up frame by frame.</summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time;
    private readonly int _frameSamples;
    private readonly long _frequency;
    private readonly long _maxCatchUpTicks;

    // Monitor.Wait/PulseAll on a private object: unlike an event it needs no disposal, so cancelling while the
    // loop waits cannot race with a disposed handle.
    private readonly object _gate = new();
    private readonly ITimer? _timer;
    private long _start;
    private long _frames;
    private bool _signalled;
    private volatile bool _cancelled;

    public FramePacer(TimeProvider time, int frameSamples)
    {
        ArgumentNullException.ThrowIfNull(time);
        AudioFormat.CheckFrameSize(frameSamples);
        _time = time;
        _frameSamples = frameSamples;
        _frequency = time.TimestampFrequency;
        _maxCatchUpTicks = (long)(MaxCatchUp.TotalSeconds * _frequency);
        if (!ReferenceEquals(time, TimeProvider.System))
        {
            _timer = time.CreateTimer(static state => ((FramePacer)state!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        Restart();
    }

    /// <summary>How often a stall longer than <see cref="MaxCatchUp"/> made the pacer start again.</summary>
    public long Resyncs { get; private set; }

    /// <summary>True once <see cref="Cancel"/> (or <see cref="Dispose"/>) was called.</summary>
    public bool IsCancelled => _cancelled;

    /// <summary>Starts counting again: the next frame is due one frame duration from now.</summary>
    public void Restart()
    {
        _start = _time.GetTimestamp();
        _frames = 0;
    }

    /// <summary>Blocks until the next frame is due. False once cancelled (promptly, even mid-wait).</summary>
    public bool WaitNext()
    {
        _frames++;
        var due = _start + TicksFor(_frames);
        while (true)
        {
            if (_cancelled)
            {
                return false;
            }

            var now = _time.GetTimestamp();
            var remaining = due - now;
            if (remaining <= 0)
            {
                if (-remaining > _maxCatchUpTicks)
                {
                    Resyncs++;
                    Restart();
                }

                return true;
            }

            var wait = TimeSpan.FromSeconds((double)remaining / _frequency);
            lock (_gate)
            {
                if (_cancelled)
                {
                    return false;
                }

                _signalled = false;
                _timer?.Change(wait, Timeout.InfiniteTimeSpan);
                if (!_signalled)
                {
                    Monitor.Wait(_gate, (int)Math.Min(int.MaxValue, Math.Ceiling(wait.TotalMilliseconds)));
                }
            }
        }
    }

    /// <summary>Makes a waiting (and every later) <see cref="WaitNext"/> return false.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _cancelled = true;
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        Cancel();
        _timer?.Dispose();
    }

    private void Wake()
    {
        lock (_gate)
        {
            _signalled = true;
            Monitor.PulseAll(_gate);
        }
    }

    // frames * frameSamples / 48000 seconds in clock ticks, exact and without overflow for centuries of frames.
    private long TicksFor(long frames) => (long)((Int128)frames * _frameSamples * _frequency / AudioFormat.SampleRate);
}
