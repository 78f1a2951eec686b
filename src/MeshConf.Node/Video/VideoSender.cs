using MeshConf.Core.Video;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Video;

/// <summary>
/// Captures frames at a steady rate and sends each peer the picture it asked for. Peers asking for the same size
/// and mode share one conversion and one encoder (a group, one stream id); each member's
/// <see cref="VideoFeedback"/> tells the group's encoder what that member holds and how much it lost. Runs on its
/// own capture thread; requests and feedback arrive from the mesh thread.
/// </summary>
/// <remarks>
/// The capture size follows the tiles (<see cref="CaptureSizeFor"/> of the largest request) and is passed to the
/// source, which may adopt it later: every capture says its own size, and the rgb buffer grows when a frame
/// needs more. The source's state (or <see cref="VideoSourceState.Off"/> while disabled) is told to each peer
/// with its first request and to all peers whenever it changes.
/// </remarks>
internal sealed class VideoSender : IDisposable
{
    /// <summary>The smallest capture size asked of the source.</summary>
    public const int MinCaptureWidth = 64;

    /// <summary>See <see cref="MinCaptureWidth"/>.</summary>
    public const int MinCaptureHeight = 48;

    /// <summary>The largest capture size asked of the source: more than any tile needs, little work for ffmpeg.</summary>
    public const int MaxCaptureWidth = 640;

    /// <summary>See <see cref="MaxCaptureWidth"/>.</summary>
    public const int MaxCaptureHeight = 480;

    // Between polls of a source that had no new frame yet (a camera delivers at its own moments).
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    private readonly MeshNode _node;
    private readonly IFrameSource _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly VideoEncoderSettings _settings;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, VideoRequest> _requests = [];
    private readonly Dictionary<VideoRequest, Group> _groups = [];
    private readonly HashSet<ulong> _toldState = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ThreadFaults _faults;
    private Thread? _thread;
    private List<(ulong Peer, VideoFrameHeader Header)> _sent = [];
    private List<(ulong Peer, VideoFrameHeader Header)> _reported = [];
    private int _disposed;
    private byte _nextStream;

    // Under _gate: whether frames go out, the state peers were last told, and the capture size the groups need.
    private bool _enabled = true;
    private VideoSourceState _announced;
    private (int Width, int Height)? _wanted;

    // Capture thread only: the rgb24 frame (grown, never shrunk, when a frame needs more) and the size last
    // passed to the source.
    private byte[] _rgb;
    private (int Width, int Height)? _askedOfSource;

    /// <param name="node">The mesh frames go out on.</param>
    /// <param name="source">Owned from here on: disposed with the sender.</param>
    /// <param name="fps">Frames a second, 1..60.</param>
    /// <param name="time">The clock of capture pacing and frame times.</param>
    /// <param name="encoder">How each stream's encoder trades bits for picture; null = the defaults at <paramref name="fps"/>.</param>
    /// <param name="faults">Where an unexpected exception on the capture thread goes (see <see cref="ThreadFaults"/>).</param>
    public VideoSender(MeshNode node, IFrameSource source, int fps, TimeProvider time, VideoEncoderSettings? encoder = null, ThreadFaults? faults = null)
    {
        _faults = faults ?? new ThreadFaults();
        ArgumentOutOfRangeException.ThrowIfLessThan(fps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fps, 60);
        _settings = encoder ?? new VideoEncoderSettings(Fps: fps);
        _node = node;
        _source = source;
        _time = time;
        _interval = TimeSpan.FromSeconds(1.0 / fps);
        _rgb = new byte[source.Width * source.Height * RgbFrame.BytesPerPixel];
        _announced = source.State;
    }

    /// <summary>Called on the capture thread for every frame sent to a peer (tests and traces).</summary>
    public Action<ulong, VideoFrameHeader>? FrameSent { get; set; }

    /// <summary>
    /// Called on the capture thread after each successful capture, outside every lock (the self-view draws it).
    /// The frame is only valid during the call.
    /// </summary>
    public Action<RgbFrame>? Captured { get; set; }

    /// <summary>Frames captured so far.</summary>
    public long FramesCaptured { get; private set; }

    /// <summary>
    /// False sends no frames and tells every peer <see cref="VideoSourceState.Off"/>; true again sends the source's
    /// state and starts every group's stream afresh from the blank picture.
    /// </summary>
    public bool Enabled
    {
        get
        {
            lock (_gate)
            {
                return _enabled;
            }
        }

        set
        {
            lock (_gate)
            {
                if (_enabled == value)
                {
                    return;
                }

                _enabled = value;
                if (value)
                {
                    foreach (var group in _groups.Values)
                    {
                        group.Encoder.Restart();
                    }
                }

                AnnounceState();
            }
        }
    }

