using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using MeshConf.Core.Mesh;
using MeshConf.Core.Security;
using MeshConf.Node.Net;
using MeshConf.Node.Security;

namespace MeshConf.Node.Mesh;

/// <summary>
/// One member of a session: links to every other member over an <see cref="IMeshTransport"/>, runs the
/// handshake on each, shares the roster so that knowing one member is enough, and seals every message after
/// the handshake. Threads: one receive loop reads the transport's events; a timer runs dials and timeouts;
/// both mutate state under one lock. Senders on any thread use a copy-on-write peer table and never take it.
/// </summary>
internal sealed partial class MeshNode : IDisposable
{
    /// <summary>Largest message (sealed) accepted from a peer; bigger ones are dropped as malformed.</summary>
    public const int MaxMessageSize = 256 * 1024;

    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    private readonly IMeshTransport _transport;
    private readonly MeshNodeOptions _options;
    private readonly HandshakeCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Lock _gate = new();
    private readonly Dictionary<LinkId, PeerLink> _links = [];
    private readonly Dictionary<ulong, MeshPeer> _peers = [];
    private readonly Dictionary<IPEndPoint, DialTarget> _targets = [];
    private readonly Dictionary<IPAddress, TokenBucket> _handshakeBuckets = [];
    private readonly Channel<MeshEvent> _events = Channel.CreateUnbounded<MeshEvent>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<ulong, PeerLink> _sendTable = [];
    private ITimer? _timer;
    private Task? _receiveLoop;
    private TimeSpan _lastRosterRefresh;
    private bool _leaving;
    private bool _disposed;

    public MeshNode(IMeshTransport transport, MeshNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        _transport = transport;
        _options = options;
        _time = options.Time;
        _startTimestamp = _time.GetTimestamp();
        NodeId = options.NodeId ?? RandomNodeId();
        _credentials = new HandshakeCredentials(options.Session, NodeId, options.Name, (ushort)transport.LocalEndPoint.Port, options.Identity.Rsa, options.Passphrase);
        Fingerprint = Fingerprint.Of(_credentials.IdentityPublicKey);
    }

    /// <summary>This node's random per-run id.</summary>
    public ulong NodeId { get; }

    public string Name => _options.Name;

    public string Session => _options.Session;

    public Fingerprint Fingerprint { get; }

    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>Joins, leaves, refusals, unreachable peers: read by the front end.</summary>
    public ChannelReader<MeshEvent> Events => _events.Reader;

    /// <summary>Drops and refusals that belong to no peer.</summary>
    public MeshCounters Counters { get; } = new();

    /// <summary>Application messages from peers; set before <see cref="Start"/>.</summary>
    public MeshMessageHandler? MessageReceived { get; set; }

    /// <summary>Starts the receive loop and the timer, and dials the explicit peers.</summary>
    public void Start()
    {
        lock (_gate)
        {
            foreach (var peer in _options.Peers)
            {
                AddTarget(peer, DialSource.Explicit);
            }
        }

        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _timer = _time.CreateTimer(_ => OnTick(), null, TimeSpan.Zero, TickInterval);
    }

