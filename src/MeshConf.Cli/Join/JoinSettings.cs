namespace MeshConf.Cli.Join;

/// <summary>The options of one `meshconf join` run.</summary>
internal sealed record JoinSettings
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

    /// <summary>The `--video` source: camera, camera:DEVICE, file:PATH, pattern or none.</summary>
    public string Video { get; init; } = "camera";

    public int Fps { get; init; } = 15;

    /// <summary>The picture size (cells) this node asks senders for in headless mode.</summary>
    public int TileCols { get; init; } = 80;

    public int TileRows { get; init; } = 40;

    public string Color { get; init; } = "auto";

    /// <summary>Print a JSON line per video frame sent and decoded (with its content hash).</summary>
    public bool VideoTrace { get; init; }
}