    /// <summary>What peers are told about this node's source: the source's state, or Off while disabled.</summary>
    public VideoSourceState State
    {
        get
        {
            lock (_gate)
            {
                return CurrentState();
            }
        }
    }

    /// <summary>The capture size the groups need now, or null with no group (tests).</summary>
    internal (int Width, int Height)? WantedCaptureSize
    {
        get
        {
            lock (_gate)
            {
                return _wanted;
            }
        }
    }

    public void Start()
    {
        _thread = _faults.Start("meshconf-video-capture", CaptureLoop);
    }

    /// <summary>A peer told us how it draws us (or that it wants nothing).</summary>
    public void SetRequest(ulong peerId, VideoRequest request)
    {
        lock (_gate)
        {
            if (_toldState.Add(peerId))
            {
                SendState(peerId, _announced);
            }

            RemoveFromGroup(peerId);
            if (request.Wanted)
            {
                _requests[peerId] = request;
                if (!_groups.TryGetValue(request, out var group))
                {
                    group = new Group(request, ++_nextStream, _settings);
                    _groups.Add(request, group);
                }

                if (group.Encoder.AddReceiver(peerId))
                {
                    group.Peers.Add(peerId);
                }
            }

            _wanted = NeededCaptureSize();
        }
    }

    /// <summary>
    /// A peer's <see cref="VideoFeedback"/> on what it holds of its stream; false when it is about no stream the
    /// peer is in (a stream it left, or nonsense), which the caller counts.
    /// </summary>
    public bool OnFeedback(ulong peerId, in VideoFeedback feedback)
    {
        var now = CaptureClock();
        lock (_gate)
        {
            return _requests.TryGetValue(peerId, out var request) && _groups.TryGetValue(request, out var group)
                && group.Encoder.OnFeedback(peerId, feedback, now);
        }
    }

