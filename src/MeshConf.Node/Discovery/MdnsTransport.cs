using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Node.Discovery;

/// <summary>
/// The mDNS socket (RFC 6762): one IPv4 UDP socket on 0.0.0.0:5353 for every interface mDNS runs on.
/// <list type="bullet">
/// <item>Shared with the other responders of the host (avahi, Bonjour): ReuseAddress, which on Linux sets both
/// SO_REUSEADDR and SO_REUSEPORT. Every socket on 5353 gets each multicast; a unicast to 5353 reaches one of them.</item>
/// <item>224.0.0.251 joined on each interface by index.</item>
/// <item>One socket rather than one per interface: the interface a datagram arrived on comes from IP_PKTINFO
/// (<see cref="Socket.ReceiveMessageFrom(Span{byte}, ref SocketFlags, ref EndPoint, out IPPacketInformation)"/>),
/// and what arrived on an interface we do not run on is dropped (counted in <see cref="MdnsCounters.OtherInterface"/>).
/// Sockets per interface would all be bound to 0.0.0.0:5353 too (binding a group address loses unicast), so
/// SO_REUSEPORT would spread unicast replies among them by hash and PKTINFO would be needed anyway.</item>
/// <item>IP_MULTICAST_ALL stays on (Linux's default), so we also get the group on interfaces where only another
/// socket (avahi) joined it, and drop it by PKTINFO. Turning it off loses datagrams: on Linux 6.18, with two
/// such sockets on 5353 in a namespace, one joined on veth0 and lo and one bound before it joined on lo only, no
/// multicast arriving on veth0 ever reached the first; with net.ipv4.udp_early_demux=0, or IP_MULTICAST_ALL on,
/// every one did.</item>
/// <item>Multicast leaves by the interface set per send (IP_MULTICAST_IF by index), with IP TTL 255 for
/// multicast and unicast alike (RFC 6762 §11); unicast replies leave from port 5353 too.</item>
/// <item>Multicast loopback stays on, because other responders of this host must hear us; our own echoes are
/// recognised by <see cref="MdnsEchoFilter"/> and dropped.</item>
/// </list>
/// A bad datagram is data: it is counted and reported as a status, never thrown. Threads: one thread at a time
/// receives; sends are serialised by a lock; <see cref="Dispose"/> may come from any thread and ends a receive
/// that is waiting.
/// </summary>
internal sealed class MdnsTransport : IDisposable
{
    /// <summary>Largest mDNS datagram, IP and UDP headers included (RFC 6762 §17): no payload can be longer.</summary>
    public const int MaxDatagramSize = 9000;

    private readonly Socket _socket;
    private readonly Dictionary<int, MdnsInterface> _byIndex;
    private readonly MdnsEchoFilter _echoes;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _gate = new(); // sends, the echo filter, disposal

    // Send scratch, written and read under _gate; receive scratch, used by the one receiving thread.
    private readonly byte[] _sendBuffer = new byte[MaxDatagramSize];
    private readonly byte[] _receiveBuffer = new byte[MaxDatagramSize];
    private readonly SocketAddress _group = new IPEndPoint(Mdns.IPv4Group, Mdns.Port).Serialize();
    private int _multicastInterface = -1;

    private long _received;
    private long _sent;
    private long _malformed;
    private long _ownEchoes;
    private long _otherInterface;
    private long _sendErrors;
    private long _receiveErrors;
    private volatile bool _closed;

    private MdnsTransport(Socket socket, IReadOnlyList<MdnsInterface> interfaces, IReadOnlyList<string> skipped, TimeProvider time)
    {
        _socket = socket;
        Interfaces = interfaces;
        Skipped = skipped;
        _byIndex = interfaces.ToDictionary(i => i.Index);
        _echoes = new MdnsEchoFilter(interfaces);
        _time = time;
        _origin = time.GetTimestamp();
    }

    /// <summary>The interfaces the group is joined on.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces { get; }

