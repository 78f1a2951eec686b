using MeshConf.Core.Video;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Video;

/// <summary>
/// Decodes every peer's video and keeps its statistics. Tells each peer how it wants to be sent video
/// (<see cref="VideoRequest"/>) when it joins and whenever that changes, and answers every frame that arrives with
/// a <see cref="VideoFeedback"/> (what it holds, what it lost), so the sender builds on pictures it has and slows
/// down when frames go missing. Frames arrive on the mesh's receive thread.
/// </summary>
internal sealed class VideoReceiver
{
    /// <summary>How long a member that says its source is live may send nothing before it is asked again.</summary>
    public static readonly TimeSpan RequestRetryInterval = TimeSpan.FromSeconds(2);

    private readonly MeshNode _node;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Stream> _streams = [];
    private readonly Dictionary<ulong, VideoRequest> _requests = [];
    private VideoRequest _request;

    public VideoReceiver(MeshNode node, TimeProvider time, VideoRequest request)
    {
        _node = node;
        _time = time;
        _request = request;
    }

    /// <summary>Called on the receive thread for each decoded frame; the grid is only valid during the call.</summary>
    public Action<ulong, VideoFrameHeader, CellGrid>? FrameDecoded { get; set; }

    /// <summary>A new member: tell it how we want its video.</summary>
    public void PeerJoined(ulong peerId)
    {
        VideoRequest request;
        lock (_gate)
        {
            _streams.TryAdd(peerId, new Stream { LastHeard = _time.GetTimestamp() });
            request = _requests.GetValueOrDefault(peerId, _request);
        }

        _node.Send(peerId, MeshChannel.Control, VideoMessageType.Request, request.Encode());
    }

    public void PeerLeft(ulong peerId)
    {
        lock (_gate)
        {
            _streams.Remove(peerId);
            _requests.Remove(peerId);
        }
    }

    /// <summary>Changes what we ask every peer for (colour mode changed, one size for all tiles).</summary>
    public void SetRequest(VideoRequest request)
    {
        lock (_gate)
        {
            _request = request;
            _requests.Clear();
        }

        foreach (var peer in _node.PeerIds)
        {
            _node.Send(peer, MeshChannel.Control, VideoMessageType.Request, request.Encode());
        }
    }

    /// <summary>Changes what we ask one peer for (its tile was resized); sent only when it differs from before.</summary>
    public void SetRequest(ulong peerId, VideoRequest request)
    {
        lock (_gate)
        {
            if (_requests.GetValueOrDefault(peerId, _request) == request)
            {
                return;
            }

            _requests[peerId] = request;
        }

        _node.Send(peerId, MeshChannel.Control, VideoMessageType.Request, request.Encode());
    }

    /// <summary>
    /// Asks again every member that says its source is live but has sent nothing for
    /// <see cref="RequestRetryInterval"/>: a request can be lost while two members settle which of two links dialled
    /// at the same moment to keep (seen once in CI: a sender that never sent). Called about once a second.
    /// </summary>
    public void Tick()
    {
        List<(ulong Peer, VideoRequest Request)>? again = null;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            foreach (var (peer, stream) in _streams)
            {
                if (stream.SourceState == VideoSourceState.Live && _time.GetElapsedTime(stream.LastHeard, now) >= RequestRetryInterval)
                {
                    stream.LastHeard = now;
                    (again ??= []).Add((peer, _requests.GetValueOrDefault(peer, _request)));
                }
            }
        }

