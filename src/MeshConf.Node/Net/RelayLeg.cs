using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Net;

namespace MeshConf.Node.Net;

/// <summary>
/// One direction of one client's path through an <see cref="ImpairmentRelay"/>: its impairment model, the
/// socket its copies leave from and where they go. <see cref="Forward"/> is called by the single thread that
/// receives for this leg; <see cref="Send"/> by that thread (copies due at once) and by the scheduler.
/// </summary>
internal sealed class RelayLeg
{
    private readonly ImpairmentModel _model;
    private readonly Socket _socket;
    private readonly SocketAddress? _destination;
    private readonly DatagramScheduler _scheduler;
    private readonly ArrayPool<byte> _pool;

    /// <param name="model">This leg's own model (one random stream per leg).</param>
    /// <param name="socket">The socket copies leave from.</param>
    /// <param name="destination">Where copies go, or null to send on a connected <paramref name="socket"/>.</param>
    /// <param name="counters">The relay's counters for this direction, shared by every client.</param>
    /// <param name="scheduler">Sends the delayed copies.</param>
    /// <param name="pool">Where delayed copies' buffers come from; the scheduler returns them.</param>
    public RelayLeg(ImpairmentModel model, Socket socket, SocketAddress? destination, RelayCounters counters, DatagramScheduler scheduler, ArrayPool<byte> pool)
    {
        _model = model;
        _socket = socket;
        _destination = destination;
        Counters = counters;
        _scheduler = scheduler;
        _pool = pool;
    }

    public RelayCounters Counters { get; }

    /// <summary>
    /// Decides the fate of <paramref name="datagram"/> (received at <paramref name="receivedAt"/>, a
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp) under <paramref name="profile"/> and sends or
    /// schedules its copies. The span is only read during the call: delayed copies go to pooled buffers.
    /// </summary>
    public void Forward(ReadOnlySpan<byte> datagram, long receivedAt, ImpairmentProfile profile)
    {
        if (!ReferenceEquals(_model.Profile, profile))
        {
            _model.Profile = profile;
        }

        Counters.CountReceived();
        var decision = _model.Next();
        if (decision.IsDropped)
        {
            Counters.CountDropped();
            return;
        }

        if (decision.IsReordered)
        {
            Counters.CountReordered();
        }

        if (decision.IsDuplicated)
        {
            Counters.CountDuplicated();
        }

        for (var copy = 0; copy < decision.Copies; copy++)
        {
            var delay = decision.DelayOf(copy);
            if (delay == TimeSpan.Zero)
            {
                // No thread hop for an unimpaired copy; a delayed earlier datagram is overtaken, as it should be.
                Send(datagram);
                continue;
            }

            var buffer = _pool.Rent(Math.Max(1, datagram.Length));
            datagram.CopyTo(buffer);
            _scheduler.Schedule(receivedAt + DatagramScheduler.ToTimestamps(delay), new ScheduledDatagram(buffer, datagram.Length, this));
        }
    }

    /// <summary>Sends one copy now; a refusal (ICMP unreachable, socket closing) is counted, never thrown.</summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            if (_destination is null)
            {
                _socket.Send(datagram, SocketFlags.None);
            }
            else
            {
                _socket.SendTo(datagram, SocketFlags.None, _destination);
            }

            Counters.CountForwarded();
        }
        catch (SocketException)
        {
            Counters.CountFailed();
        }
        catch (ObjectDisposedException)
        {
            Counters.CountFailed();
        }
    }
}
