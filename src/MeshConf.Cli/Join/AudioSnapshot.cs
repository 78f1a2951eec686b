using MeshConf.Node.Voice;

namespace MeshConf.Cli.Join;

/// <summary>This node's audio at one stats tick: per peer, and its own.</summary>
/// <param name="Peer">Each peer's incoming audio, by node id (null for an unknown peer).</param>
/// <param name="LatencyP50Ms">Median capture-to-playback-write latency of frames played lately, or null.</param>
/// <param name="PacketsOut">Audio packets sent so far (each broadcast counts once).</param>
/// <param name="Muted">Our microphone is muted.</param>
/// <param name="Speaking">Our voice is detected now.</param>
/// <param name="CanSpeak">We have a microphone (or a file or tone) at all.</param>
internal sealed record AudioSnapshot(Func<ulong, VoiceStreamStats?> Peer, double? LatencyP50Ms, long PacketsOut, bool Muted, bool Speaking, bool CanSpeak);
