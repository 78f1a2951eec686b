using MeshConf.Core.Chat;
using MeshConf.Core.Mesh;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Chat;

/// <summary>
/// The session's text chat: lines go to every member on the reliable, ordered control channel, so each sender's
/// lines arrive whole and in the order they were typed. Each line carries the sender's own running number, which
/// lets a receiver notice (and count) a line out of order; malformed lines are dropped and counted, never thrown.
/// Text is kept as sent here: whoever shows it sanitises it (<see cref="ChatLog"/> does). A member that floods
/// the chat (more than <see cref="BurstLines"/> lines at once, or <see cref="LinesPerSecond"/> a second after that)
/// has the excess dropped and counted, so it cannot push everyone's strip along.
/// </summary>
internal sealed class ChatRoom(MeshNode node, TimeProvider time)
{
    /// <summary>Lines a member may send at once (a pasted paragraph).</summary>
    public const int BurstLines = 20;

    /// <summary>Lines a second a member may keep sending, after a burst.</summary>
    public const double LinesPerSecond = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, TokenBucket> _budgets = [];
    private long _flooded;
    private readonly Dictionary<ulong, uint> _lastSequence = [];
    private readonly byte[] _buffer = new byte[ChatLine.MaxSize];
    private uint _sequence;
    private long _malformed;
    private long _outOfOrder;

    /// <summary>A member's line arrived (on the transport's event thread; keep it short).</summary>
    public Action<ulong, ChatLine>? Received { get; set; }

    /// <summary>Chat messages that did not parse, or came on a channel other than control.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Lines dropped because their sender went over its budget.</summary>
    public long Flooded => Interlocked.Read(ref _flooded);

    /// <summary>Lines whose number was not above the sender's previous one (should never happen: reliable channel).</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    /// <summary>
    /// Sends <paramref name="text"/> (trimmed, cut to <see cref="ChatLine.MaxTextBytes"/>) to every member, or
    /// returns null when there is nothing to say. The line is returned even when no member is linked yet.
    /// </summary>
    public ChatLine? Send(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fitted = ChatLine.Fit(text.Trim());
        if (fitted.Length == 0)
        {
            return null;
        }

        lock (_gate)
        {
            var line = new ChatLine(++_sequence, time.GetUtcNow().ToUnixTimeMilliseconds(), fitted);
            var length = line.Write(_buffer);
            node.Broadcast(MeshChannel.Control, ChatMessageType.Line, _buffer.AsSpan(0, length));
            return line;
        }
    }

    public void OnMessage(ulong peerId, MeshChannel channel, ReadOnlySpan<byte> payload)
    {
        if (channel != MeshChannel.Control || !ChatLine.TryRead(payload, out var line))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        lock (_gate)
        {
            var now = time.GetElapsedTime(0); // the clock as a TimeSpan since its own zero
            if (!_budgets.TryGetValue(peerId, out var budget))
            {
                _budgets[peerId] = budget = new TokenBucket(BurstLines, LinesPerSecond, now);
            }

            if (!budget.TryTake(now))
            {
                Interlocked.Increment(ref _flooded);
                return;
            }

            if (_lastSequence.TryGetValue(peerId, out var last) && line.Sequence <= last)
            {
                Interlocked.Increment(ref _outOfOrder);
            }

            _lastSequence[peerId] = line.Sequence;
        }

        Received?.Invoke(peerId, line);
    }

    /// <summary>Forgets a member that left (a restarted node numbers its lines from 1 again).</summary>
    public void OnEvent(MeshEvent meshEvent)
    {
        if (meshEvent is PeerLeftEvent left)
        {
            lock (_gate)
            {
                _lastSequence.Remove(left.NodeId);
                _budgets.Remove(left.NodeId);
            }
        }
    }
}
