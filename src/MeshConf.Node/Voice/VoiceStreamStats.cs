namespace MeshConf.Node.Voice;

/// <summary>What one peer's incoming audio looked like lately.</summary>
/// <param name="KbpsIn">Audio bits received over the last second, kbit/s.</param>
/// <param name="PacketsIn">Audio packets received since the start.</param>
/// <param name="Lost">Frames whose packet was missing when due (then rebuilt by FEC or concealed).</param>
/// <param name="Concealed">Frames made up by Opus packet-loss concealment.</param>
/// <param name="FecRecovered">Missing frames rebuilt from the next packet's forward error correction.</param>
/// <param name="Late">Packets that came after their frame was played.</param>
/// <param name="JitterBufferMs">The current buffering delay.</param>
/// <param name="TargetMs">The delay the buffer aims at, from measured jitter.</param>
/// <param name="Malformed">Audio messages that were not valid frames (or that Opus could not decode).</param>
/// <param name="Muted">The peer says its microphone is muted.</param>
/// <param name="Speaking">The peer's voice is heard now (level with hold, for the tile highlight).</param>
/// <param name="LevelDbfs">The peer's recent level in dBFS (-inf for silence).</param>
internal sealed record VoiceStreamStats(
    double KbpsIn,
    long PacketsIn,
    long Lost,
    long Concealed,
    long FecRecovered,
    long Late,
    double JitterBufferMs,
    double TargetMs,
    long Malformed,
    bool Muted,
    bool Speaking,
    double LevelDbfs);
