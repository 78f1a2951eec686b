using System.Buffers;
using System.Net;
using System.Runtime.ExceptionServices;
using MeshConf.Interop.Enet;

namespace MeshConf.Node.Net;

/// <summary>Everything here runs on the owner thread, the only thread that touches the host and its peers.</summary>
internal sealed partial class EnetTransport
{
    // Commands handled per loop iteration at most, so a flood of sends cannot starve the socket.
    private const int MaxCommandsPerIteration = 4096;

    // enet_host_service reports socket errors as -1 without errno; a few in a row are tolerated, more are a fault.
    private const int MaxConsecutiveServiceErrors = 100;

    // ENET_PEER_TIMEOUT_LIMIT. With timeoutMinimum == timeoutMaximum the retry count no longer matters.
    private const uint TimeoutLimit = 32;

    private readonly Dictionary<long, EnetLink> _links = [];
    private readonly List<EnetLink> _ending = [];
    private uint _nowMs;
    private bool _abandoned;
    private int _consecutiveServiceErrors;
    private long _ownerAllocatedBytes;
    private long _tickCount;

    private void RunOwnerThread()
    {
        EnetHost? host = null;
        try
        {
            host = EnetHost.Create(new IPEndPoint(ToIPv4(_options.BindAddress)!, _options.Port), _options.PeerLimit, MeshChannels.Count);
            _localEndPoint = host.LocalEndPoint;
            _wake = CreateWakeSocket(_localEndPoint);
            _host = host;
        }
        catch (Exception ex)
        {
            host?.Dispose();
            _startFailure = ExceptionDispatchInfo.Capture(ex);
            return;
        }
        finally
        {
            _started.Set();
        }

        try
        {
            ServiceUntilStopped(host);
            if (!_abandoned)
            {
                ShutDownLinks(host);
            }
        }
        catch (Exception ex)
        {
            // Never die silently: the reader learns of it through the channel, Send starts returning false, and
            // Dispose still joins this (finished) thread and destroys the host.
            _faulted = true;
            EndAllLinksWithoutEnet();
            _events.Writer.TryComplete(new InvalidOperationException($"The ENet transport thread stopped: {ex.Message}", ex));
        }
    }

    private void ServiceUntilStopped(EnetHost host)
    {
        // Ticks follow the monotonic clock; ENet's clock (wall time in ms) is only compared with its own stamps.
        _nowMs = EnetLibrary.TimeMs;
        var nextTick = Environment.TickCount64 + _options.StatsIntervalMs;
        while (!_stopRequested && !_abandoned)
        {
            DrainCommands(host);
            if (_abandoned)
            {
                return;
            }

            if (!ServiceOnce(host, 0))
            {
                WaitForWork(host);
            }

            if (Environment.TickCount64 >= nextTick)
            {
                Tick();
                nextTick = Environment.TickCount64 + _options.StatsIntervalMs;
            }
        }
    }

    /// <summary>
    /// One service call (sends what is queued, receives, waits up to the timeout), then every event it produced.
    /// Returns true when there were events: more may be waiting on the socket.
    /// </summary>
    private bool ServiceOnce(EnetHost host, uint timeoutMs)
    {
        var handled = false;
        try
        {
            if (host.Service(timeoutMs, out var e))
            {
                handled = true;
                _nowMs = EnetLibrary.TimeMs;
                Handle(e);
                while (host.CheckEvents(out e))
                {
                    Handle(e);
                }
            }

            _consecutiveServiceErrors = 0;
        }
        catch (EnetException) when (++_consecutiveServiceErrors < MaxConsecutiveServiceErrors)
        {
            // A transient socket error; ENet keeps its state, so the next iteration simply tries again.
        }

        _nowMs = EnetLibrary.TimeMs;
        return handled;
    }