    /// <summary>
    /// The hook for discovery: an address where a member of this session may be. Dialled unless already linked.
    /// </summary>
    public void AddPeer(IPEndPoint endPoint, DialSource source = DialSource.Discovered)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        lock (_gate)
        {
            AddTarget(endPoint, source);
            RunDials(Now);
        }
    }

    /// <summary>Transport links this node holds in any state (tests check duplicates are resolved).</summary>
    internal int LinkCount
    {
        get
        {
            lock (_gate)
            {
                return _links.Count;
            }
        }
    }

    /// <summary>Ids of the members linked now.</summary>
    public IReadOnlyCollection<ulong> PeerIds => _sendTable.Keys;

    /// <summary>
    /// Seals and queues an application message to one peer. Thread-safe, allocation-free in steady state.
    /// Returns false when the peer is not linked.
    /// </summary>
    public bool Send(ulong peerId, MeshChannel channel, byte messageType, ReadOnlySpan<byte> payload)
    {
        return _sendTable.TryGetValue(peerId, out var link) && SendSealed(link, channel, messageType, payload);
    }

    /// <summary>Seals and queues a message to every linked peer; returns how many it was queued for.</summary>
    public int Broadcast(MeshChannel channel, byte messageType, ReadOnlySpan<byte> payload)
    {
        var sent = 0;
        foreach (var link in _sendTable.Values)
        {
            if (SendSealed(link, channel, messageType, payload))
            {
                sent++;
            }
        }

        return sent;
    }

    /// <summary>A snapshot of the members with their link statistics.</summary>
    public IReadOnlyList<MeshPeerInfo> GetPeers()
    {
        List<MeshPeerInfo> result = [];
        lock (_gate)
        {
            foreach (var peer in _peers.Values)
            {
                LinkStats? stats = null;
                var drops = default(PacketDropSnapshot);
                if (peer.Link is { } link)
                {
                    _transport.TryGetStats(link.Id, out stats);
                    if (link.Opener is { } opener)
                    {
                        var c = opener.Counters;
                        drops = new PacketDropSnapshot(c.Opened, c.Malformed, c.BadTag, c.Replay, c.Stale);
                    }
                }

                result.Add(new MeshPeerInfo(peer.NodeId, peer.Name, peer.Address, peer.Fingerprint, stats, drops));
            }
        }

        return [.. result.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.NodeId)];
    }

    /// <summary>
    /// Leaves the session: a sealed Bye to every peer, then a graceful disconnect carrying the same reason.
    /// </summary>
    public void Leave()
    {
        lock (_gate)
        {
            if (_leaving)
            {
                return;
            }

            _leaving = true;
            foreach (var link in _links.Values.ToList())
            {
                if (link.State == PeerLinkState.Established)
                {
                    SendSealed(link, MeshChannel.Control, (byte)MeshMessageType.Bye, []);
                }

                link.State = PeerLinkState.Closing;
                link.CloseReason = "leaving";
                _transport.Disconnect(link.Id, DisconnectReason.Bye);
            }

            PublishSendTable();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _timer?.Dispose();
        _stop.Cancel();
        try
        {
            _receiveLoop?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; anything else was already reported as it happened.
        }

        lock (_gate)
        {
            foreach (var link in _links.Values)
            {
                link.Dispose();
            }

            _links.Clear();
            _peers.Clear();
            _sendTable = [];
        }

        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private TimeSpan Now => _time.GetElapsedTime(_startTimestamp);

    private static ulong RandomNodeId()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BitConverter.ToUInt64(bytes);
        }
        while (id == 0);
        return id;
    }

    private bool SendSealed(PeerLink link, MeshChannel channel, byte messageType, ReadOnlySpan<byte> payload)
    {
        var sealer = link.Sealer;
        if (sealer is null || payload.Length + SealedPacket.Overhead > MaxMessageSize)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(payload.Length + SealedPacket.Overhead);
        try
        {
            return sealer.TrySeal((byte)channel, messageType, payload, buffer, out var written)
                && _transport.Send(link.Id, channel, buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var reader = _transport.Events;
        var plaintext = new byte[MaxMessageSize];
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var transportEvent))
                {
                    try
                    {
                        Handle(transportEvent, plaintext);
                    }
                    finally
                    {
                        transportEvent.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Handle(in TransportEvent transportEvent, byte[] plaintext)
    {
        switch (transportEvent.Kind)
        {
            case TransportEventKind.Connected:
                lock (_gate)
                {
                    OnConnected(transportEvent);
                }

                break;
            case TransportEventKind.Disconnected:
                lock (_gate)
                {
                    OnDisconnected(transportEvent);
                }

                break;
            case TransportEventKind.Received:
                OnReceived(transportEvent, plaintext);
                break;
        }
    }

    private void OnReceived(in TransportEvent transportEvent, byte[] plaintext)
    {
        var message = transportEvent.Payload;
        if (message.Length == 0)
        {
            Counters.CountUnexpected();
            return;
        }

        if (message[0] != SealedPacket.Kind)
        {
            lock (_gate)
            {
                OnClearMessage(transportEvent.Link, transportEvent.Channel, message);
            }

            return;
        }

        PeerLink? link;
        lock (_gate)
        {
            _links.TryGetValue(transportEvent.Link, out link);
        }

        var opener = link?.Opener;
        if (link is null || opener is null || link.State != PeerLinkState.Established)
        {
            Counters.CountUnexpected();
            return;
        }

        // The opener belongs to this loop alone; it counts its own drops.
        if (opener.TryOpen((byte)transportEvent.Channel, message, plaintext, out var type, out var length) != OpenResult.Ok)
        {
            return;
        }

        var body = plaintext.AsSpan(0, length);
        if (type >= (byte)MeshMessageType.FirstApplication)
        {
            MessageReceived?.Invoke(link.PeerId!.Value, transportEvent.Channel, type, body);
            return;
        }

        if (transportEvent.Channel != MeshChannel.Control)
        {
            Counters.CountUnexpected();
            return;
        }

        lock (_gate)
        {
            OnMeshMessage(link, (MeshMessageType)type, body);
        }
    }

    private void OnMeshMessage(PeerLink link, MeshMessageType type, ReadOnlySpan<byte> body)
    {
        if (link.State != PeerLinkState.Established)
        {
            return;
        }

        switch (type)
        {
            case MeshMessageType.Roster when RosterMessage.TryDecode(body, out var entries):
                OnRoster(entries);
                break;
            case MeshMessageType.Bye when body.Length == 0:
                CloseLink(link, DisconnectReason.Bye, "bye", remoteSaidBye: true);
                break;
            default:
                Counters.CountUnexpected();
                break;
        }
    }

    private void OnDisconnected(in TransportEvent transportEvent)
    {
        if (!_links.Remove(transportEvent.Link, out var link))
        {
            return;
        }

        var reason = transportEvent.Reason switch
        {
            DisconnectReason.Bye => "bye",
            DisconnectReason.Timeout => "timeout",
            DisconnectReason.Duplicate => "replaced",
            DisconnectReason.Refused => "refused",
            DisconnectReason.HandshakeTimeout => "handshake timeout",
            DisconnectReason.Shutdown => "bye",
            _ => "disconnected",
        };
        DetachLink(link, reason, transportEvent.WasConnected, transportEvent.Reason);
        link.Dispose();
    }

    /// <summary>Forgets a link that ended (or that we end), telling the user what it meant for the peer.</summary>
    private void DetachLink(PeerLink link, string reason, bool wasConnected, DisconnectReason code)
    {
        if (link.Target is { } target && target.Attempt == link)
        {
            target.Attempt = null;
            if (link.State != PeerLinkState.Established && link.CloseReason is null && !_leaving)
            {
                DialFailed(target, wasConnected ? $"link closed during handshake ({reason})" : "no answer");
            }
        }

        if (link.PeerId is { } peerId)
        {
            LoseLink(link, keepMember: code == DisconnectReason.Duplicate || HasLinkTo(peerId, except: link), link.CloseReason ?? reason);
        }
    }

    /// <summary>
    /// A member's established link is gone. With <paramref name="keepMember"/> another link replaces it (both
    /// ends agreed on a duplicate): the member stays, within the migration grace. Otherwise it has left.
    /// </summary>
    private void LoseLink(PeerLink link, bool keepMember, string reason)
    {
        if (link.PeerId is not { } peerId || !_peers.TryGetValue(peerId, out var peer) || peer.Link != link)
        {
            return;
        }

        peer.Link = null;
        if (keepMember)
        {
            peer.LinkLostAt = Now;
        }
        else
        {
            RemovePeer(peer, reason);
        }

        PublishSendTable();
    }

    private void RemovePeer(MeshPeer peer, string reason)
    {
        _peers.Remove(peer.NodeId);
        Report(new PeerLeftEvent(peer.NodeId, peer.Name, reason));
        PublishSendTable();
        BroadcastRoster();
    }

    private bool HasLinkTo(ulong peerId, PeerLink except)
    {
        foreach (var other in _links.Values)
        {
            if (other != except && other.PeerId == peerId && other.State is PeerLinkState.Handshaking or PeerLinkState.Established)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Ends a link from our side. The remote learns <paramref name="code"/> with the disconnect.</summary>
    private void CloseLink(PeerLink link, DisconnectReason code, string reason, bool remoteSaidBye)
    {
        if (link.State == PeerLinkState.Closing)
        {
            return;
        }

        link.State = PeerLinkState.Closing;
        link.CloseReason = remoteSaidBye ? "bye" : reason;
        _transport.Disconnect(link.Id, code);
        LoseLink(link, keepMember: code == DisconnectReason.Duplicate, link.CloseReason);
        PublishSendTable();
    }

    /// <summary>Rebuilds the copy-on-write table senders read without the lock.</summary>
    private void PublishSendTable()
    {
        var table = new Dictionary<ulong, PeerLink>(_peers.Count);
        if (!_leaving)
        {
            foreach (var peer in _peers.Values)
            {
                if (peer.Link is { State: PeerLinkState.Established } link)
                {
                    table[peer.NodeId] = link;
                }
            }
        }

        Volatile.Write(ref _sendTable, table);
    }

    private void Report(MeshEvent meshEvent) => _events.Writer.TryWrite(meshEvent);

    private void OnTick()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            lock (_gate)
            {
                var now = Now;
                ExpireHandshakes(now);
                ExpireMigrations(now);
                RunDials(now);
                if (now - _lastRosterRefresh >= _options.RosterRefresh)
                {
                    _lastRosterRefresh = now;
                    BroadcastRoster();
                }

                ForgetFullBuckets(now);
            }
        }
        catch (ObjectDisposedException) when (_disposed)
        {
        }
    }

    private void ExpireHandshakes(TimeSpan now)
    {
        foreach (var link in _links.Values.ToList())
        {
            if (link.State is PeerLinkState.Handshaking && now - link.OpenedAt > _options.HandshakeTimeout)
            {
                Counters.CountHandshakeTimeout();
                link.CloseReason = "handshake timeout";
                if (link.Target is { } target && target.Attempt == link)
                {
                    target.Attempt = null;
                    DialFailed(target, "handshake did not finish");
                }

                link.State = PeerLinkState.Closing;
                _transport.Disconnect(link.Id, DisconnectReason.HandshakeTimeout);
            }
        }
    }

    private void ExpireMigrations(TimeSpan now)
    {
        foreach (var peer in _peers.Values.ToList())
        {
            if (peer.Link is null && peer.LinkLostAt is { } lost && now - lost > _options.MigrationGrace && !HasEstablishing(peer.NodeId))
            {
                RemovePeer(peer, "link lost");
            }
        }
    }

    private bool HasEstablishing(ulong peerId)
    {
        foreach (var link in _links.Values)
        {
            if (link.PeerId == peerId && link.State == PeerLinkState.Handshaking && Now - link.OpenedAt <= _options.HandshakeTimeout)
            {
                return true;
            }
        }

        return false;
    }

    private void ForgetFullBuckets(TimeSpan now)
    {
        if (_handshakeBuckets.Count == 0)
        {
            return;
        }

        foreach (var (address, bucket) in _handshakeBuckets.ToList())
        {
            if (bucket.IsFull(now))
            {
                _handshakeBuckets.Remove(address);
            }
        }
    }
}
