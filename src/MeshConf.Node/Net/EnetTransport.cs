using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using MeshConf.Interop.Enet;

namespace MeshConf.Node.Net;

/// <summary>
/// The mesh transport over ENet. One host, owned by one thread ("meshconf-enet") that creates it, services it
/// and is joined before it is destroyed: ENet is not thread-safe. Other threads queue commands (struct commands
/// in a <see cref="ConcurrentQueue{T}"/>, payloads copied into pooled buffers) that the owner thread drains every
/// loop iteration, and read events from an unbounded channel the owner thread writes without ever blocking.
/// An idle owner thread sleeps in a socket wait; a command wakes it with one byte sent to its own socket.
/// Links are named by <see cref="LinkId"/>, kept in each peer's user data, never by peer pointer.
/// Every link ends with exactly one Disconnected event, also a link this side closed (with the reason given here).
/// </summary>
internal sealed partial class EnetTransport : IMeshTransport
{
    private readonly EnetTransportOptions _options;
    private readonly ConcurrentQueue<EnetCommand> _commands = new();
    private readonly ConcurrentDictionary<long, EnetLink> _liveLinks = new();
    private readonly Channel<TransportEvent> _events = Channel.CreateUnbounded<TransportEvent>(new UnboundedChannelOptions
    {
        SingleReader = false, // the single-reader channel cannot Count, and the media backlog check needs it
        SingleWriter = false, // the owner thread writes; Dispose writes the last events after joining it
        AllowSynchronousContinuations = false, // never run the reader's code on the owner thread
    });

    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private ExceptionDispatchInfo? _startFailure;
    private EnetHost? _host;
    private Socket? _wake;
    private IPEndPoint? _localEndPoint;
    private long _nextLinkId;
    private int _pendingSends;
    private int _idle;
    private int _wakeSent;
    private volatile bool _stopRequested;
    private volatile bool _faulted;
    private int _disposed;

    private EnetTransport(EnetTransportOptions options)
    {
        _options = options;
        _thread = new Thread(RunOwnerThread) { IsBackground = true, Name = "meshconf-enet" };
    }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("The transport has not started.");

    /// <inheritdoc />
    public ChannelReader<TransportEvent> Events => _events.Reader;

    /// <summary>Test hook: bytes the owner thread had allocated at its latest stats tick.</summary>
    internal long OwnerThreadAllocatedBytes => Volatile.Read(ref _ownerAllocatedBytes);

    /// <summary>Test hook: stats ticks the owner thread has run; wait for it to move to see fresh stats.</summary>
    internal long TickCount => Volatile.Read(ref _tickCount);

    /// <summary>
    /// Binds the host on a new owner thread and returns once it is bound. Throws <see cref="EnetException"/>
    /// when the address cannot be bound (e.g. the port is in use) and <see cref="ArgumentException"/> for
    /// nonsensical options.
    /// </summary>
    public static EnetTransport Start(EnetTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (ToIPv4(options.BindAddress) is null)
        {
            throw new ArgumentException($"ENet speaks IPv4 only; cannot bind {options.BindAddress}.", nameof(options));
        }

        var transport = new EnetTransport(options);
        transport._thread.Start();
        transport._started.Wait();
        if (transport._startFailure is { } failure)
        {
            transport._thread.Join();
            transport._started.Dispose();
            failure.Throw();
        }

        return transport;
    }

    /// <inheritdoc />
    public LinkId Connect(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var address = ToIPv4(remote.Address)
            ?? throw new ArgumentException($"ENet speaks IPv4 only; cannot dial {remote}.", nameof(remote));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var link = NewLinkId();
        Enqueue(EnetCommand.Connect(link, new IPEndPoint(address, remote.Port)));
        return link;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Also false before the link's Connected event and after Disconnect was asked for: ENet queues nothing for
    /// a peer that is not connected. A media message that finds the outgoing queue full is dropped like a lost
    /// packet (true, and counted in <see cref="LinkStats.SendsRefused"/>); control is always queued.
    /// </remarks>
    public bool Send(LinkId link, MeshChannel channel, ReadOnlySpan<byte> message)
    {
        if ((uint)channel >= MeshChannels.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, "Not a mesh channel.");
        }

        if (_faulted || Volatile.Read(ref _disposed) != 0 || !_liveLinks.TryGetValue(link.Value, out var entry) || !entry.AcceptsSends)
        {
            return false;
        }

        if (channel != MeshChannel.Control && Volatile.Read(ref _pendingSends) >= _options.OutgoingBacklogLimit)
        {
            entry.CountQueueDrop();
            return true;
        }

        // Returned by the owner thread once ENet has copied it into a packet (or by Dispose, if it never ran).
        var buffer = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(buffer);
        Interlocked.Increment(ref _pendingSends);
        Enqueue(EnetCommand.Send(link, channel, buffer, message.Length));
        return true;
    }

