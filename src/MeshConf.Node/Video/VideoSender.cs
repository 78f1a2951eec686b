using MeshConf.Core.Video;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Video;

/// <summary>
/// Captures frames at a steady rate and sends each peer the picture it asked for. Peers asking for the same size
/// and mode share one conversion and one encoder (a group); a keyframe request from any member of a group makes
/// that group's next frame a keyframe. Runs on its own capture thread; requests arrive from the mesh thread.
/// </summary>
internal sealed class VideoSender : IDisposable
{
    private readonly MeshNode _node;
    private readonly IFrameSource _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, VideoRequest> _requests = [];
    private readonly Dictionary<VideoRequest, Group> _groups = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _rgb;
    private Thread? _thread;
    private List<(ulong Peer, VideoFrameHeader Header)> _sent = [];
    private List<(ulong Peer, VideoFrameHeader Header)> _reported = [];
    private int _disposed;

    public VideoSender(MeshNode node, IFrameSource source, int fps, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fps, 60);
        _node = node;
        _source = source;
        _time = time;
        _interval = TimeSpan.FromSeconds(1.0 / fps);
        _rgb = new byte[source.Width * source.Height * RgbFrame.BytesPerPixel];
    }

    /// <summary>Called on the capture thread for every frame sent to a peer (tests and traces).</summary>
    public Action<ulong, VideoFrameHeader>? FrameSent { get; set; }

    /// <summary>Frames captured so far.</summary>
    public long FramesCaptured { get; private set; }

    public void Start()
    {
        _thread = new Thread(CaptureLoop) { IsBackground = true, Name = "meshconf-video-capture" };
        _thread.Start();
    }

    /// <summary>A peer told us how it draws us (or that it wants nothing).</summary>
    public void SetRequest(ulong peerId, VideoRequest request)
    {
        lock (_gate)
        {
            RemoveFromGroup(peerId);
            if (!request.Wanted)
            {
                return;
            }

            _requests[peerId] = request;
            if (!_groups.TryGetValue(request, out var group))
            {
                group = new Group(request);
                _groups.Add(request, group);
            }

            group.Peers.Add(peerId);
            group.Encoder.RequestKeyframe();
        }
    }

    public void RequestKeyframe(ulong peerId)
    {
        lock (_gate)
        {
            if (_requests.TryGetValue(peerId, out var request) && _groups.TryGetValue(request, out var group))
            {
                group.Encoder.RequestKeyframe();
            }
        }
    }

    public void RemovePeer(ulong peerId)
    {
        lock (_gate)
        {
            RemoveFromGroup(peerId);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
        _source.Dispose();
    }

    private void RemoveFromGroup(ulong peerId)
    {
        if (_requests.Remove(peerId, out var old) && _groups.TryGetValue(old, out var group))
        {
            group.Peers.Remove(peerId);
            if (group.Peers.Count == 0)
            {
                _groups.Remove(old);
            }
        }
    }

    private void CaptureLoop()
    {
        var next = _time.GetTimestamp();
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var wait = _interval - _time.GetElapsedTime(next);
            if (wait > TimeSpan.Zero && token.WaitHandle.WaitOne(wait))
            {
                break;
            }

            next = _time.GetTimestamp();
            if (!_source.TryCapture(_rgb))
            {
                continue;
            }

            FramesCaptured++;
            var capture = (ulong)((_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
            lock (_gate)
            {
                foreach (var group in _groups.Values)
                {
                    SendGroup(group, capture);
                }

                (_sent, _reported) = (_reported, _sent);
            }

            // Callbacks run outside the lock: they may take locks of their own (the reporter's).
            foreach (var (peer, header) in _reported)
            {
                FrameSent?.Invoke(peer, header);
            }

            _reported.Clear();
        }
    }

    private void SendGroup(Group group, ulong capture)
    {
        FrameConverter.Convert(new RgbFrame(_rgb, _source.Width, _source.Height), group.Grid, mirror: false);
        var length = group.Encoder.Encode(group.Grid, capture, group.Buffer);
        var header = group.Encoder.LastHeader;
        foreach (var peer in group.Peers)
        {
            if (_node.Send(peer, MeshChannel.Video, VideoMessageType.Frame, group.Buffer.AsSpan(0, length)) && FrameSent is not null)
            {
                _sent.Add((peer, header));
            }
        }
    }

    private sealed class Group(VideoRequest request)
    {
        public CellGrid Grid { get; } = new(request.Cols, request.Rows, request.Mode);

        public VideoFrameEncoder Encoder { get; } = new(0);

        public byte[] Buffer { get; } = new byte[VideoFrameCodec.MaxMessage(request.Cols * request.Rows, request.Mode)];

        public HashSet<ulong> Peers { get; } = [];
    }
}
