using MeshConf.Core.Audio;
using MeshConf.Interop.Opus;
using MeshConf.Node.Audio;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;

namespace MeshConf.Node.Voice;

/// <summary>
/// Audio on top of a mesh. A capture thread reads the input, cleans it (echo cancellation, noise suppression,
/// voice activity), encodes it with Opus and sends each frame to every peer; a playout thread asks every peer's
/// jitter buffer for its next frame, decodes, mixes, plays, and hands the mix to the echo canceller as its
/// reference. Packets arrive on the mesh's receive thread. Once a second <see cref="Tick"/> sends each peer a
/// receiver report (its loss, for our FEC) and the capture thread sends a sender report (for latency).
/// </summary>
internal sealed class VoiceCall : IDisposable
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);
    private const int LatencySamples = 512;

    private readonly MeshNode _node;
    private readonly IAudioInput? _input;
    private readonly IAudioOutput _output;
    private readonly CaptureProcessor? _processor;
    private readonly VoiceOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, VoicePeer> _peers = [];
    private readonly Dictionary<ulong, byte> _lossReports = [];
    private readonly Dictionary<ulong, bool> _peerMuted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ThreadFaults _faults;
    private readonly double[] _latencies = new double[LatencySamples];
    private VoicePeer[] _playing = [];
    private int _peersVersion;

    // Set whenever a peer comes or goes: an idle playout loop (no peers, nothing to play to) sleeps on it.
    private readonly AutoResetEvent _peersChanged = new(false);
    private int _latencyCount;
    private Thread? _capture;
    private Thread? _playout;
    private volatile bool _muted;
    private volatile bool _speaking;
    private int _disposed;

    /// <summary>
    /// A voice call over <paramref name="node"/>. An unexpected exception on the capture or playout thread goes to
    /// <paramref name="faults"/> (see <see cref="ThreadFaults"/>); without it, it ends the process.
    /// </summary>
    public VoiceCall(MeshNode node, IAudioInput? input, IAudioOutput output, CaptureProcessor? processor, VoiceOptions options, TimeProvider time, ThreadFaults? faults = null)
    {
        _faults = faults ?? new ThreadFaults();
        _node = node;
        _input = input;
        _output = output;
        _processor = processor;
        _options = options;
        _time = time;
        _muted = options.Muted;
    }

    /// <summary>False when this node has no microphone (listen-only).</summary>
    public bool CanSpeak => _input is not null;

    /// <summary>A muted node sends no speech; peers are told at once and unmuting resumes with the next frame.</summary>
    public bool Muted
    {
        get => _muted;
        set
        {
            if (_muted == value)
            {
                return;
            }

            _muted = value;
            _node.Broadcast(MeshChannel.Control, AudioMessageType.State, new AudioState(value).Encode());
        }
    }

    /// <summary>Our own voice activity now (false while muted).</summary>
    public bool Speaking => _speaking && !_muted;

    public long PacketsSent { get; private set; }

    public void Start()
    {
        if (_input is not null)
        {
            _capture = _faults.Start("meshconf-audio-capture", CaptureLoop);
        }

        _playout = _faults.Start("meshconf-audio-playout", PlayoutLoop);
    }

    public void OnMessage(ulong peerId, MeshChannel channel, byte type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case AudioMessageType.Frame when channel == MeshChannel.Audio:
                PeerOf(peerId)?.Put(payload, NowMicros());
                break;
            case AudioMessageType.State when channel == MeshChannel.Control && AudioState.TryDecode(payload, out var state):
                // A peer says its state once, when it sees us join, which can be before we have seen it join
                // (messages and events arrive on different threads): kept until its VoicePeer exists.
                lock (_gate)
                {
                    _peerMuted[peerId] = state.IsMuted;
                    if (_peers.TryGetValue(peerId, out var peer))
                    {
                        peer.Muted = state.IsMuted;
                    }
                }

                break;
            case AudioMessageType.SenderReport when channel == MeshChannel.Control && AudioSenderReport.TryRead(payload, out var report):
                PeerOf(peerId)?.SetReport(report);
                break;
            case AudioMessageType.ReceiverReport when channel == MeshChannel.Control && AudioReceiverReport.TryRead(payload, out var loss):
                lock (_gate)
                {
                    _lossReports[peerId] = loss.LossPercent;
                }

                break;
            default:
                UnexpectedMessages++;
                break;
        }
    }

    /// <summary>Audio messages that were not what their type promised (counted, dropped).</summary>
    public long UnexpectedMessages { get; private set; }

    public void OnEvent(MeshEvent meshEvent)
    {
        switch (meshEvent)
        {
            case PeerJoinedEvent joined:
                lock (_gate)
                {
                    if (!_peers.ContainsKey(joined.NodeId))
                    {
                        _peers.Add(joined.NodeId, new VoicePeer(joined.NodeId) { Muted = _peerMuted.GetValueOrDefault(joined.NodeId) });
                        _peersVersion++;
                        _peersChanged.Set();
                    }
                }

                _node.Send(joined.NodeId, MeshChannel.Control, AudioMessageType.State, new AudioState(_muted).Encode());
                break;
            case PeerLeftEvent left:
                VoicePeer? gone;
                lock (_gate)
                {
                    _peerMuted.Remove(left.NodeId);
                    if (_peers.Remove(left.NodeId, out gone))
                    {
                        _lossReports.Remove(left.NodeId);
                        _peersVersion++;
                        _peersChanged.Set();
                    }
                }

                // Its decoder goes now; a render already holding it gets silence (VoicePeer serialises the two).
                gone?.Dispose();

                break;
        }
    }

    /// <summary>Once a second: tell every peer how much of its audio we lost.</summary>
    public void Tick()
    {
        VoicePeer[] peers;
        lock (_gate)
        {
            peers = [.. _peers.Values];
        }

        Span<byte> body = stackalloc byte[AudioReceiverReport.Size];
        foreach (var peer in peers)
        {
            peer.TakeReceiverReport().Write(body);
            _node.Send(peer.Id, MeshChannel.Control, AudioMessageType.ReceiverReport, body);
        }
    }

    public VoiceStreamStats? GetStats(ulong peerId)
    {
        var peer = PeerOf(peerId);
        if (peer is null)
        {
            return null;
        }

        var channel = peer.Channel;
        return peer.Snapshot(NowMicros(), channel?.IsSpeaking ?? false, channel?.LevelDbfs ?? MixerChannel.SilenceDbfs);
    }

    /// <summary>Median capture-to-playback-write latency of recent frames (same-host clocks), or null before any.</summary>
    public double? LatencyP50Ms
    {
        get
        {
            double[] sorted;
            lock (_latencies)
            {
                var count = Math.Min(_latencyCount, LatencySamples);
                if (count == 0)
                {
                    return null;
                }

                sorted = _latencies.AsSpan(0, count).ToArray();
            }

            Array.Sort(sorted);
            return Math.Round(sorted[sorted.Length / 2], 1);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _input?.Dispose(); // unblocks a Read
        _capture?.Join(TimeSpan.FromSeconds(2));
        var playoutEnded = _playout?.Join(TimeSpan.FromSeconds(2)) ?? true;
        _output.Dispose();
        _processor?.Dispose();
        lock (_gate)
        {
            foreach (var peer in _peers.Values)
            {
                peer.Dispose();
            }

            _peers.Clear();
        }

        _stop.Dispose();
        if (playoutEnded)
        {
            // Only once its one waiter is gone.
            _peersChanged.Dispose();
        }
    }

    private VoicePeer? PeerOf(ulong peerId)
    {
        lock (_gate)
        {
            return _peers.GetValueOrDefault(peerId);
        }
    }

    private long NowMicros() => (long)(_time.GetTimestamp() * (1_000_000.0 / _time.TimestampFrequency));

    private long UnixMicros() => (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private void CaptureLoop()
    {
        var samples = _options.FrameSamples;
        var frame = new float[samples];
        var message = new byte[AudioPacketHeader.MaxMessage];
        Span<byte> report = stackalloc byte[AudioSenderReport.Size];
        using var encoder = new OpusEncoder(AudioPacketHeader.SampleRate, 1, OpusApplication.Voip)
        {
            Bitrate = _options.Bitrate,
            Vbr = _options.VariableBitrate,
            InbandFec = true,
            Signal = OpusSignal.Voice,
        };
        ushort sequence = 0;
        var timestamp = (uint)Random.Shared.Next();
        var lastReport = long.MinValue;
        var lossPercent = -1;
        var token = _stop.Token;
        while (!token.IsCancellationRequested && _input!.Read(frame))
        {
            var captured = UnixMicros();
            _speaking = _processor?.Process(frame) ?? IsAudible(frame);

            var loss = WorstReportedLoss();
            if (loss != lossPercent)
            {
                lossPercent = loss;
                encoder.PacketLossPercent = loss;
            }

            if (!_muted)
            {
                var length = encoder.Encode(frame, samples, message.AsSpan(AudioPacketHeader.Size, AudioPacketHeader.MaxPayload));
                // The jitter buffer treats a gap after a non-speech frame as a pause and goes quiet at once, so a
                // frame is marked speech when the VAD says so or when it is simply audible (quiet syllables).
                new AudioPacketHeader(sequence++, timestamp, (ushort)samples, _speaking || IsAudible(frame)).Write(message);
                _node.Broadcast(MeshChannel.Audio, AudioMessageType.Frame, message.AsSpan(0, AudioPacketHeader.Size + length));
                PacketsSent++;
            }

            var now = _time.GetTimestamp();
            if (lastReport == long.MinValue || _time.GetElapsedTime(lastReport, now) >= ReportInterval)
            {
                lastReport = now;
                new AudioSenderReport(timestamp, captured).Write(report);
                _node.Broadcast(MeshChannel.Control, AudioMessageType.SenderReport, report);
            }

            // The clock runs on while muted, so the receivers see a pause, not a loss.
            timestamp += (uint)samples;
        }
    }

    private int WorstReportedLoss()
    {
        lock (_gate)
        {
            var worst = 0;
            foreach (var loss in _lossReports.Values)
            {
                worst = Math.Max(worst, loss);
            }

            // Opus spends FEC bits in proportion; past about a quarter more redundancy stops paying.
            return Math.Min(worst, 25);
        }
    }

    private void PlayoutLoop()
    {
        var samples = _options.FrameSamples;
        var mixer = new AudioMixer(samples);
        var mix = new float[samples];
        var peerFrame = new float[samples];
        var channels = new Dictionary<ulong, MixerChannel>();
        var version = -1;
        var captures = new long[64];
        var token = _stop.Token;
        WaitHandle[] idle = [token.WaitHandle, _peersChanged];
        while (!token.IsCancellationRequested)
        {
            version = SyncPeers(mixer, channels, version);
            if (_playing.Length == 0 && _output is NullAudioOutput && _processor is null)
            {
                // Nobody to hear and nowhere the mix goes (`--audio-out none`; a device wants its silence, a file
                // records the call's timeline): sleep until a peer comes, or the call ends, instead of mixing
                // silence for nothing every frame.
                WaitHandle.WaitAny(idle);
                continue;
            }

            var now = NowMicros();
            var captureCount = 0;
            foreach (var peer in _playing)
            {
                var captured = peer.Render(now, peerFrame);
                peer.Channel!.Submit(peerFrame);
                if (captured > 0 && captureCount < captures.Length)
                {
                    captures[captureCount++] = captured;
                }
            }

            mixer.Mix(mix);
            _processor?.OnPlayed(mix);
            _output.Write(mix);
            if (captureCount > 0)
            {
                var written = UnixMicros();
                lock (_latencies)
                {
                    for (var i = 0; i < captureCount; i++)
                    {
                        _latencies[_latencyCount++ % LatencySamples] = (written - captures[i]) / 1000.0;
                    }
                }
            }
        }
    }

    /// <summary>Brings the mixer's channels in line with the members (only the playout thread touches the mixer).</summary>
    private int SyncPeers(AudioMixer mixer, Dictionary<ulong, MixerChannel> channels, int version)
    {
        lock (_gate)
        {
            if (version == _peersVersion)
            {
                return version;
            }

            foreach (var (id, channel) in channels.ToArray())
            {
                if (!_peers.ContainsKey(id))
                {
                    mixer.RemoveChannel(channel);
                    channels.Remove(id);
                }
            }

            foreach (var peer in _peers.Values)
            {
                if (!channels.TryGetValue(peer.Id, out var channel))
                {
                    channel = mixer.AddChannel();
                    channels.Add(peer.Id, channel);
                }

                peer.Channel = channel;
            }

            _playing = [.. _peers.Values];
            return _peersVersion;
        }
    }

    private static bool IsAudible(ReadOnlySpan<float> frame)
    {
        double sum = 0;
        foreach (var sample in frame)
        {
            sum += sample * sample;
        }

        return sum / frame.Length > 1e-5; // about -50 dBFS
    }
}
