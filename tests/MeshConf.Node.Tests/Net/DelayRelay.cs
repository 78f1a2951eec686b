using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeshConf.Node.Tests.Net;

/// <summary>
/// A UDP relay on 127.0.0.1 that holds each datagram until a release time a delay model picks, keeping the
/// order of each direction (a datagram never leaves before the one ahead of it). One side dials
/// <see cref="EndPoint"/>; the relay forwards to the target from a second socket. Impairment as a wrapper: the
/// transports on either side are the real thing.
/// </summary>
internal sealed class DelayRelay : IDisposable
{
    private readonly Socket _front = Bound();
    private readonly Socket _back = Bound();
    private readonly IPEndPoint _target;
    private readonly Func<TimeSpan, TimeSpan> _towardsTarget;
    private readonly Func<TimeSpan, TimeSpan> _towardsDialler;
    private readonly Lane _forward = new();
    private readonly Lane _backward = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _thread;
    private EndPoint? _dialler;
    private volatile bool _stop;

    /// <param name="target">Where datagrams from the dialler go.</param>
    /// <param name="towardsTarget">Release time of a datagram to the target, given its arrival time.</param>
    /// <param name="towardsDialler">Release time of a datagram back to the dialler, given its arrival time.</param>
    public DelayRelay(IPEndPoint target, Func<TimeSpan, TimeSpan> towardsTarget, Func<TimeSpan, TimeSpan> towardsDialler)
    {
        _target = target;
        _towardsTarget = towardsTarget;
        _towardsDialler = towardsDialler;
        _thread = new Thread(Run) { IsBackground = true, Name = "test-delay-relay" };
        _thread.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    /// <summary>No delay.</summary>
    public static TimeSpan Immediately(TimeSpan arrival) => arrival;

    /// <summary>
    /// Released at the next multiple of <paramref name="frame"/>: a peer that services its host once per frame of
    /// a 60 Hz loop acknowledges up to a frame late, so round trips wobble between ~0 and one frame.
    /// </summary>
    public static Func<TimeSpan, TimeSpan> AtNextFrame(TimeSpan frame) =>
        arrival => TimeSpan.FromTicks((arrival.Ticks + frame.Ticks - 1) / frame.Ticks * frame.Ticks);

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        _front.Dispose();
        _back.Dispose();
    }

    private void Run()
    {
        var buffer = new byte[65536];
        var readable = new List<Socket>(2);
        while (!_stop)
        {
            var now = _clock.Elapsed;
            Release(_forward, _back, _target, now);
            if (_dialler is not null)
            {
                Release(_backward, _front, _dialler, now);
            }

            var next = TimeSpan.FromMilliseconds(20);
            foreach (var lane in (ReadOnlySpan<Lane>)[_forward, _backward])
            {
                if (lane.Waiting.TryPeek(out var head) && head.Due - now < next)
                {
                    next = head.Due - now;
                }
            }

            readable.Clear();
            readable.Add(_front);
            readable.Add(_back);
            Socket.Select(readable, null, null, (int)Math.Clamp(next.TotalMicroseconds, 0, 20_000));
            foreach (var socket in readable)
            {
                while (socket.Available > 0)
                {
                    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                    var length = socket.ReceiveFrom(buffer, ref from);
                    var arrival = _clock.Elapsed;
                    var datagram = buffer.AsSpan(0, length).ToArray();
                    if (socket == _front)
                    {
                        _dialler ??= from;
                        _forward.Add(_towardsTarget(arrival), datagram);
                    }
                    else
                    {
                        _backward.Add(_towardsDialler(arrival), datagram);
                    }
                }
            }
        }
    }

    private static void Release(Lane lane, Socket via, EndPoint to, TimeSpan now)
    {
        while (lane.Waiting.TryPeek(out var head) && head.Due <= now)
        {
            lane.Waiting.Dequeue();
            via.SendTo(head.Datagram, to);
        }
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>One direction: datagrams waiting for their release time, in order.</summary>
    private sealed class Lane
    {
        private TimeSpan _lastDue;

        public Queue<(TimeSpan Due, byte[] Datagram)> Waiting { get; } = new();

        public void Add(TimeSpan due, byte[] datagram)
        {
            // Never before the datagram ahead: one network path keeps order.
            _lastDue = due < _lastDue ? _lastDue : due;
            Waiting.Enqueue((_lastDue, datagram));
        }
    }
}