    /// <summary>
    /// Sleeps until a datagram arrives (from a peer, or the wake byte another thread sends with a command) or the
    /// service timeout passes, which keeps ENet's resend and ping timers running on an idle host.
    /// </summary>
    private void WaitForWork(EnetHost host)
    {
        Interlocked.Exchange(ref _idle, 1);
        try
        {
            if (_commands.IsEmpty && !_stopRequested)
            {
                // With no link, ENet has no timer to keep (no resend, no ping): sleep until a datagram or a command
                // comes, waking only for the stats tick.
                host.WaitForReceive(_links.Count == 0 ? _options.StatsIntervalMs : _options.ServiceTimeoutMs);
            }
        }
        catch (EnetException) when (++_consecutiveServiceErrors < MaxConsecutiveServiceErrors)
        {
            // As in ServiceOnce.
        }
        finally
        {
            Volatile.Write(ref _idle, 0);
            Volatile.Write(ref _wakeSent, 0);
        }

        _nowMs = EnetLibrary.TimeMs;
    }

    private void DrainCommands(EnetHost host)
    {
        for (var i = 0; i < MaxCommandsPerIteration && _commands.TryDequeue(out var command); i++)
        {
            switch (command.Kind)
            {
                case EnetCommandKind.Send:
                    SendQueued(command);
                    break;
                case EnetCommandKind.Connect:
                    Dial(host, command.Link, command.Remote!);
                    break;
                case EnetCommandKind.Disconnect:
                    Close(command.Link, command.Reason);
                    break;
                case EnetCommandKind.Abandon:
                    _abandoned = true;
                    return;
                case EnetCommandKind.Fault:
                    throw new InvalidOperationException("fault injected by a test");
            }
        }
    }

    private void SendQueued(in EnetCommand command)
    {
        try
        {
            if (_links.TryGetValue(command.Link.Value, out var link) && link.State == EnetLinkState.Connected)
            {
                // Media uses UNRELIABLE_FRAGMENT always: for a small packet ENet treats it as plain
                // unreliable-sequenced, and a large one is fragmented unreliably instead of silently going reliable.
                var delivery = command.Channel == MeshChannel.Control ? EnetDelivery.Reliable : EnetDelivery.UnreliableFragment;
                if (link.Peer.Send((byte)command.Channel, command.Buffer.AsSpan(0, command.Length), delivery))
                {
                    link.CountOut(command.Channel, command.Length);
                }
                else
                {
                    link.SendsRefused++;
                }
            }
        }
        finally
        {
            ReturnBuffer(command);
        }
    }

    private void Dial(EnetHost host, LinkId id, IPEndPoint remote)
    {
        EnetPeer peer;
        try
        {
            peer = host.Connect(remote, MeshChannels.Count);
        }
        catch (EnetException)
        {
            // No free peer slot: a local refusal, so no remote reason and no timeout to report.
            _events.Writer.TryWrite(new TransportEvent(TransportEventKind.Disconnected, id, remote, outgoing: true,
                wasConnected: false, reason: DisconnectReason.None));
            return;
        }

        peer.UserData = (nint)id.Value;
        ConfigureTimeouts(peer);
        _links.Add(id.Value, new EnetLink(id, remote, outgoing: true, peer, EnetLinkState.Connecting, _nowMs));
    }

    private void Close(LinkId id, DisconnectReason reason)
    {
        if (!_links.TryGetValue(id.Value, out var link))
        {
            return;
        }

        switch (link.State)
        {
            case EnetLinkState.Connecting:
                link.Peer.DisconnectNow((uint)reason);
                End(link, reason, wasConnected: false);
                break;
            case EnetLinkState.Connected:
                // After the queued messages; the remote's Disconnect event carries the reason. Ours follows when
                // the remote acknowledges (or the peer timeout passes) and reports the reason given here.
                link.Peer.DisconnectLater((uint)reason);
                link.MarkClosing(reason, _nowMs);
                break;
            case EnetLinkState.Closing:
                break;
        }
    }

    private void Handle(EnetEvent e)
    {
        switch (e.Type)
        {
            case EnetEventType.Connect:
                OnConnected(e.Peer);
                break;
            case EnetEventType.Disconnect:
                OnDisconnected(e.Peer, e.Data);
                break;
            case EnetEventType.Receive:
                OnReceived(e.Peer, e.ChannelId, e.Payload);
                break;
        }
    }

