namespace MeshConf.Cli.Join;

/// <summary>The options of one `meshconf join` run.</summary>
internal sealed class JoinSettings
{
    public required string Session { get; init; }

    public required string Name { get; init; }

    public bool Headless { get; init; }

    public int Port { get; init; }

    public string? Bind { get; init; }

    public IReadOnlyList<string> PeerTexts { get; init; } = [];

    public string? Passphrase { get; init; }

    public double? Duration { get; init; }

    public double PeerTimeout { get; init; } = 5;

    public string? ConfigDir { get; init; }
}
