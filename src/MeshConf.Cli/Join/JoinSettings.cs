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

    /// <summary>`--video-kbps`: each outgoing video stream's bitrate target; 0 = the default for its size and mode.</summary>
    public int VideoKbps { get; init; }

    /// <summary>The picture size (cells) this node asks senders for in headless mode.</summary>
    public int TileCols { get; init; } = 80;

    public int TileRows { get; init; } = 40;

    public string Color { get; init; } = "auto";

    /// <summary>`--render`: auto, halfblock, quadrant, sextant or glyph (mono whatever it says with `--color mono`).</summary>
    public string Render { get; init; } = "auto";

    /// <summary>`--audio`: device, file:IN.wav, tone[:HZ[,HZ]] or none.</summary>
    public string Audio { get; init; } = "device";

    /// <summary>`--audio-out`: device, file:OUT.wav or none.</summary>
    public string AudioOut { get; init; } = "device";

    /// <summary>Microphone by name or index (default: the system's).</summary>
    public string? Mic { get; init; }

    /// <summary>Speaker by name or index (default: the system's).</summary>
    public string? Speaker { get; init; }

    public bool NoAec { get; init; }

    public bool AudioVbr { get; init; }

    /// <summary>Opus frame length in milliseconds: 10, 20 or 40.</summary>
    public int AudioFrameMs { get; init; } = 20;

    /// <summary>Start with the microphone muted.</summary>
    public bool Mute { get; init; }

    /// <summary>LAN discovery over mDNS (on unless `--no-mdns`).</summary>
    public bool Mdns { get; init; } = true;

    /// <summary>`--interface`: the one network interface mDNS runs on (default: every suitable one).</summary>
    public string? Interface { get; init; }

    /// <summary>`--record`: the asciicast v2 file the call screen is recorded into.</summary>
    public string? Record { get; init; }

    /// <summary>Print a JSON line per video frame sent and decoded (with its content hash).</summary>
    public bool VideoTrace { get; init; }
}