    private void OnConnected(EnetPeer peer)
    {
        var link = FindLink(peer);
        if (link is null)
        {
            var id = NewLinkId();
            peer.UserData = (nint)id.Value;
            ConfigureTimeouts(peer);
            link = new EnetLink(id, peer.Address, outgoing: false, peer, EnetLinkState.Connecting, _nowMs);
            _links.Add(id.Value, link);
        }
        else if (link.State != EnetLinkState.Connecting)
        {
            return;
        }

        // Sent to the remote as well, so both directions of the link throttle the same way.
        var throttle = _options.Throttle;
        peer.ConfigureThrottle(throttle.IntervalMs, throttle.Acceleration, throttle.Deceleration);
        link.MarkConnected(_nowMs);
        link.Publish();
        _liveLinks[link.Id.Value] = link;
        _events.Writer.TryWrite(new TransportEvent(TransportEventKind.Connected, link.Id, link.Remote, link.Outgoing));
    }

    private void OnDisconnected(EnetPeer peer, uint data)
    {
        var link = FindLink(peer);
        if (link is null)
        {
            return;
        }

        switch (link.State)
        {
            case EnetLinkState.Connecting:
                // ENet gave up dialling (its own timeout), or the remote turned the dial down with a reason.
                End(link, data != 0 ? (DisconnectReason)data : DisconnectReason.Timeout, wasConnected: false);
                break;
            case EnetLinkState.Closing:
                End(link, link.LocalReason, wasConnected: true);
                break;
            default:
                // Our nodes always send a reason; ENet's own timeout reports 0, and so does a foreign peer that
                // says nothing. Tell them apart by how long the peer had been silent.
                var reason = (DisconnectReason)data;
                if (data == 0 && Elapsed(link.LastHeardMs) >= _options.PeerTimeoutMs / 2)
                {
                    reason = DisconnectReason.Timeout;
                }

                End(link, reason, wasConnected: true);
                break;
        }
    }

