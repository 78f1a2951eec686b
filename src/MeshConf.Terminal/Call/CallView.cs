using MeshConf.Core.Layout;
using MeshConf.Core.Video;

namespace MeshConf.Terminal.Call;

/// <summary>
/// Everything <see cref="CallCompositor"/> draws for one frame: the tiles, the status line, and what goes
/// around and over them. Only read while composing, never kept.
/// </summary>
/// <param name="Tiles">One per participant, in screen order; slots come back in the same order.</param>
/// <param name="Status">The bottom line.</param>
internal sealed record CallView(IReadOnlyList<TileView> Tiles, string Status)
{
    /// <summary>Grid, or one tile large (<see cref="Featured"/>) and the others in a strip.</summary>
    public LayoutMode Layout { get; init; } = LayoutMode.Grid;

    /// <summary>
    /// The tile shown large in the speaker layout (the active speaker, or one pinned: the caller picks).
    /// Out of range: <see cref="ActiveSpeaker"/> if that is in range, else the first tile.
    /// </summary>
    public int Featured { get; init; } = -1;

    /// <summary>
    /// How the self-view (the first tile with <see cref="TileView.IsSelf"/>) is shown while there are other
    /// tiles: a picture-in-picture inset (its label alone when it has no video), or hidden. Alone, it is the
    /// whole screen whatever this says.
    /// </summary>
    public SelfViewMode SelfView { get; init; } = SelfViewMode.Inset;

    /// <summary>The tile whose label becomes a bright bar, in either layout; -1 for none.</summary>
    public int ActiveSpeaker { get; init; } = -1;

    /// <summary>Chat lines, oldest first; the last few that fit are shown above the status line.</summary>
    public IReadOnlyList<ChatStripLine> Chat { get; init; } = [];

    /// <summary>The line being typed, or null when not typing.</summary>
    public ChatInput? Input { get; init; }

    /// <summary>A box drawn over the tiles, or none.</summary>
    public CallOverlay Overlay { get; init; }

    /// <summary>The rows of the stats overlay, one per peer.</summary>
    public IReadOnlyList<PeerStatsRow> Stats { get; init; } = [];

    /// <summary>How pictures are drawn: named by the help overlay; in mono the screen's own elements use no colour.</summary>
    public CellMode PictureMode { get; init; } = CellMode.TrueColor;

    /// <summary>
    /// The colours the terminal shows: the block and glyph modes' 24-bit colours are quantized to them as they are
    /// drawn (the half-block modes already travel in the terminal's palette).
    /// </summary>
    public ColorMode TerminalColors { get; init; } = ColorMode.TrueColor;
}
