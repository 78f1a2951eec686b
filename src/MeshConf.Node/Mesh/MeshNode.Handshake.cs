using System.Net;
using MeshConf.Core.Mesh;
using MeshConf.Core.Security;
using MeshConf.Node.Net;
using MeshConf.Node.Security;

namespace MeshConf.Node.Mesh;

internal sealed partial class MeshNode
{
    private void OnConnected(in TransportEvent transportEvent)
    {
        var now = Now;
        if (!_links.TryGetValue(transportEvent.Link, out var link))
        {
            if (transportEvent.Outgoing)
            {
                // A dial we already gave up on: nobody waits for it.
                _transport.Disconnect(transportEvent.Link, DisconnectReason.HandshakeTimeout);
                return;
            }

            if (!AdmitIncoming(transportEvent.Remote, now))
            {
                _transport.Disconnect(transportEvent.Link, DisconnectReason.Refused);
                return;
            }

            link = new PeerLink(transportEvent.Link, transportEvent.Remote, outgoing: false, now);
            _links.Add(link.Id, link);
        }

        if (_leaving)
        {
            link.State = PeerLinkState.Closing;
            _transport.Disconnect(link.Id, DisconnectReason.Bye);
            return;
        }

        link.OpenedAt = now;
        link.State = PeerLinkState.Handshaking;
        link.Handshake = new Handshake(_credentials, link.Outgoing ? HandshakeRole.Initiator : HandshakeRole.Responder);
        _transport.Send(link.Id, MeshChannel.Control, link.Handshake.LocalHello);
    }

    /// <summary>Handshakes cost RSA work: limit them per source address and in total.</summary>
    private bool AdmitIncoming(IPEndPoint remote, TimeSpan now)
    {
        var pending = 0;
        foreach (var link in _links.Values)
        {
            if (link.State is PeerLinkState.Handshaking or PeerLinkState.Connecting)
            {
                pending++;
            }
        }

        if (pending >= _options.MaxPendingHandshakes)
        {
            Counters.CountOverCapacity();
            return false;
        }

        if (!_handshakeBuckets.TryGetValue(remote.Address, out var bucket))
        {
            bucket = new TokenBucket(_options.HandshakeBurstPerAddress, _options.HandshakeRatePerSecond, now);
            _handshakeBuckets.Add(remote.Address, bucket);
        }

        if (!bucket.TryTake(now))
        {
            Counters.CountRateLimited();
            return false;
        }

        return true;
    }

    private void OnClearMessage(LinkId linkId, MeshChannel channel, ReadOnlySpan<byte> message)
    {
        if (!_links.TryGetValue(linkId, out var link) || channel != MeshChannel.Control
            || link.State != PeerLinkState.Handshaking || link.Handshake is null)
        {
            Counters.CountUnexpected();
            return;
        }

        switch ((ClearMessageKind)message[0])
        {
            case ClearMessageKind.Hello:
                OnHello(link, link.Handshake, message);
                break;
            case ClearMessageKind.Auth:
                OnAuth(link, link.Handshake, message);
                break;
            case ClearMessageKind.Refuse:
                var refusal = RefuseMessage.TryDecode(message);
                if (refusal is null)
                {
                    Counters.CountUnexpected();
                    return;
                }

                Counters.CountHandshakeFailure();
                if (refusal.Code == RefusalCode.Self)
                {
                    MarkSelf(link);
                }
                else if (refusal.Code != RefusalCode.Leaving)
                {
                    Report(new RefusedEvent(link.Remote, refusal.Code, "refused by peer: " + refusal.Reason, ByPeer: true));
                }

                EndHandshake(link, DisconnectReason.Refused, "refused by peer: " + refusal.Reason, longBackoff: refusal.Code != RefusalCode.Busy);
                break;
            default:
                Counters.CountUnexpected();
                break;
        }
    }