    /// <summary>How the stream a peer is in is being sent now, or null when the peer has no stream.</summary>
    public VideoSendStats? GetSendStats(ulong peerId)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(peerId, out var request) || !_groups.TryGetValue(request, out var group))
            {
                return null;
            }

            var rate = group.Encoder.Rate;
            return new VideoSendStats(rate.TargetKbps, Math.Round(rate.AllowedKbps, 1), Math.Round(rate.Threshold, 2), rate.Decreases, group.Encoder.FramesFromBlank);
        }
    }

    public void RemovePeer(ulong peerId)
    {
        lock (_gate)
        {
            _toldState.Remove(peerId);
            RemoveFromGroup(peerId);
            _wanted = NeededCaptureSize();
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

    /// <summary>
    /// The capture size for a tile of <paramref name="cols"/> x <paramref name="rows"/> cells: its picture is
    /// cols x 2·rows pixels (a half-block cell shows two stacked pixels; a mono cell is as tall), twice that in
    /// each direction so that the converter's box filter averages a few pixels per sample, rounded up to
    /// multiples of 16 and kept within <see cref="MinCaptureWidth"/>x<see cref="MinCaptureHeight"/> ..
    /// <see cref="MaxCaptureWidth"/>x<see cref="MaxCaptureHeight"/>. The block modes (quadrants, sextants) draw
    /// twice the detail across and two or three sub-pixels down a cell: twice the size again, same aspect.
    /// </summary>
    public static (int Width, int Height) CaptureSizeFor(int cols, int rows, CellMode mode = CellMode.TrueColor)
    {
        var scale = mode is CellMode.Quadrant or CellMode.Sextant ? 2 : 1;
        return (Math.Clamp(RoundUp16(2 * scale * cols), MinCaptureWidth, MaxCaptureWidth),
                Math.Clamp(RoundUp16(4 * scale * rows), MinCaptureHeight, MaxCaptureHeight));
    }

    private static int RoundUp16(int value) => (value + 15) & ~15;

    // The widest and the tallest picture any group needs (each group's grid stretches the frame over itself).
    private (int Width, int Height)? NeededCaptureSize()
    {
        if (_groups.Count == 0)
        {
            return _wanted;
        }

        int width = 0, height = 0;
        foreach (var request in _groups.Keys)
        {
            var (w, h) = CaptureSizeFor(request.Cols, request.Rows, request.Mode);
            width = Math.Max(width, w);
            height = Math.Max(height, h);
        }

        return (width, height);
    }

    private void RemoveFromGroup(ulong peerId)
    {
        if (_requests.Remove(peerId, out var old) && _groups.TryGetValue(old, out var group))
        {
            group.Peers.Remove(peerId);
            group.Encoder.RemoveReceiver(peerId);
            if (group.Peers.Count == 0)
            {
                _groups.Remove(old);
            }
        }
    }

    private VideoSourceState CurrentState() => _enabled ? _source.State : VideoSourceState.Off;

    // Under _gate, so that a peer's first-request message and a broadcast of a change never cross.
    private void AnnounceState()
    {
        var state = CurrentState();
        if (state == _announced)
        {
            return;
        }

        _announced = state;
        Span<byte> payload = [(byte)state];
        _node.Broadcast(MeshChannel.Control, VideoMessageType.SourceState, payload);
    }

    private void SendState(ulong peerId, VideoSourceState state)
    {
        Span<byte> payload = [(byte)state];
        _node.Send(peerId, MeshChannel.Control, VideoMessageType.SourceState, payload);
    }

    private void CaptureLoop()
    {
        var token = _stop.Token;
        var lastCapture = _time.GetTimestamp() - (long)(_interval.TotalSeconds * _time.TimestampFrequency);
        while (!token.IsCancellationRequested)
        {
            bool enabled;
            (int Width, int Height)? wanted;
            lock (_gate)
            {
                AnnounceState();
                enabled = _enabled;
                wanted = _wanted;
            }

            // Outside the lock: the source takes its own.
            if (wanted is { } size && wanted != _askedOfSource)
            {
                _askedOfSource = wanted;
                _source.RequestSize(size.Width, size.Height);
            }

            var wait = _interval - _time.GetElapsedTime(lastCapture);
            if (wait <= TimeSpan.Zero)
            {
                var now = _time.GetTimestamp();
                if (enabled && Capture())
                {
                    // Frames are due on a fixed grid, so oversleeping one wait does not lower the rate; a capture
                    // more than a whole interval late starts the grid afresh rather than bursting to catch up.
                    var due = lastCapture + (long)(_interval.TotalSeconds * _time.TimestampFrequency);
                    lastCapture = _time.GetElapsedTime(due, now) < _interval ? due : now;
                    continue;
                }

                wait = Poll;
            }

            if (token.WaitHandle.WaitOne(wait))
            {
                break;
            }
        }
    }

    // One capture, conversion and send per group; false when the source had no new frame.
    private bool Capture()
    {
        var needed = _source.Width * _source.Height * RgbFrame.BytesPerPixel;
        if (needed > _rgb.Length)
        {
            _rgb = new byte[needed];
        }

        if (!_source.TryCapture(_rgb, out var width, out var height))
        {
            return false;
        }

        FramesCaptured++;
        var frame = new RgbFrame(_rgb, width, height);
        Captured?.Invoke(frame);
        var capture = CaptureClock();
        lock (_gate)
        {
            if (_enabled)
            {
                foreach (var group in _groups.Values)
                {
                    SendGroup(group, frame, capture);
                }
            }

            (_sent, _reported) = (_reported, _sent);
        }

        // Callbacks run outside the lock: they may take locks of their own (the reporter's).
        foreach (var (peer, header) in _reported)
        {
            FrameSent?.Invoke(peer, header);
        }

        _reported.Clear();
        return true;
    }

    // Microseconds since the Unix epoch on the node's clock: frame capture times and feedback arrival times.
    private ulong CaptureClock() => (ulong)((_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);

    private void SendGroup(Group group, in RgbFrame frame, ulong capture)
    {
        FrameConverter.Convert(frame, group.Source, mirror: false, group.Tone);
        var length = group.Encoder.Encode(group.Source, capture, group.Buffer);
        var header = group.Encoder.LastHeader;
        foreach (var peer in group.Peers)
        {
            if (_node.Send(peer, MeshChannel.Video, VideoMessageType.Frame, group.Buffer.AsSpan(0, length)) && FrameSent is not null)
            {
                _sent.Add((peer, header));
            }
        }
    }

    private sealed class Group(VideoRequest request, byte stream, VideoEncoderSettings settings)
    {
        /// <summary>The exact conversion, in the mode the encoder takes (truecolor for the half-block modes).</summary>
        public CellGrid Source { get; } = new(request.Cols, request.Rows, VideoFrameEncoder.SourceMode(request.Mode));

        public VideoFrameEncoder Encoder { get; } = new(stream, request.Cols, request.Rows, request.Mode, settings);

        /// <summary>The stream's smoothed mono contrast window (mono streams only; one per stream, as it has history).</summary>
        public MonoToneTracker? Tone { get; } = request.Mode == CellMode.Mono ? new MonoToneTracker() : null;

        public byte[] Buffer { get; } = new byte[VideoFrameCodec.MaxMessage(request.Cols * request.Rows, request.Mode)];

        public HashSet<ulong> Peers { get; } = [];
    }
}
