using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Audio;

/// <summary>
/// Runs a blocking frame call (an input's Read, an output's Write) in a loop on its own thread, counting the
/// calls that returned, so a test can advance a <see cref="FakeClock"/> and see exactly how many frames it let
/// through. The thread stops when the call reports the end (Read returning false) or after <see cref="Stop"/>.
/// </summary>
internal sealed class PacedLoop : IDisposable
{
    private readonly Thread _thread;
    private long _frames;
    private volatile bool _stopping;

    public PacedLoop(Func<bool> frame)
    {
        _thread = new Thread(() =>
        {
            while (!_stopping && frame())
            {
                Interlocked.Increment(ref _frames);
            }
        })
        { IsBackground = true, Name = "paced loop" };
        _thread.Start();
    }

    public long Frames => Interlocked.Read(ref _frames);

    public bool IsRunning => _thread.IsAlive;

    /// <summary>
    /// Waits until exactly <paramref name="frames"/> frames have come out and the loop is blocked on the clock,
    /// waiting for the frame due at <paramref name="nextDue"/>: then no further frame can come before the clock moves.
    /// </summary>
    public Task BlockedAfterAsync(long frames, TimeSpan nextDue, FakeClock clock) =>
        Eventually.TrueAsync(
            () => Frames == frames && clock.NextDue == nextDue,
            TimeSpan.FromSeconds(10),
            () => $"{Frames} frames (expected {frames}), next timer due {clock.NextDue} (expected {nextDue}) at {clock.Elapsed}");

    /// <summary>Asks the loop to end after its current call, and waits for it (the caller unblocks the call).</summary>
    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    public void Stop() => _stopping = true;

    public void Dispose() => _stopping = true;
}