    /// <inheritdoc />
    public void Disconnect(LinkId link, DisconnectReason reason)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            Enqueue(EnetCommand.Disconnect(link, reason));
        }
    }

    /// <inheritdoc />
    public bool TryGetStats(LinkId link, out LinkStats? stats)
    {
        if (_liveLinks.TryGetValue(link.Value, out var entry))
        {
            return entry.TryGetSnapshot(out stats);
        }

        stats = null;
        return false;
    }

    /// <summary>
    /// Disconnects every link with <see cref="DisconnectReason.Shutdown"/> (servicing up to
    /// <see cref="EnetTransportOptions.ShutdownFlush"/> so the notices leave), joins the owner thread, destroys
    /// the host and completes <see cref="Events"/>. Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopRequested = true;
        WakeOwner();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _host?.Dispose();
        _wake?.Dispose();

        // Commands that raced with the shutdown: give the buffers back, and end the links nobody will dial.
        while (_commands.TryDequeue(out var command))
        {
            ReturnBuffer(command);
            if (command.Kind == EnetCommandKind.Connect)
            {
                _events.Writer.TryWrite(new TransportEvent(TransportEventKind.Disconnected, command.Link, command.Remote!,
                    outgoing: true, wasConnected: false, reason: DisconnectReason.Shutdown));
            }
        }

        _liveLinks.Clear();
        _events.Writer.TryComplete();
        _started.Dispose();
    }

    /// <summary>Test hook: the owner thread stops and the socket closes without a word to any peer, as SIGKILL would.</summary>
    internal void Abandon() => Enqueue(EnetCommand.Signal(EnetCommandKind.Abandon));

    /// <summary>Test hook: makes the owner thread throw, as an unexpected bug would.</summary>
    internal void InjectFault() => Enqueue(EnetCommand.Signal(EnetCommandKind.Fault));

    private LinkId NewLinkId() => new(Interlocked.Increment(ref _nextLinkId));

    private void Enqueue(in EnetCommand command)
    {
        _commands.Enqueue(command);

        // Enqueue is a full fence, and so is the owner's store of _idle before it looks at the queue a last time:
        // either the owner sees this command, or this thread sees it idle and wakes it.
        if (Volatile.Read(ref _idle) != 0 && Interlocked.Exchange(ref _wakeSent, 1) == 0)
        {
            WakeOwner();
        }
    }

    /// <summary>
    /// Ends the owner thread's wait for traffic: one byte to the host's own socket, which ENet then drops as too
    /// short to be a packet. Without it a command would wait out the whole service timeout (1-2 ms on ENet's
    /// millisecond clock) on each hop.
    /// </summary>
    private void WakeOwner()
    {
        try
        {
            ReadOnlySpan<byte> wake = [0x57]; // static data: waking allocates nothing
            _wake?.Send(wake);
        }
        catch (SocketException)
        {
            // The owner wakes on its own within the service timeout anyway.
        }
        catch (ObjectDisposedException)
        {
            // Disposed: nobody left to wake.
        }
    }

    /// <summary>A UDP socket connected (no traffic, just a fixed destination) to the host's own address.</summary>
    private static Socket CreateWakeSocket(IPEndPoint host)
    {
        var target = host.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, host.Port) : host;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(target);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void ReturnBuffer(in EnetCommand command)
    {
        if (command.Buffer is not null)
        {
            Interlocked.Decrement(ref _pendingSends);
            ArrayPool<byte>.Shared.Return(command.Buffer);
        }
    }

    private static IPAddress? ToIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork ? address : null;
    }
}