    private void OnHello(PeerLink link, Handshake handshake, ReadOnlySpan<byte> message)
    {
        var error = handshake.ReceiveHello(message);
        if (error == HandshakeError.ProtocolVersion)
        {
            Refuse(link, RefusalCode.ProtocolVersion,
                $"peer speaks protocol version {handshake.PeerHello!.Version}, this node speaks {HelloMessage.CurrentVersion}",
                $"protocol version {handshake.PeerHello!.Version} is not supported (this node speaks {HelloMessage.CurrentVersion}); upgrade meshconf");
            return;
        }

        if (error != HandshakeError.None)
        {
            Refuse(link, RefusalCode.Malformed, "malformed handshake (" + error + ")", "malformed hello");
            return;
        }

        var hello = handshake.PeerHello!;
        var fingerprint = handshake.PeerFingerprint!.Value;
        link.Hello = hello;
        link.Fingerprint = fingerprint;
        if (link.Target is { } target)
        {
            target.NodeId = hello.NodeId;
        }

        if (hello.NodeId == NodeId)
        {
            MarkSelf(link);
            Refuse(link, RefusalCode.Self, null, "connected to itself");
            return;
        }

        if (!string.Equals(hello.Session, Session, StringComparison.Ordinal))
        {
            Refuse(link, RefusalCode.SessionMismatch,
                $"session mismatch: peer '{hello.Name}' is in session '{hello.Session}', this node is in '{Session}'",
                $"session mismatch: '{Name}' is in session '{Session}', not '{hello.Session}'");
            return;
        }

        if (hello.HasPassphrase != _credentials.HasPassphrase)
        {
            if (_credentials.HasPassphrase)
            {
                Refuse(link, RefusalCode.PassphraseRequired,
                    $"peer '{hello.Name}' has no passphrase, but this session needs one",
                    $"session '{Session}' needs a passphrase (--passphrase or MESHCONF_PASSPHRASE)");
            }
            else
            {
                Refuse(link, RefusalCode.PassphraseRequired,
                    $"peer '{hello.Name}' requires a session passphrase (--passphrase or MESHCONF_PASSPHRASE)",
                    $"'{Name}' has no passphrase for session '{Session}'");
            }

            return;
        }

        if (_options.KnownPeers.Check(hello.Name, fingerprint, out var remembered) == PeerTrust.Mismatch)
        {
            Refuse(link, RefusalCode.KeyChanged,
                $"KEY CHANGED for known peer '{hello.Name}': remembered {remembered.Short}, presented {fingerprint.Short}. "
                + $"Refusing: this may be an impostor. If '{hello.Name}' really has a new key, remove its line from {_options.KnownPeers.FilePath ?? "the known peers"}",
                $"'{Name}' remembers a different key for the name '{hello.Name}'");
            return;
        }

        if (!ResolveDuplicates(link, hello.NodeId))
        {
            return;
        }

        _transport.Send(link.Id, MeshChannel.Control, handshake.CreateAuth());
    }

    /// <summary>
    /// When two links reach the same node (both sides dialled at once, or two addresses of one node), both
    /// ends independently keep the one <see cref="LinkArbiter"/> prefers and close the other as a duplicate.
    /// Returns false when <paramref name="link"/> itself lost.
    /// </summary>
    private bool ResolveDuplicates(PeerLink link, ulong peerId)
    {
        foreach (var other in _links.Values.ToList())
        {
            if (other == link || other.PeerId != peerId || other.State is PeerLinkState.Closing or PeerLinkState.Connecting)
            {
                continue;
            }

            var linkInitiator = link.Outgoing ? NodeId : peerId;
            var otherInitiator = other.Outgoing ? NodeId : peerId;
            var loser = LinkArbiter.Prefers(linkInitiator, link.Id.Value, otherInitiator, other.Id.Value) ? other : link;
            if (loser.Target is { } target && target.Attempt == loser)
            {
                target.Attempt = null;
            }

            if (loser.State == PeerLinkState.Handshaking)
            {
                loser.State = PeerLinkState.Closing;
                loser.CloseReason = "replaced";
                _transport.Disconnect(loser.Id, DisconnectReason.Duplicate);
            }
            else
            {
                CloseLink(loser, DisconnectReason.Duplicate, "replaced", remoteSaidBye: false);
            }

            if (loser == link)
            {
                return false;
            }
        }

        return true;
    }

