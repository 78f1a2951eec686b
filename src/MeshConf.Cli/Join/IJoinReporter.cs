using MeshConf.Node.Mesh;

namespace MeshConf.Cli.Join;

/// <summary>How a running `join` tells its user what happens: JSON lines (headless) or plain text.</summary>
internal interface IJoinReporter
{
    void Ready(MeshNode node);

    void Event(MeshEvent meshEvent);

    void Stats(MeshNode node, IReadOnlyList<MeshPeerInfo> peers);

    void Stopped(string reason);
}