        foreach (var (peer, request) in again ?? [])
        {
            _node.Send(peer, MeshChannel.Control, VideoMessageType.Request, request.Encode());
        }
    }

    /// <summary>A peer told us what its picture source is doing.</summary>
    public void SetSourceState(ulong peerId, VideoSourceState state)
    {
        var changed = false;
        lock (_gate)
        {
            if (_streams.TryGetValue(peerId, out var stream) && stream.SourceState != state)
            {
                stream.SourceState = state;
                changed = true;
            }
        }

        if (changed)
        {
            SourceStateChanged?.Invoke(peerId, state);
        }
    }

    /// <summary>Called (outside any lock) when a peer says its picture source changed: live, off, lost, starting.</summary>
    public Action<ulong, VideoSourceState>? SourceStateChanged { get; set; }

    /// <summary>What the peer last said about its source; <see cref="VideoSourceState.Starting"/> until it says.</summary>
    public VideoSourceState GetSourceState(ulong peerId)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(peerId, out var stream) ? stream.SourceState : VideoSourceState.Starting;
        }
    }

    public void OnFrame(ulong peerId, ReadOnlySpan<byte> message)
    {
        Stream? stream;
        lock (_gate)
        {
            if (!_streams.TryGetValue(peerId, out stream))
            {
                stream = new Stream();
                _streams.Add(peerId, stream);
            }
        }

        // The lock guards the statistics against GetStats; callbacks run outside it (they take other locks).
        // The decoder itself is only ever used here, on the receive thread, so Current stays valid below.
        var now = _time.GetTimestamp();
        VideoDecodeResult result;
        VideoFrameHeader header;
        Span<byte> feedback = stackalloc byte[VideoFeedback.Size];
        var answer = false;
        lock (stream)
        {
            stream.RecordBytes(now, message.Length, _time);
            stream.LastHeard = now;
            result = stream.Decoder.Decode(message, out header);
            if (result == VideoDecodeResult.Decoded)
            {
                var nowMicros = (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
                stream.RecordFrame(now, (nowMicros - (long)header.CaptureMicroseconds) / 1000.0, _time);
            }

            // Malformed bytes name no stream worth answering; anything else tells the sender where we stand.
            if (result != VideoDecodeResult.Malformed)
            {
                stream.Decoder.Feedback.Write(feedback);
                answer = true;
            }
        }

        if (answer)
        {
            _node.Send(peerId, MeshChannel.Video, VideoMessageType.Feedback, feedback);
        }

        if (result == VideoDecodeResult.Decoded)
        {
            FrameDecoded?.Invoke(peerId, header, stream.Decoder.Current!);
        }
    }

    public VideoStreamStats? GetStats(ulong peerId)
    {
        Stream? stream;
        lock (_gate)
        {
            if (!_streams.TryGetValue(peerId, out stream))
            {
                return null;
            }
        }

        lock (stream)
        {
            return stream.Snapshot(_time.GetTimestamp(), _time);
        }
    }

    private sealed class Stream
    {
        private const int LatencySamples = 256;
        private readonly Queue<(long At, int Bytes)> _bytes = new();
        private readonly Queue<long> _frames = new();
        private readonly double[] _latencies = new double[LatencySamples];
        private int _latencyCount;

        public VideoFrameDecoder Decoder { get; } = new();

        /// <summary>When a frame last came, or the stream was last asked for (timestamp).</summary>
        public long LastHeard { get; set; }

        public VideoSourceState SourceState { get; set; } = VideoSourceState.Starting;

        public void RecordBytes(long now, int bytes, TimeProvider time)
        {
            _bytes.Enqueue((now, bytes));
            Trim(now, time);
        }

        public void RecordFrame(long now, double latencyMs, TimeProvider time)
        {
            _frames.Enqueue(now);
            _latencies[_latencyCount++ % LatencySamples] = latencyMs;
            Trim(now, time);
        }

        public VideoStreamStats Snapshot(long now, TimeProvider time)
        {
            Trim(now, time);
            var count = Math.Min(_latencyCount, LatencySamples);
            var sorted = _latencies.AsSpan(0, count).ToArray();
            Array.Sort(sorted);
            double Percentile(double p) => count == 0 ? 0 : sorted[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)];
            long bytes = 0;
            foreach (var (_, size) in _bytes)
            {
                bytes += size;
            }

            return new VideoStreamStats(
                Decoder.Decoded,
                Decoder.Malformed + Decoder.HashMismatches,
                _frames.Count,
                bytes * 8 / 1000.0,
                Math.Round(Percentile(0.5), 2),
                Math.Round(Percentile(0.99), 2),
                SourceState);
        }

        private void Trim(long now, TimeProvider time)
        {
            while (_bytes.Count > 0 && time.GetElapsedTime(_bytes.Peek().At, now) > TimeSpan.FromSeconds(1))
            {
                _bytes.Dequeue();
            }

            while (_frames.Count > 0 && time.GetElapsedTime(_frames.Peek(), now) > TimeSpan.FromSeconds(1))
            {
                _frames.Dequeue();
            }
        }
    }
}