    /// <summary>Interfaces that were asked for but could not join the group, each with the reason (one line each).</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>The counters so far.</summary>
    public MdnsCounters Counters => new(
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _ownEchoes),
        Interlocked.Read(ref _otherInterface),
        Interlocked.Read(ref _sendErrors),
        Interlocked.Read(ref _receiveErrors),
        Overflowed: 0);

    /// <summary>
    /// Opens the socket on <paramref name="interfaces"/> (from <see cref="MdnsInterfaceSelector"/>). The socket
    /// belongs to the network namespace of the calling thread for its whole life, whichever thread uses it later.
    /// <paramref name="time"/> (default: the system's) dates the sends the echo filter remembers.
    /// </summary>
    /// <exception cref="MdnsUnavailableException">Port 5353 cannot be bound, or the group cannot be joined on any interface.</exception>
    public static MdnsTransport Open(IReadOnlyList<MdnsInterface> interfaces, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentOutOfRangeException.ThrowIfZero(interfaces.Count);
        if (interfaces.Select(i => i.Index).Distinct().Count() != interfaces.Count)
        {
            throw new ArgumentException("an interface is listed twice", nameof(interfaces));
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, Mdns.Port));
            }
            catch (SocketException e)
            {
                throw new MdnsUnavailableException(
                    $"cannot bind UDP port {Mdns.Port} ({Describe(e)}); another program holds it without sharing it", e);
            }

            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, Mdns.MulticastTtl);
            socket.Ttl = Mdns.MulticastTtl;
            socket.MulticastLoopback = true;

            var joined = new List<MdnsInterface>(interfaces.Count);
            var skipped = new List<string>();
            foreach (var nic in interfaces)
            {
                try
                {
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Mdns.IPv4Group, nic.Index));
                    joined.Add(nic);
                }
                catch (SocketException e)
                {
                    skipped.Add($"cannot join {Mdns.IPv4Group} on {nic.Name} ({Describe(e)})");
                }
            }

            if (joined.Count == 0)
            {
                throw new MdnsUnavailableException(string.Join("; ", skipped));
            }

            return new MdnsTransport(socket, joined, skipped, time ?? TimeProvider.System);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="message"/> on interface <paramref name="interfaceIndex"/>: to the group, or to
    /// <paramref name="destination"/> (a unicast reply, from port 5353). False, counted in
    /// <see cref="MdnsCounters.SendErrors"/>, when it is too large or the socket refuses; false after Dispose.
    /// </summary>
    public bool Send(DnsMessage message, int interfaceIndex, IPEndPoint? destination = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckInterface(interfaceIndex);
        lock (_gate)
        {
            if (!message.TryWrite(_sendBuffer, out var written))
            {
                Interlocked.Increment(ref _sendErrors);
                return false;
            }

            return SendLocked(_sendBuffer.AsSpan(0, written), interfaceIndex, destination);
        }
    }

    /// <summary>Sends raw bytes, as <see cref="Send(DnsMessage, int, IPEndPoint?)"/> does a message.</summary>
    public bool Send(ReadOnlySpan<byte> datagram, int interfaceIndex, IPEndPoint? destination = null)
    {
        CheckInterface(interfaceIndex);
        lock (_gate)
        {
            if (datagram.Length > MaxDatagramSize)
            {
                Interlocked.Increment(ref _sendErrors);
                return false;
            }

            return SendLocked(datagram, interfaceIndex, destination);
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: until something arrives
    /// or the transport is disposed) for one datagram, and says what it was. Only <see cref="MdnsReceiveStatus.Message"/>
    /// fills <paramref name="datagram"/>. Never throws. One receiving thread at a time.
    /// </summary>
    public MdnsReceiveStatus Receive(TimeSpan timeout, out MdnsDatagram datagram)
    {
        datagram = default;
        if (_closed)
        {
            return MdnsReceiveStatus.Closed;
        }

        int length;
        var flags = SocketFlags.None;
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        IPPacketInformation packet;
        try
        {
            if (!_socket.Poll(timeout, SelectMode.SelectRead))
            {
                return _closed ? MdnsReceiveStatus.Closed : MdnsReceiveStatus.TimedOut;
            }

            // Dispose shuts the socket down to end the wait: readable, but nothing to read.
            if (_closed)
            {
                return MdnsReceiveStatus.Closed;
            }

            length = _socket.ReceiveMessageFrom(_receiveBuffer, ref flags, ref from, out packet);
        }
        catch (ObjectDisposedException)
        {
            return MdnsReceiveStatus.Closed;
        }
        catch (SocketException) when (_closed)
        {
            return MdnsReceiveStatus.Closed;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
        {
            // Where the platform reports a datagram larger than the buffer as an error rather than a flag.
            Interlocked.Increment(ref _received);
            Interlocked.Increment(ref _malformed);
            return MdnsReceiveStatus.Malformed;
        }
        catch (SocketException)
        {
            // e.g. an ICMP error queued by an earlier unicast; the socket itself is still good.
            Interlocked.Increment(ref _receiveErrors);
            return MdnsReceiveStatus.Failed;
        }

        if (_closed)
        {
            return MdnsReceiveStatus.Closed;
        }

        Interlocked.Increment(ref _received);
        var source = (IPEndPoint)from;
        if (!_byIndex.ContainsKey(packet.Interface))
        {
            // The group on an interface where only another socket joined it, or a unicast to 5353 from anywhere.
            Interlocked.Increment(ref _otherInterface);
            return MdnsReceiveStatus.OtherInterface;
        }

        var bytes = _receiveBuffer.AsSpan(0, length);
        bool echo;
        lock (_gate)
        {
            echo = _echoes.IsEcho(bytes, source, packet.Interface, NowMs());
        }

        if (echo)
        {
            Interlocked.Increment(ref _ownEchoes);
            return MdnsReceiveStatus.OwnEcho;
        }

        if ((flags & SocketFlags.Truncated) != 0 || !DnsMessage.TryRead(bytes, out var message, out _))
        {
            Interlocked.Increment(ref _malformed);
            return MdnsReceiveStatus.Malformed;
        }

        datagram = new MdnsDatagram(message, source, packet.Interface, packet.Address);
        return MdnsReceiveStatus.Message;
    }

    /// <summary>Closes the socket (leaving the groups); a receive waiting on another thread returns <see cref="MdnsReceiveStatus.Closed"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        try
        {
            // Wakes a thread waiting in Poll. On an unconnected UDP socket Linux reports ENOTCONN but still
            // marks it shut down and wakes its waiters.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
    }

    private bool SendLocked(ReadOnlySpan<byte> datagram, int interfaceIndex, IPEndPoint? destination)
    {
        if (_closed)
        {
            return false;
        }

        try
        {
            if (destination is null)
            {
                if (_multicastInterface != interfaceIndex)
                {
                    // An int is taken as an interface index in network byte order (.NET maps it to ip_mreqn).
                    _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(interfaceIndex));
                    _multicastInterface = interfaceIndex;
                }

                _socket.SendTo(datagram, SocketFlags.None, _group);
                _echoes.Sent(datagram, interfaceIndex, NowMs());
            }
            else
            {
                if (destination.AddressFamily != AddressFamily.InterNetwork)
                {
                    Interlocked.Increment(ref _sendErrors);
                    return false; // an IPv4 socket: an IPv6 querier is answered when IPv6 is added
                }

                _socket.SendTo(datagram, SocketFlags.None, destination);
            }

            Interlocked.Increment(ref _sent);
            return true;
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendErrors);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void CheckInterface(int interfaceIndex)
    {
        if (!_byIndex.ContainsKey(interfaceIndex))
        {
            throw new ArgumentException($"mDNS does not run on interface #{interfaceIndex}", nameof(interfaceIndex));
        }
    }

    private long NowMs() => (long)_time.GetElapsedTime(_origin).TotalMilliseconds;

    private static string Describe(SocketException e) => $"{e.SocketErrorCode}: {e.Message}";
}
