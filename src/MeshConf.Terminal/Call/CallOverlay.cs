namespace MeshConf.Terminal.Call;

/// <summary>What the call screen shows over the tiles, if anything.</summary>
internal enum CallOverlay
{
    /// <summary>Nothing: the tiles as they are.</summary>
    None,

    /// <summary>The key list, the colour mode and the layout (key <c>?</c>).</summary>
    Help,

    /// <summary>One row per peer: round trip, loss, jitter buffer, bit rates, fps, fingerprint (key <c>s</c>).</summary>
    Stats,
}
