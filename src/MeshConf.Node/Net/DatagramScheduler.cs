using System.Buffers;
using System.Diagnostics;

namespace MeshConf.Node.Net;

/// <summary>
/// Sends delayed datagrams at their due time from one dedicated thread: a priority queue by due time (ties in
/// scheduling order, so equal delays never reorder), a blocking wait while the next copy is far off, and a spin
/// over the last <see cref="SpinWindow"/>, since Linux wakes a timed wait about 0.1-0.2 ms late.
/// Measured on the 2-core test VM while a dozen builds ran on it (load 9-12), 2000 datagrams at 500/s with
/// delay=20ms,jitter=10ms: sent a mean 0.1-0.2 ms after their due time, 4-8% more than 1 ms late; end to end,
/// client to target, beyond the drawn delay: median 0.04-0.1 ms, p99 about 3 ms, the odd stall of tens of ms
/// when the machine is oversubscribed. <see cref="Lateness"/> keeps these numbers for every relay.
/// Time is <see cref="Stopwatch.GetTimestamp"/>: this class is the relay's clock, it has no logic to fake.
/// </summary>
internal sealed class DatagramScheduler : IDisposable
{
    /// <summary>How long before a due time the thread stops waiting and starts spinning.</summary>
    public static readonly TimeSpan SpinWindow = TimeSpan.FromMilliseconds(0.3);

    private static readonly double TimestampsPerTick = Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond;
    private static readonly long SpinWindowTimestamps = ToTimestamps(SpinWindow);
    private static readonly long MillisecondTimestamps = ToTimestamps(TimeSpan.FromMilliseconds(1));

    private readonly ArrayPool<byte> _pool;
    private readonly PriorityQueue<ScheduledDatagram, DueKey> _queue = new(1024);
    // A Monitor rather than a System.Threading.Lock: Lock creates its wait event on first contention, which can
    // come long after warm-up; Monitor waits in native code and allocates nothing managed.
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
    private readonly Thread _thread;
    private long _sequence;
    private bool _stopping;

    // Written by the scheduler thread only.
    private long _sends;
    private long _latenessTotal;
    private long _latenessMax;
    private long _lateOverOneMillisecond;
    private long _allocatedBytes;

    public DatagramScheduler(ArrayPool<byte> pool, string threadName)
    {
        _pool = pool;
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Copies waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public SchedulingLateness Lateness
    {
        get
        {
            var sends = Volatile.Read(ref _sends);
            var total = Volatile.Read(ref _latenessTotal);
            return new SchedulingLateness(
                sends,
                sends == 0 ? TimeSpan.Zero : ToTimeSpan(total / sends),
                ToTimeSpan(Volatile.Read(ref _latenessMax)),
                Volatile.Read(ref _lateOverOneMillisecond));
        }
    }

    /// <summary>Bytes the scheduler thread had allocated after its latest send (for allocation tests).</summary>
    internal long AllocatedBytes => Volatile.Read(ref _allocatedBytes);

    public static long ToTimestamps(TimeSpan duration) => (long)(duration.Ticks * TimestampsPerTick);

    public static TimeSpan ToTimeSpan(long timestamps) => TimeSpan.FromTicks((long)(timestamps / TimestampsPerTick));

    /// <summary>
    /// Queues <paramref name="datagram"/> to be sent at <paramref name="dueTimestamp"/> and takes its buffer.
    /// After <see cref="Dispose"/> the buffer is returned at once and the copy counted as failed.
    /// </summary>
    public void Schedule(long dueTimestamp, in ScheduledDatagram datagram)
    {
        bool accepted, isNewHead = false;
        lock (_gate)
        {
            accepted = !_stopping;
            if (accepted)
            {
                var key = new DueKey(dueTimestamp, _sequence++);
                _queue.Enqueue(datagram, key);
                isNewHead = _queue.TryPeek(out _, out var head) && head == key;
            }
        }

        if (!accepted)
        {
            _pool.Return(datagram.Buffer);
            datagram.Leg.Counters.CountFailed();
        }
        else if (isNewHead)
        {
            // Only an earlier head changes how long the thread should wait.
            _wake.Set();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        _wake.Set();
        _thread.Join();
        while (_queue.TryDequeue(out var left, out _))
        {
            _pool.Return(left.Buffer);
            left.Leg.Counters.CountFailed();
        }

        _wake.Dispose();
    }

    private void Run()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var ready = false;
            ScheduledDatagram next = default;
            long now = 0, lateness = 0, wait = -1;

            // Reset before looking at the queue: a Schedule after the look sets the event again, so no wake is lost.
            _wake.Reset();
            lock (_gate)
            {
                if (_stopping)
                {
                    return;
                }

                if (_queue.TryPeek(out next, out var key))
                {
                    now = Stopwatch.GetTimestamp();
                    if (key.Due <= now)
                    {
                        _queue.Dequeue();
                        ready = true;
                        lateness = now - key.Due;
                    }
                    else
                    {
                        wait = key.Due - now;
                    }
                }
            }

            if (ready)
            {
                next.Leg.Send(next.Buffer.AsSpan(0, next.Length));
                _pool.Return(next.Buffer);
                Record(lateness);
                spinner.Reset();
            }
            else if (wait < 0)
            {
                _wake.Wait();
            }
            else if (wait > SpinWindowTimestamps + MillisecondTimestamps)
            {
                // Whole milliseconds only (that is what the wait takes), ending at least SpinWindow early.
                _wake.Wait((int)((wait - SpinWindowTimestamps) / MillisecondTimestamps));
            }
            else
            {
                // Never Sleep(1): it would cost a millisecond here of all places.
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private void Record(long lateness)
    {
        Volatile.Write(ref _sends, _sends + 1);
        Volatile.Write(ref _latenessTotal, _latenessTotal + lateness);
        if (lateness > _latenessMax)
        {
            Volatile.Write(ref _latenessMax, lateness);
        }

        if (lateness > MillisecondTimestamps)
        {
            Volatile.Write(ref _lateOverOneMillisecond, _lateOverOneMillisecond + 1);
        }

        Volatile.Write(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
    }

    /// <summary>Due time, then scheduling order: a stable priority for <see cref="PriorityQueue{TElement, TPriority}"/>.</summary>
    private readonly record struct DueKey(long Due, long Sequence) : IComparable<DueKey>
    {
        public int CompareTo(DueKey other)
        {
            var byDue = Due.CompareTo(other.Due);
            return byDue != 0 ? byDue : Sequence.CompareTo(other.Sequence);
        }
    }
}
