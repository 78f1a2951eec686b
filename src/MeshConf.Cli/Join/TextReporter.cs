using MeshConf.Core.Chat;
using MeshConf.Core.Text;
using MeshConf.Core.Video;
using MeshConf.Node.Discovery;
using MeshConf.Node.Mesh;
using MeshConf.Node.Video;

namespace MeshConf.Cli.Join;

/// <summary>
/// Plain lines for a person watching `join` without the terminal UI. What peers chose (names, chat) is sanitised:
/// these lines may well end up on a terminal.
/// </summary>
internal sealed class TextReporter(TextWriter output, TextWriter error) : IJoinReporter
{
    private int _lastPeerCount = -1;

    public void Ready(MeshNode node)
    {
        output.WriteLine($"joined session '{node.Session}' as '{node.Name}' on UDP port {node.LocalEndPoint.Port}");
        output.WriteLine($"your fingerprint: {node.Fingerprint.Short} (compare it with your peers)");
        output.Flush();
    }

    public void Event(MeshEvent meshEvent)
    {
        switch (meshEvent)
        {
            case PeerJoinedEvent joined:
                output.WriteLine($"+ {Safe(joined.Name)} joined from {joined.Address} (fingerprint {joined.Fingerprint.Short})");
                break;
            case PeerLeftEvent left:
                output.WriteLine($"- {Safe(left.Name)} left ({left.Reason})");
                break;
            case RefusedEvent refused:
                error.WriteLine($"! {refused.Address}: {refused.Reason}");
                break;
            case UnreachableEvent unreachable:
                error.WriteLine($"! {unreachable.Address} unreachable ({unreachable.Reason}); retrying in {unreachable.RetryIn.TotalSeconds:0.#} s");
                break;
        }

        output.Flush();
    }

    public void VideoSource(ulong peerId, VideoSourceState state)
    {
    }

    // Members show up when they join; the LAN's other sessions are what `meshconf discover` lists.
    public void Discovered(DiscoveryEvent discovery)
    {
    }

    public void Notice(string message)
    {
        error.WriteLine($"meshconf: {message}");
        error.Flush();
    }

    public void VideoSent(ulong peerId, VideoFrameHeader header)
    {
    }

    public void VideoDecoded(ulong peerId, VideoFrameHeader header)
    {
    }

    public void Stats(MeshNode node, IReadOnlyList<MeshPeerInfo> peers, Func<ulong, VideoStreamStats?> video, AudioSnapshot audio)
    {
        if (peers.Count == _lastPeerCount)
        {
            return;
        }

        _lastPeerCount = peers.Count;
        output.WriteLine(peers.Count == 0
            ? "waiting for peers..."
            : $"in call with {peers.Count}: " + string.Join(", ", peers.Select(p => p.Link is { } l ? $"{Safe(p.Name)} ({l.RoundTripMs:0} ms)" : Safe(p.Name))));
        output.Flush();
    }

    public void Chat(ulong fromId, string fromName, ChatLine line)
    {
        output.WriteLine($"<{Safe(fromName)}> {SafeText.Sanitize(line.Text, ChatLog.MaxTextChars)}");
        output.Flush();
    }

    public void Command(string command, string? problem)
    {
        if (problem is not null)
        {
            error.WriteLine($"meshconf: {problem}");
            error.Flush();
        }
    }

    public void Stopped(string reason)
    {
        output.WriteLine($"left the session ({reason})");
        output.Flush();
    }

    private static string Safe(string name) => SafeText.Sanitize(name, ChatLog.MaxNameChars);
}
