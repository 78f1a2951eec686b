namespace MeshConf.Core.Layout;

/// <summary>How the call screen arranges its tiles.</summary>
internal enum LayoutMode
{
    /// <summary>Equal tiles in a grid (<see cref="TileLayout.TryCompute(int, int, int, double, Span{TileSlot})"/>).</summary>
    Grid,

    /// <summary>
    /// One featured tile large, the others small in a strip below or beside it
    /// (<see cref="TileLayout.TryComputeSpeaker(int, int, int, int, double, Span{TileSlot})"/>).
    /// </summary>
    Speaker,
}
