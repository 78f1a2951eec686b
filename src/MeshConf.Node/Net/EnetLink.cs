using System.Net;
using MeshConf.Interop.Enet;

namespace MeshConf.Node.Net;

/// <summary>
/// One link of an <see cref="EnetTransport"/>. The owner thread alone touches <see cref="Peer"/>, the state and
/// the live counters; other threads read <see cref="AcceptsSends"/>, add to the queue-drop counter, and take
/// snapshots of what the owner thread last published (under a lock, every stats interval).
/// </summary>
internal sealed class EnetLink
{
    private const int CountersPerChannel = 4; // packets in, bytes in, packets out, bytes out

    // Owner thread only.
    private readonly long[] _counters = new long[MeshChannels.Count * CountersPerChannel];

    // Published by the owner thread under _gate; read by TryGetSnapshot.
    private readonly Lock _gate = new();
    private readonly long[] _published = new long[MeshChannels.Count * CountersPerChannel];
    private bool _hasPublished;
    private double _roundTripMs;
    private double _roundTripVarianceMs;
    private double _lossPercent;
    private int _throttle;
    private long _publishedSendsRefused;
    private long _publishedReceivesDropped;

    private volatile bool _acceptsSends;
    private long _queueDrops;

    public EnetLink(LinkId id, IPEndPoint remote, bool outgoing, EnetPeer peer, EnetLinkState state, uint nowMs)
    {
        Id = id;
        Remote = remote;
        Outgoing = outgoing;
        Peer = peer;
        State = state;
        SinceMs = nowMs;
        LastHeardMs = nowMs;
    }

    public LinkId Id { get; }

    /// <summary>The remote address; one instance for every event of the link, so events allocate nothing.</summary>
    public IPEndPoint Remote { get; }

    public bool Outgoing { get; }

    /// <summary>Owner thread only. Valid until the link ends; ENet recycles the slot afterwards.</summary>
    public EnetPeer Peer { get; }

    /// <summary>Owner thread only.</summary>
    public EnetLinkState State { get; private set; }

    /// <summary>Owner thread only: when <see cref="State"/> was entered, on ENet's clock.</summary>
    public uint SinceMs { get; private set; }

    /// <summary>Owner thread only: the latest acknowledgement time seen from the peer, on ENet's clock.</summary>
    public uint LastHeardMs { get; set; }

    /// <summary>Owner thread only: the reason this side gave when it started closing the link.</summary>
    public DisconnectReason LocalReason { get; private set; }

    /// <summary>Owner thread only: messages ENet refused to queue.</summary>
    public long SendsRefused { get; set; }

    /// <summary>Owner thread only: incoming messages dropped (reader too far behind, or an unknown channel).</summary>
    public long ReceivesDropped { get; set; }

    /// <summary>True while the link is connected and not closing: any thread may queue messages.</summary>
    public bool AcceptsSends => _acceptsSends;

    public void MarkConnected(uint nowMs)
    {
        State = EnetLinkState.Connected;
        SinceMs = nowMs;
        LastHeardMs = nowMs;
        _acceptsSends = true;
    }

    public void MarkClosing(DisconnectReason reason, uint nowMs)
    {
        State = EnetLinkState.Closing;
        SinceMs = nowMs;
        LocalReason = reason;
        _acceptsSends = false;
    }

    public void MarkGone() => _acceptsSends = false;

    /// <summary>Any thread: a media message was dropped because the outgoing queue was full.</summary>
    public void CountQueueDrop() => Interlocked.Increment(ref _queueDrops);

    public void CountIn(MeshChannel channel, int bytes)
    {
        var i = (int)channel * CountersPerChannel;
        _counters[i]++;
        _counters[i + 1] += bytes;
    }

    public void CountOut(MeshChannel channel, int bytes)
    {
        var i = (int)channel * CountersPerChannel;
        _counters[i + 2]++;
        _counters[i + 3] += bytes;
    }

    /// <summary>Owner thread: copies the counters and ENet's view of the peer where snapshots can see them.</summary>
    public void Publish()
    {
        var roundTrip = Peer.RoundTripTimeMs;
        var variance = Peer.RoundTripTimeVarianceMs;
        var loss = Peer.PacketLoss * 100.0;
        var throttle = (int)Peer.PacketThrottle;
        lock (_gate)
        {
            _counters.CopyTo(_published, 0);
            _roundTripMs = roundTrip;
            _roundTripVarianceMs = variance;
            _lossPercent = loss;
            _throttle = throttle;
            _publishedSendsRefused = SendsRefused;
            _publishedReceivesDropped = ReceivesDropped;
            _hasPublished = true;
        }
    }

    /// <summary>Any thread: the latest published state; false before the link first connected.</summary>
    public bool TryGetSnapshot(out LinkStats? stats)
    {
        lock (_gate)
        {
            if (!_hasPublished)
            {
                stats = null;
                return false;
            }

            var channels = new ChannelCounters[MeshChannels.Count];
            for (var c = 0; c < channels.Length; c++)
            {
                var i = c * CountersPerChannel;
                channels[c] = new ChannelCounters(_published[i], _published[i + 1], _published[i + 2], _published[i + 3]);
            }

            stats = new LinkStats(_roundTripMs, _roundTripVarianceMs, _lossPercent, _throttle, channels,
                _publishedSendsRefused + Interlocked.Read(ref _queueDrops), _publishedReceivesDropped);
            return true;
        }
    }
}
