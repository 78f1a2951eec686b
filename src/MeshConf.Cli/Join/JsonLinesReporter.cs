using System.Text.Json;
using MeshConf.Core.Chat;
using MeshConf.Core.Video;
using MeshConf.Node.Discovery;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;
using MeshConf.Node.Video;

namespace MeshConf.Cli.Join;

/// <summary>
/// The machine interface of `join --headless`: one JSON object per line on stdout, flushed at once, for bots,
/// tests and benchmarks. Field names are snake_case and stable.
/// </summary>
internal sealed class JsonLinesReporter(Stream output) : IJoinReporter
{
    private readonly Lock _gate = new();

    public void VideoSource(ulong peerId, VideoSourceState state) => Write(w =>
    {
        w.WriteString("event", "video_source");
        w.WriteString("from", NodeIds.Format(peerId));
        w.WriteString("state", state.ToString().ToLowerInvariant());
    });

    public void Notice(string message) => Write(w =>
    {
        w.WriteString("event", "notice");
        w.WriteString("message", message);
    });

    public void Discovered(DiscoveryEvent discovery) => Write(w =>
    {
        var service = discovery.Service;
        w.WriteString("event", "discovered");
        w.WriteString("change", discovery.Kind.ToString().ToLowerInvariant());
        w.WriteString("instance", service.Name);
        w.WriteString("session", service.SessionId);
        w.WriteString("id", service.NodeId);
        w.WriteString("fp", service.Fingerprint);
        w.WriteString("address", discovery.EndPoint?.ToString());
        w.WriteString("interface", discovery.Interface);
    });

    public void Ready(MeshNode node) => Write(w =>
    {
        w.WriteString("event", "ready");
        w.WriteString("id", NodeIds.Format(node.NodeId));
        w.WriteString("name", node.Name);
        w.WriteString("session", node.Session);
        w.WriteNumber("port", node.LocalEndPoint.Port);
        w.WriteString("fingerprint", node.Fingerprint.ToString());
        w.WriteString("fingerprint_short", node.Fingerprint.Short);
    });

    public void Event(MeshEvent meshEvent) => Write(w =>
    {
        switch (meshEvent)
        {
            case PeerJoinedEvent joined:
                w.WriteString("event", "peer_joined");
                w.WriteString("id", NodeIds.Format(joined.NodeId));
                w.WriteString("name", joined.Name);
                w.WriteString("address", joined.Address.ToString());
                w.WriteString("fingerprint", joined.Fingerprint.ToString());
                break;
            case PeerLeftEvent left:
                w.WriteString("event", "peer_left");
                w.WriteString("id", NodeIds.Format(left.NodeId));
                w.WriteString("name", left.Name);
                w.WriteString("reason", left.Reason);
                break;
            case RefusedEvent refused:
                w.WriteString("event", "refused");
                w.WriteString("address", refused.Address.ToString());
                w.WriteString("reason", refused.Reason);
                w.WriteString("code", refused.Code.ToString());
                w.WriteBoolean("by_peer", refused.ByPeer);
                break;
            case UnreachableEvent unreachable:
                w.WriteString("event", "unreachable");
                w.WriteString("address", unreachable.Address.ToString());
                w.WriteNumber("attempt", unreachable.Attempt);
                w.WriteNumber("retry_in_ms", (long)unreachable.RetryIn.TotalMilliseconds);
                w.WriteString("reason", unreachable.Reason);
                break;
        }
    });

    public void VideoSent(ulong peerId, VideoFrameHeader header) => WriteFrame("video_sent", "to", peerId, header);

    public void VideoDecoded(ulong peerId, VideoFrameHeader header) => WriteFrame("video_frame", "from", peerId, header);

