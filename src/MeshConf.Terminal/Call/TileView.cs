using MeshConf.Core.Video;

namespace MeshConf.Terminal.Call;

/// <summary>Everything the compositor needs to draw one participant. The picture is read, never kept.</summary>
internal sealed record TileView(string Name, TileState State, CellGrid? Picture = null, bool IsSelf = false, bool Muted = false, bool Speaking = false);