    private void OnAuth(PeerLink link, Handshake handshake, ReadOnlySpan<byte> message)
    {
        var hello = link.Hello;
        if (hello is null || !handshake.AuthSent)
        {
            Refuse(link, RefusalCode.Malformed, "handshake out of order", "handshake out of order");
            return;
        }

        var error = handshake.ReceiveAuth(message, out var keys);
        switch (error)
        {
            case HandshakeError.None:
                break;
            case HandshakeError.BadSignature:
                Refuse(link, RefusalCode.BadSignature,
                    $"handshake from '{hello.Name}' failed: its signature does not verify (forged or replayed handshake)",
                    "handshake signature does not verify");
                return;
            case HandshakeError.WrongPassphrase:
                Refuse(link, RefusalCode.WrongPassphrase,
                    $"wrong passphrase: '{hello.Name}' does not know this session's passphrase",
                    $"wrong passphrase for session '{Session}'");
                return;
            default:
                Refuse(link, RefusalCode.Malformed, $"handshake from '{hello.Name}' failed ({error})", "handshake failed (" + error + ")");
                return;
        }

        using (keys)
        {
            link.Sealer = new PacketSealer(keys!.SendSecret, NodeId, hello.NodeId, keys.SendDirection, _options.RekeyShift);
            link.Opener = new PacketOpener(keys.ReceiveSecret, hello.NodeId, NodeId, keys.ReceiveDirection, _options.RekeyShift);
        }

        link.Handshake = null;
        handshake.Dispose();
        link.State = PeerLinkState.Established;
        var fingerprint = link.Fingerprint!.Value;
        if (_options.KnownPeers.Check(hello.Name, fingerprint, out _) == PeerTrust.Unknown)
        {
            _options.KnownPeers.Remember(hello.Name, fingerprint, _time.GetUtcNow());
        }

        if (link.Target is { } target && target.Attempt == link)
        {
            target.Attempt = null;
            target.Failures = 0;
        }

        if (_peers.TryGetValue(hello.NodeId, out var peer))
        {
            // A replacement link for a member we already announced: nothing for the user to see.
            if (peer.Link is { } old && old != link)
            {
                CloseLink(old, DisconnectReason.Duplicate, "replaced", remoteSaidBye: false);
            }

            peer.Link = link;
            peer.LinkLostAt = null;
        }
        else
        {
            var address = new IPEndPoint(link.Remote.Address, hello.ListenPort);
            peer = new MeshPeer(hello.NodeId, hello.Name, address, fingerprint) { Link = link };
            _peers.Add(peer.NodeId, peer);
            Report(new PeerJoinedEvent(peer.NodeId, peer.Name, address, fingerprint));
        }

        PublishSendTable();
        BroadcastRoster();
    }

    /// <summary>
    /// Refuses a link during its handshake: the user hears <paramref name="localReason"/> (unless null), the
    /// peer gets <paramref name="remoteReason"/> in a Refuse message before the disconnect.
    /// </summary>
    private void Refuse(PeerLink link, RefusalCode code, string? localReason, string remoteReason)
    {
        Counters.CountHandshakeFailure();
        if (localReason is not null)
        {
            Report(new RefusedEvent(link.Remote, code, localReason, ByPeer: false));
        }

        _transport.Send(link.Id, MeshChannel.Control, new RefuseMessage(code, remoteReason).Encode());
        EndHandshake(link, DisconnectReason.Refused, localReason ?? remoteReason, longBackoff: true);
    }

    private void EndHandshake(PeerLink link, DisconnectReason code, string reason, bool longBackoff)
    {
        if (link.Target is { } target && target.Attempt == link)
        {
            target.Attempt = null;
            if (!target.IsSelf)
            {
                DialFailed(target, reason, quiet: true, minimumFailures: longBackoff ? 5 : 0);
            }
        }

        link.State = PeerLinkState.Closing;
        link.CloseReason = reason;
        _transport.Disconnect(link.Id, code);
    }

    private static void MarkSelf(PeerLink link)
    {
        if (link.Target is { } target)
        {
            target.IsSelf = true;
        }
    }
}
