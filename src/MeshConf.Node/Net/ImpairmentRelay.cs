using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Net;

namespace MeshConf.Node.Net;

/// <summary>
/// A UDP relay on loopback that impairs traffic between clients and one target: point a client (an ENet host,
/// say) at <see cref="ListenEndPoint"/> and it talks to the target through the relay, each direction dropped,
/// delayed, jittered, reordered and duplicated by its own <see cref="ImpairmentProfile"/>. This machine's
/// kernel has no netem; this is our netem for tests, benchmarks and <c>meshconf relay</c>.
/// </summary>
/// <remarks>
/// NAT-like: each distinct client address gets its own upstream socket on loopback port 0, connected to the
/// target, and the target's replies on it go back to that client from the listen socket. Threads: one receives
/// on the listen socket, one per client on its upstream socket, and one scheduler sends delayed copies at their
/// due time (see <see cref="DatagramScheduler"/> for its accuracy). Copies due at once are sent by the receiving
/// thread. Delayed copies wait in buffers from the relay's own pool; nothing is allocated per datagram once warm.
/// Only loopback addresses are accepted, so a test can never spray impaired traffic onto a real network.
/// Counters, <see cref="SetProfiles"/> and <see cref="Dispose"/> are safe from any thread.
/// </remarks>
public sealed class ImpairmentRelay : IDisposable
{
    /// <summary>Most clients one relay serves; datagrams from further ones are counted as failed and ignored.</summary>
    public const int MaxClients = 64;

    /// <summary>Largest datagram relayed (the UDP maximum; larger ones cannot exist).</summary>
    internal const int MaxDatagramBytes = 65536;

    /// <summary>Socket buffers asked for, so bursts are not lost in the kernel (Linux caps this at rmem_max).</summary>
    internal const int SocketBufferBytes = 4 * 1024 * 1024;

    private readonly Socket _listen;
    private readonly IPEndPoint _target;
    // Our own pool, not ArrayPool.Shared: delayed copies are rented on the receiving threads and returned on the
    // scheduler's, hundreds at a time in flight, more than Shared keeps per size; this one keeps up to 1024 each.
    private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create(MaxDatagramBytes, maxArraysPerBucket: 1024);
    private readonly DatagramScheduler _scheduler;
    private readonly RelayCounters _toTarget = new();
    private readonly RelayCounters _fromTarget = new();
    private readonly Lock _sessionsGate = new();

    // Written by the listen thread only, under _sessionsGate; the listen thread reads it without the lock.
    private readonly Dictionary<SocketAddress, RelaySession> _sessions = [];
    private readonly Thread _listenThread;
    private volatile RelayProfiles _profiles;
    private volatile Exception? _fault;
    private volatile bool _stopping;
    private long _listenAllocatedBytes;

    private ImpairmentRelay(Socket listen, IPEndPoint target, RelayProfiles profiles)
    {
        _listen = listen;
        _target = target;
        _profiles = profiles;
        ListenEndPoint = (IPEndPoint)listen.LocalEndPoint!;
        _scheduler = new DatagramScheduler(_pool, $"relay-scheduler-{ListenEndPoint.Port}");
        _listenThread = new Thread(RunListen) { IsBackground = true, Name = $"relay-listen-{ListenEndPoint.Port}" };
    }

    /// <summary>Where clients send: 127.0.0.1 and the real port when port 0 was asked for.</summary>
    public IPEndPoint ListenEndPoint { get; }

    /// <summary>Where client traffic is forwarded.</summary>
    public IPEndPoint Target => _target;

    /// <summary>The profile applied from clients to the target.</summary>
    public ImpairmentProfile ToTargetProfile => _profiles.ToTarget;

    /// <summary>The profile applied from the target back to clients.</summary>
    public ImpairmentProfile FromTargetProfile => _profiles.FromTarget;

    /// <summary>Counters of client to target traffic, summed over clients.</summary>
    public ImpairmentCounters ToTarget => _toTarget.Snapshot();

    /// <summary>Counters of target to client traffic, summed over clients.</summary>
    public ImpairmentCounters FromTarget => _fromTarget.Snapshot();

    /// <summary>How accurately delayed copies leave on time.</summary>
    public SchedulingLateness Lateness => _scheduler.Lateness;

