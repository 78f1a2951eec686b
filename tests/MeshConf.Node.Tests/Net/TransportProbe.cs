using System.Net;
using MeshConf.Node.Net;

namespace MeshConf.Node.Tests.Net;

/// <summary>One event as a test keeps it: the payload copied out and the pooled buffer already returned.</summary>
internal sealed record SeenEvent(
    TransportEventKind Kind,
    LinkId Link,
    IPEndPoint Remote,
    bool Outgoing,
    bool WasConnected,
    DisconnectReason Reason,
    MeshChannel Channel,
    byte[] Payload);

/// <summary>
/// An <see cref="EnetTransport"/> on 127.0.0.1, port 0, with a task that reads its events into a list. Tests wait
/// for conditions on that list with a deadline; each new event wakes the waiters.
/// </summary>
internal sealed class TransportProbe : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SeenEvent> _seen = [];
    private readonly Task _pump;
    private TaskCompletionSource _changed = NewSignal();

    public TransportProbe(EnetTransportOptions? options = null, bool pump = true)
    {
        Transport = EnetTransport.Start(options ?? Loopback());
        _pump = pump ? Task.Run(PumpAsync) : Task.CompletedTask;
    }

    public EnetTransport Transport { get; }

    /// <summary>The address peers dial: 127.0.0.1 and the port the transport got.</summary>
    public IPEndPoint EndPoint => Transport.LocalEndPoint;

    /// <summary>Completes when the event channel completes; faults when the transport reported a fault.</summary>
    public Task Completion => _pump;

    public static EnetTransportOptions Loopback() => new() { BindAddress = IPAddress.Loopback };

    public List<SeenEvent> Seen()
    {
        lock (_gate)
        {
            return [.. _seen];
        }
    }

    public async Task<SeenEvent> WaitForAsync(Func<SeenEvent, bool> match, TimeSpan timeout) =>
        (await WaitForCountAsync(match, 1, timeout))[0];

    /// <summary>Waits until <paramref name="count"/> events match; throws <see cref="TimeoutException"/> with what was seen.</summary>
    public async Task<IReadOnlyList<SeenEvent>> WaitForCountAsync(Func<SeenEvent, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _seen.Where(match).ToList();
                if (found.Count >= count)
                {
                    return found;
                }

                changed = _changed.Task;
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"{found.Count} of {count} matching events after {timeout}; saw {Describe(_seen)}");
                }

                changed = changed.WaitAsync(remaining, TestContext.Current.CancellationToken);
            }

            try
            {
                await changed;
            }
            catch (TimeoutException)
            {
                // Loop once more: the final check above reports what was seen.
            }
        }
    }

    public void Dispose()
    {
        Transport.Dispose();
        try
        {
            _pump.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // A fault is what some tests provoke; they look at Completion themselves.
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var e in Transport.Events.ReadAllAsync())
        {
            var seen = new SeenEvent(e.Kind, e.Link, e.Remote, e.Outgoing, e.WasConnected, e.Reason, e.Channel, e.Payload.ToArray());
            e.Release();
            TaskCompletionSource changed;
            lock (_gate)
            {
                _seen.Add(seen);
                changed = _changed;
                _changed = NewSignal();
            }

            changed.SetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Describe(List<SeenEvent> seen) =>
        seen.Count == 0
            ? "nothing"
            : string.Join(", ", seen.Where(e => e.Kind != TransportEventKind.Received).Select(e => $"{e.Kind} {e.Link} {e.Reason}"))
              + $" and {seen.Count(e => e.Kind == TransportEventKind.Received)} messages";
}
