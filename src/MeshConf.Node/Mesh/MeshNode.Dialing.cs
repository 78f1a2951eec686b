using System.Net;
using System.Security.Cryptography;
using MeshConf.Core.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Mesh;

internal sealed partial class MeshNode
{
    private void AddTarget(IPEndPoint endPoint, DialSource source)
    {
        endPoint = Normalize(endPoint);
        if (_targets.TryGetValue(endPoint, out var existing))
        {
            if (source == DialSource.Explicit && existing.Source != DialSource.Explicit)
            {
                // Promote: an explicit peer is kept for good.
                _targets[endPoint] = new DialTarget(endPoint, source) { NodeId = existing.NodeId, Attempt = existing.Attempt };
                if (existing.Attempt is { } attempt)
                {
                    attempt.Target = _targets[endPoint];
                }
            }

            return;
        }

        _targets.Add(endPoint, new DialTarget(endPoint, source));
    }

    /// <summary>Dials every target that is due and not linked yet.</summary>
    private void RunDials(TimeSpan now)
    {
        if (_leaving)
        {
            return;
        }

        foreach (var target in _targets.Values.ToList())
        {
            if (target.IsSelf || target.Attempt is not null || now < target.NextAttemptAt)
            {
                continue;
            }

            if (IsSatisfied(target))
            {
                if (target.Source == DialSource.Roster)
                {
                    _targets.Remove(target.EndPoint);
                }

                continue;
            }

            Dial(target, now);
        }
    }

    /// <summary>A target is satisfied when the node last seen there, or any member advertising that address, is linked.</summary>
    private bool IsSatisfied(DialTarget target)
    {
        if (target.NodeId is { } id && (_peers.ContainsKey(id) || HasLinkInProgress(id)))
        {
            return true;
        }

        foreach (var peer in _peers.Values)
        {
            if (peer.Address.Equals(target.EndPoint))
            {
                target.NodeId = peer.NodeId;
                return true;
            }
        }

        return false;
    }

    private bool HasLinkInProgress(ulong peerId)
    {
        foreach (var link in _links.Values)
        {
            if (link.PeerId == peerId && link.State is PeerLinkState.Handshaking or PeerLinkState.Established)
            {
                return true;
            }
        }

        return false;
    }

    private void Dial(DialTarget target, TimeSpan now)
    {
        LinkId id;
        try
        {
            id = _transport.Connect(target.EndPoint);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException or Interop.Enet.EnetException)
        {
            DialFailed(target, exception.Message);
            return;
        }

        var link = new PeerLink(id, target.EndPoint, outgoing: true, now) { Target = target };
        _links.Add(id, link);
        target.Attempt = link;
    }

    /// <summary>
    /// A dial failed. Explicit peers are retried with backoff and reported; roster entries are forgotten (the
    /// roster names them again if they are still members).
    /// </summary>
    private void DialFailed(DialTarget target, string reason, bool quiet = false, int minimumFailures = 0)
    {
        if (target.Source != DialSource.Explicit)
        {
            _targets.Remove(target.EndPoint);
            return;
        }

        target.Failures = Math.Max(target.Failures + 1, minimumFailures);
        var delay = DialBackoff.Delay(target.Failures, RandomNumberGenerator.GetInt32(1_000_000) / 1e6);
        target.NextAttemptAt = Now + delay;
        if (!quiet)
        {
            Report(new UnreachableEvent(target.EndPoint, target.Failures, delay, reason));
        }
    }

    private void OnRoster(List<RosterEntry> entries)
    {
        var now = Now;
        foreach (var entry in entries)
        {
            if (entry.NodeId == NodeId || _peers.ContainsKey(entry.NodeId) || HasLinkInProgress(entry.NodeId))
            {
                continue;
            }

            var endPoint = Normalize(entry.Address);
            if (endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any) || endPoint.Port == 0)
            {
                continue;
            }

            if (_targets.TryGetValue(endPoint, out var known))
            {
                known.NodeId ??= entry.NodeId;
                continue;
            }

            // Both members hear of each other at about the same moment; the smaller id dials first, the other
            // only if no link came after a while. That avoids most duplicate links without relying on it.
            var due = NodeId < entry.NodeId ? now : now + _options.RosterDialFallback;
            _targets.Add(endPoint, new DialTarget(endPoint, DialSource.Roster) { NodeId = entry.NodeId, NextAttemptAt = due });
        }

        RunDials(now);
    }

    /// <summary>Sends every established peer the members it may not know yet.</summary>
    private void BroadcastRoster()
    {
        if (_leaving)
        {
            return;
        }

        List<RosterEntry> members = [];
        foreach (var peer in _peers.Values)
        {
            if (peer.Link is { State: PeerLinkState.Established })
            {
                members.Add(new RosterEntry(peer.NodeId, peer.Name, peer.Address));
            }
        }

        if (members.Count > RosterMessage.MaxEntries)
        {
            members.RemoveRange(RosterMessage.MaxEntries, members.Count - RosterMessage.MaxEntries);
        }

        var body = RosterMessage.Encode(members);
        foreach (var peer in _peers.Values)
        {
            if (peer.Link is { State: PeerLinkState.Established } link)
            {
                SendSealed(link, MeshChannel.Control, (byte)MeshMessageType.Roster, body);
            }
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