    /// <summary>Distinct client addresses seen so far (each has its own upstream socket).</summary>
    public int ClientCount
    {
        get
        {
            lock (_sessionsGate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>
    /// An unexpected error that stopped one of the relay's threads, or null. Expected trouble (ICMP
    /// unreachable, a closing socket) is not a fault: it is counted and the relay carries on.
    /// </summary>
    public Exception? Fault => _fault;

    internal RelayProfiles Profiles => _profiles;

    /// <summary>Copies waiting in the scheduler.</summary>
    internal int Scheduled => _scheduler.Count;

    /// <summary>
    /// Bytes allocated so far by the relay's threads, as each last read it after a datagram: flat while the
    /// relay is warm (the allocation test's probe; threads are sampled, so wait until traffic has settled).
    /// </summary>
    internal long AllocatedBytesOnRelayThreads
    {
        get
        {
            var total = Volatile.Read(ref _listenAllocatedBytes) + _scheduler.AllocatedBytes;
            lock (_sessionsGate)
            {
                foreach (var session in _sessions.Values)
                {
                    total += session.AllocatedBytes;
                }
            }

            return total;
        }
    }

    /// <summary>
    /// Starts a relay in front of <paramref name="target"/>, listening on <paramref name="listen"/>
    /// (127.0.0.1 port 0 when null). Both addresses must be loopback, or this throws <see cref="ArgumentException"/>;
    /// a port that cannot be bound throws <see cref="SocketException"/>.
    /// </summary>
    /// <param name="target">The real server, e.g. an ENet host's endpoint.</param>
    /// <param name="toTarget">What happens to client datagrams on their way to the target.</param>
    /// <param name="fromTarget">What happens to the target's datagrams on their way back.</param>
    /// <param name="listen">Where clients send; port 0 picks a free port.</param>
    public static ImpairmentRelay Start(IPEndPoint target, ImpairmentProfile toTarget, ImpairmentProfile fromTarget, IPEndPoint? listen = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(toTarget);
        ArgumentNullException.ThrowIfNull(fromTarget);
        RequireLoopback(target, nameof(target));
        if (target.Port == 0)
        {
            throw new ArgumentException($"target {target} needs a port", nameof(target));
        }

        listen ??= new IPEndPoint(IPAddress.Loopback, 0);
        RequireLoopback(listen, nameof(listen));

        var socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = SocketBufferBytes;
            socket.SendBufferSize = SocketBufferBytes;
            socket.Bind(listen);
            if (socket.LocalEndPoint!.Equals(target))
            {
                throw new ArgumentException($"the relay cannot listen on its own target {target}", nameof(listen));
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var relay = new ImpairmentRelay(socket, target, new RelayProfiles(toTarget, fromTarget));
        relay._listenThread.Start();
        return relay;
    }

    /// <summary>
    /// Replaces both profiles; the next datagram in each direction uses them. Cut a link with
    /// <c>LossRate = 1</c> and heal it with the old profile. Random sequences carry on (seeds are read at start).
    /// </summary>
    public void SetProfiles(ImpairmentProfile toTarget, ImpairmentProfile fromTarget)
    {
        ArgumentNullException.ThrowIfNull(toTarget);
        ArgumentNullException.ThrowIfNull(fromTarget);
        _profiles = new RelayProfiles(toTarget, fromTarget);
    }

    /// <summary>Stops every thread (joined before return), closes every socket and drops copies still waiting.</summary>
    public void Dispose()
    {
        lock (_sessionsGate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        // Closing a socket ends a receive blocked on it; the listen thread opens no session once stopping.
        _listen.Dispose();
        _listenThread.Join();
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        _scheduler.Dispose();
    }

    internal void ReportFault(Exception error) => Interlocked.CompareExchange(ref _fault, error, null);

    private static void RequireLoopback(IPEndPoint endPoint, string name)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"the impairment relay only works on loopback; {endPoint} is not a loopback address", name);
        }
    }

    private void RunListen()
    {
        try
        {
            var scratch = new byte[MaxDatagramBytes];
            var from = new SocketAddress(_listen.AddressFamily);
            while (!_stopping)
            {
                int length;
                try
                {
                    length = _listen.ReceiveFrom(scratch, SocketFlags.None, from);
                }
                catch (SocketException) when (!_stopping)
                {
                    // ConnectionReset where the OS reports ICMP on unconnected sockets. Keep going.
                    continue;
                }
                catch (Exception) when (_stopping)
                {
                    return;
                }

                var receivedAt = Stopwatch.GetTimestamp();
                if (_sessions.TryGetValue(from, out var session) || TryOpenSession(from, out session))
                {
                    session.ToTarget.Forward(scratch.AsSpan(0, length), receivedAt, _profiles.ToTarget);
                }
                else
                {
                    _toTarget.CountReceived();
                    _toTarget.CountFailed();
                }

                Volatile.Write(ref _listenAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            }
        }
        catch (Exception error)
        {
            ReportFault(error);
        }
    }

    private bool TryOpenSession(SocketAddress client, [NotNullWhen(true)] out RelaySession? session)
    {
        session = null;
        lock (_sessionsGate)
        {
            if (_stopping || _sessions.Count >= MaxClients)
            {
                return false;
            }

            try
            {
                session = RelaySession.Open(this, _sessions.Count, client, _listen, _target, _profiles, _toTarget, _fromTarget, _scheduler, _pool);
            }
            catch (SocketException)
            {
                return false; // out of ports or descriptors: this datagram fails, a later one may succeed.
            }

            _sessions.Add(session.Client, session);
            return true;
        }
    }
}