    private void OnReceived(EnetPeer peer, byte channelId, ReadOnlySpan<byte> payload)
    {
        var link = FindLink(peer);
        if (link is null)
        {
            return;
        }

        if (channelId >= MeshChannels.Count)
        {
            link.ReceivesDropped++; // a foreign or broken peer: data, not an error
            return;
        }

        var channel = (MeshChannel)channelId;
        link.CountIn(channel, payload.Length);
        if (channel != MeshChannel.Control && _events.Reader.Count >= _options.IncomingBacklogLimit)
        {
            link.ReceivesDropped++; // the reader is behind: stale media is worth less than memory
            return;
        }

        // Owned by the reader from here; it gives the buffer back with TransportEvent.Release.
        var buffer = ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.CopyTo(buffer);
        if (!_events.Writer.TryWrite(new TransportEvent(TransportEventKind.Received, link.Id, link.Remote, link.Outgoing,
                channel: channel, buffer: buffer, length: payload.Length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Refreshes stats and ends links that went silent, never answered, or never finished closing.</summary>
    private void Tick()
    {
        var timeout = _options.PeerTimeoutMs;
        foreach (var link in _links.Values)
        {
            if (link.State == EnetLinkState.Connecting || link.State == EnetLinkState.Closing)
            {
                if (Elapsed(link.SinceMs) >= timeout)
                {
                    _ending.Add(link);
                }

                continue;
            }

            // ENet pings an idle peer every ping interval and stamps lastReceiveTime on every acknowledgement,
            // so a live peer is heard from at least that often. ENet's own timeout only fires when a retransmit
            // is due, and retransmit intervals double, so on its own it reports a dead peer up to twice late.
            var heard = link.Peer.LastReceiveTimeMs;
            if (heard != 0 && unchecked((int)(heard - link.LastHeardMs)) > 0)
            {
                link.LastHeardMs = heard;
            }

            if (Elapsed(link.LastHeardMs) >= timeout)
            {
                _ending.Add(link);
            }
            else
            {
                link.Publish();
            }
        }

        foreach (var link in _ending)
        {
            var wasConnected = link.State != EnetLinkState.Connecting;
            var reason = link.State == EnetLinkState.Closing ? link.LocalReason : DisconnectReason.Timeout;
            link.Peer.Reset(); // forget it without a word: there is nobody listening
            End(link, reason, wasConnected);
        }

        _ending.Clear();
        Volatile.Write(ref _ownerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
        Interlocked.Increment(ref _tickCount);
    }

    /// <summary>Dispose: tell every peer we are going, give the notices a moment to leave, then let go.</summary>
    private void ShutDownLinks(EnetHost host)
    {
        // What was queued before Dispose still goes out first. New sends are refused by now; the bound only
        // guards against one that raced past that check in a loop.
        for (var pass = 0; pass < 16 && !_commands.IsEmpty && !_abandoned; pass++)
        {
            DrainCommands(host);
        }

        foreach (var link in _links.Values)
        {
            if (link.State == EnetLinkState.Connected)
            {
                link.Peer.DisconnectLater((uint)DisconnectReason.Shutdown);
                link.MarkClosing(DisconnectReason.Shutdown, _nowMs);
            }
            else if (link.State == EnetLinkState.Connecting)
            {
                _ending.Add(link);
            }
        }

        EndCollected(DisconnectReason.Shutdown, wasConnected: false);
        var deadline = Environment.TickCount64 + _options.ShutdownFlushMs;
        while (_links.Count > 0 && Environment.TickCount64 < deadline)
        {
            ServiceOnce(host, 1);
        }

        _ending.AddRange(_links.Values);
        EndCollected(DisconnectReason.Shutdown, wasConnected: true);
        host.Flush();
    }

    /// <summary>Ends the collected links with a last unsequenced disconnect notice each.</summary>
    private void EndCollected(DisconnectReason reason, bool wasConnected)
    {
        foreach (var link in _ending)
        {
            var given = link.State == EnetLinkState.Closing ? link.LocalReason : reason;
            link.Peer.DisconnectNow((uint)given);
            End(link, given, wasConnected && link.State != EnetLinkState.Connecting);
        }

        _ending.Clear();
    }

    /// <summary>After a fault: report every link ended without calling into ENet again.</summary>
    private void EndAllLinksWithoutEnet()
    {
        foreach (var link in _links.Values)
        {
            link.MarkGone();
            _events.Writer.TryWrite(new TransportEvent(TransportEventKind.Disconnected, link.Id, link.Remote, link.Outgoing,
                wasConnected: link.State != EnetLinkState.Connecting, reason: DisconnectReason.Shutdown));
        }

        _links.Clear();
        _liveLinks.Clear();
    }

    private void End(EnetLink link, DisconnectReason reason, bool wasConnected)
    {
        _links.Remove(link.Id.Value);
        _liveLinks.TryRemove(link.Id.Value, out _);
        link.MarkGone();
        var peer = link.Peer;
        peer.UserData = 0; // ENet keeps user data across slot reuse; a stale id must not name the next link
        _events.Writer.TryWrite(new TransportEvent(TransportEventKind.Disconnected, link.Id, link.Remote, link.Outgoing,
            wasConnected, reason));
    }

    /// <summary>
    /// Milliseconds from <paramref name="since"/> to now on ENet's clock (wall time, wrapping at 2^32): a stamp
    /// in the future after the clock was set back counts as no time at all, never as a huge silence.
    /// </summary>
    private long Elapsed(uint since) => Math.Max(0, unchecked((int)(_nowMs - since)));

    /// <summary>The link a peer belongs to, by the id in its user data (never by pointer: ENet reuses slots).</summary>
    private EnetLink? FindLink(EnetPeer peer)
    {
        var id = (long)peer.UserData;
        return id != 0 && _links.TryGetValue(id, out var link) && link.Peer == peer ? link : null;
    }

    private void ConfigureTimeouts(EnetPeer peer)
    {
        // ENet drops a peer when its oldest unacknowledged reliable command is older than timeoutMaximum; with
        // minimum == maximum that is the one bound. Tick enforces the same bound from the last acknowledgement.
        peer.ConfigureTimeout(TimeoutLimit, _options.PeerTimeoutMs, _options.PeerTimeoutMs);
        peer.SetPingInterval(_options.PingIntervalMs);
    }
}
