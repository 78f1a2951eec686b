namespace MeshConf.Core.Layout;

/// <summary>
/// Where one tile goes on the screen, in character cells from the top-left corner (0-based): the tile's box,
/// whose first row is its label (name and state), and inside it the picture area, centred under the label and
/// sized to the picture's aspect.
/// </summary>
internal readonly record struct TileSlot(int Left, int Top, int Width, int Height, int PictureLeft, int PictureTop, int PictureCols, int PictureRows)
{
    /// <summary>Cells of picture this slot shows.</summary>
    public int PictureArea => PictureCols * PictureRows;
}
