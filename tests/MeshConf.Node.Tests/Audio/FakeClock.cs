namespace MeshConf.Node.Tests.Audio;

/// <summary>
/// A clock with timers that moves only when a test advances it, firing the timers that fell due. With
/// <see cref="AutoAdvance"/> it instead jumps straight to a timer's due time as soon as one is armed, so a
/// paced loop runs flat out through simulated time (for tests about content, not timing).
/// </summary>
internal sealed class FakeClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private long _ticks;

    public static DateTimeOffset Epoch { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Jump to each timer's due time as soon as it is armed.</summary>
    public bool AutoAdvance { get; init; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Time since the clock was made.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(GetTimestamp());

    /// <summary>When the earliest armed timer falls due (time since the clock was made), or null when none is armed.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_gate)
            {
                long? next = null;
                foreach (var t in _timers)
                {
                    if (t.Due is { } due && (next is null || due < next))
                    {
                        next = due;
                    }
                }

                return next is { } ticks ? TimeSpan.FromTicks(ticks) : null;
            }
        }
    }

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires every timer that fell due, in order.</summary>
    public void Advance(TimeSpan by)
    {
        long now;
        lock (_gate)
        {
            now = Interlocked.Add(ref _ticks, by.Ticks);
        }

        FireDue(now);
    }

    private void FireDue(long now)
    {
        while (true)
        {
            Timer? next = null;
            lock (_gate)
            {
                foreach (var t in _timers)
                {
                    if (t.Due is { } due && due <= now && (next is null || due < next.Due))
                    {
                        next = t;
                    }
                }

                if (next is null)
                {
                    return;
                }

                next.Due = next.Period is { } period ? next.Due + period : null;
            }

            next.Fire();
        }
    }

    private void Arm(Timer timer, TimeSpan dueTime, TimeSpan period)
    {
        long? due;
        lock (_gate)
        {
            due = dueTime == Timeout.InfiniteTimeSpan ? null : GetTimestamp() + Math.Max(0, dueTime.Ticks);
            timer.Due = due;
            timer.Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? null : period.Ticks;
        }

        if (due is { } at)
        {
            if (AutoAdvance && at > GetTimestamp())
            {
                Advance(TimeSpan.FromTicks(at - GetTimestamp()));
            }
            else
            {
                FireDue(GetTimestamp());
            }
        }
    }

    private void Remove(Timer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class Timer(FakeClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; set; }

        public long? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Arm(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