    public void Stats(MeshNode node, IReadOnlyList<MeshPeerInfo> peers, Func<ulong, VideoStreamStats?> video, AudioSnapshot audio) => Write(w =>
    {
        w.WriteString("event", "stats");
        w.WriteStartArray("peers");
        foreach (var peer in peers)
        {
            w.WriteStartObject();
            w.WriteString("id", NodeIds.Format(peer.NodeId));
            w.WriteString("name", peer.Name);
            w.WriteString("address", peer.Address.ToString());
            if (peer.Link is { } link)
            {
                w.WriteNumber("rtt_ms", Math.Round(link.RoundTripMs, 2));
                w.WriteNumber("rtt_var_ms", Math.Round(link.RoundTripVarianceMs, 2));
                w.WriteNumber("loss_pct", Math.Round(link.LossPercent, 2));
                w.WriteNumber("throttle", link.Throttle);
                w.WriteStartObject("channels");
                for (var i = 0; i < link.Channels.Count; i++)
                {
                    var c = link.Channels[i];
                    w.WriteStartObject(MeshChannels.Name((MeshChannel)i));
                    w.WriteNumber("packets_in", c.PacketsIn);
                    w.WriteNumber("bytes_in", c.BytesIn);
                    w.WriteNumber("packets_out", c.PacketsOut);
                    w.WriteNumber("bytes_out", c.BytesOut);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteStartObject("dropped");
            w.WriteNumber("malformed", peer.Drops.Malformed);
            w.WriteNumber("bad_tag", peer.Drops.BadTag);
            w.WriteNumber("replay", peer.Drops.Replay);
            w.WriteNumber("stale", peer.Drops.Stale);
            w.WriteEndObject();
            w.WriteNumber("opened", peer.Drops.Opened);
            if (video(peer.NodeId) is { } stream)
            {
                w.WriteNumber("video_fps_in", stream.FpsIn);
                w.WriteNumber("video_kbps_in", Math.Round(stream.KbpsIn, 1));
                w.WriteNumber("video_frames_in", stream.FramesIn);
                w.WriteNumber("video_frames_bad", stream.FramesBad);
                w.WriteNumber("video_latency_ms_p50", stream.LatencyP50Ms);
                w.WriteNumber("video_latency_ms_p99", stream.LatencyP99Ms);
                w.WriteString("video_source", stream.Source.ToString().ToLowerInvariant());
                if (stream.Sent is { } sent)
                {
                    w.WriteNumber("video_target_kbps_out", sent.TargetKbps);
                    w.WriteNumber("video_allowed_kbps_out", sent.AllowedKbps);
                    w.WriteNumber("video_threshold_out", sent.Threshold);
                    w.WriteNumber("video_rate_decreases_out", sent.RateDecreases);
                    w.WriteNumber("video_frames_from_blank_out", sent.FramesFromBlank);
                }
            }

            if (audio.Peer(peer.NodeId) is { } voice)
            {
                w.WriteNumber("audio_kbps_in", voice.KbpsIn);
                w.WriteNumber("audio_packets_in", voice.PacketsIn);
                w.WriteNumber("audio_lost", voice.Lost);
                w.WriteNumber("audio_concealed", voice.Concealed);
                w.WriteNumber("audio_fec_recovered", voice.FecRecovered);
                w.WriteNumber("audio_late", voice.Late);
                w.WriteNumber("audio_malformed", voice.Malformed);
                w.WriteNumber("jitter_buffer_ms", voice.JitterBufferMs);
                w.WriteNumber("jitter_target_ms", voice.TargetMs);
                w.WriteBoolean("muted", voice.Muted);
                w.WriteBoolean("speaking", voice.Speaking);
                w.WriteNumber("audio_level_dbfs", Math.Round(voice.LevelDbfs, 1));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        var counters = node.Counters;
        w.WriteStartObject("node");
        w.WriteNumber("rate_limited", counters.RateLimited);
        w.WriteNumber("over_capacity", counters.OverCapacity);
        w.WriteNumber("handshake_failures", counters.HandshakeFailures);
        w.WriteNumber("handshake_timeouts", counters.HandshakeTimeouts);
        w.WriteNumber("unexpected_messages", counters.UnexpectedMessages);
        if (audio.LatencyP50Ms is { } latency)
        {
            w.WriteNumber("audio_latency_ms_p50", latency);
        }

        w.WriteNumber("audio_packets_out", audio.PacketsOut);
        w.WriteBoolean("muted", audio.Muted);
        w.WriteBoolean("speaking", audio.Speaking);
        w.WriteEndObject();
    });

    /// <summary>Chat text is passed on as sent (JSON escapes it); showing it safely is the reader's job.</summary>
    public void Chat(ulong fromId, string fromName, ChatLine line) => Write(w =>
    {
        w.WriteString("event", fromId == 0 ? "chat_sent" : "chat");
        if (fromId != 0)
        {
            w.WriteString("from", NodeIds.Format(fromId));
        }

        w.WriteString("name", fromName);
        w.WriteNumber("seq", line.Sequence);
        w.WriteNumber("sent_unix_ms", line.SentUnixMs);
        w.WriteString("text", line.Text);
    });

    public void Command(string command, string? problem) => Write(w =>
    {
        w.WriteString("event", "command");
        w.WriteString("command", command);
        w.WriteBoolean("ok", problem is null);
        if (problem is not null)
        {
            w.WriteString("error", problem);
        }
    });

    public void Stopped(string reason) => Write(w =>
    {
        w.WriteString("event", "stopped");
        w.WriteString("reason", reason);
    });

    private void WriteFrame(string name, string direction, ulong peerId, VideoFrameHeader header) => Write(w =>
    {
        w.WriteString("event", name);
        w.WriteString(direction, NodeIds.Format(peerId));
        w.WriteNumber("seq", header.Sequence);
        w.WriteString("hash", header.ContentHash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteBoolean("key", header.IsKeyframe);
        w.WriteNumber("cols", header.Cols);
        w.WriteNumber("rows", header.Rows);
        w.WriteString("mode", ModeName(header.Mode));
    });

    private static string ModeName(CellMode mode) => mode switch
    {
        CellMode.Mono => "mono",
        CellMode.TrueColor => "truecolor",
        CellMode.Ansi256 => "256",
        CellMode.Ansi16 => "16",
        CellMode.Quadrant => "quadrant",
        CellMode.Sextant => "sextant",
        CellMode.GlyphColor => "glyph",
        _ => ((int)mode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private void Write(Action<Utf8JsonWriter> body)
    {
        lock (_gate)
        {
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                body(writer);
                writer.WriteEndObject();
            }

            output.WriteByte((byte)'\n');
            output.Flush();
        }
    }
}
