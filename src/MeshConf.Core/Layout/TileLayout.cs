namespace MeshConf.Core.Layout;

/// <summary>
/// Lays out 1 to <see cref="MaxTiles"/> tiles on a screen so that the pictures get as many cells as possible at
/// their aspect. Every arrangement of c columns by ceil(n/c) rows of equal boxes is tried; each box loses one row
/// to its label, and the picture is the largest rectangle of the wanted aspect inside what is left. The
/// arrangement with the most picture cells in total wins (ties: the squarer grid, so a 4-way call is 2x2).
/// An incomplete last row is centred. Pure arithmetic: no terminal, tested on its own.
/// </summary>
internal static class TileLayout
{
    public const int MaxTiles = 16;

    /// <summary>A picture smaller than this is not worth drawing: the caller says the terminal is too small.</summary>
    public const int MinPictureCols = 8;

    public const int MinPictureRows = 3;

    /// <summary>Rows each tile spends on its label.</summary>
    public const int LabelRows = 1;

    /// <summary>
    /// Columns per row for a picture of <paramref name="pixelAspect"/> (width over height). A terminal cell is
    /// about twice as tall as it is wide, so a picture of C columns and R rows looks C by 2R: the right shape
    /// needs C / R = 2 × aspect. (Half-blocks draw two square pixels per cell, mono one tall one: same ratio.)
    /// </summary>
    public static double CellAspect(double pixelAspect) => pixelAspect * 2;

    /// <summary>
    /// Computes the slots for <paramref name="count"/> tiles in a screen area of <paramref name="cols"/> by
    /// <paramref name="rows"/> cells. Returns false (and no slots) when even the best layout leaves pictures
    /// below the minimum size.
    /// </summary>
    public static bool TryCompute(int cols, int rows, int count, double cellAspect, out TileSlot[] slots)
    {
        slots = [];
        if (count < 1 || count > MaxTiles || cols <= 0 || rows <= 0 || !(cellAspect > 0) || double.IsInfinity(cellAspect))
        {
            return false;
        }

        var bestArea = -1;
        var bestColumns = 0;
        var bestShape = int.MaxValue;
        for (var columns = 1; columns <= count; columns++)
        {
            var gridRows = (count + columns - 1) / columns;
            if (columns * (gridRows - 1) >= count)
            {
                continue; // an empty last row: the arrangement with fewer columns covers it
            }

            var (pictureCols, pictureRows) = Fit(cols / columns, rows / gridRows, cellAspect);
            var area = pictureCols * pictureRows;
            var shape = Math.Abs(columns - gridRows);
            if (area > bestArea || (area == bestArea && shape < bestShape))
            {
                bestArea = area;
                bestColumns = columns;
                bestShape = shape;
            }
        }

        var gridRowsBest = (count + bestColumns - 1) / bestColumns;
        var boxWidth = cols / bestColumns;
        var boxHeight = rows / gridRowsBest;
        var (pc, pr) = Fit(boxWidth, boxHeight, cellAspect);
        if (pc < MinPictureCols || pr < MinPictureRows)
        {
            return false;
        }

        slots = new TileSlot[count];
        var top0 = (rows - (gridRowsBest * boxHeight)) / 2;
        for (var i = 0; i < count; i++)
        {
            var gridRow = i / bestColumns;
            var inRow = Math.Min(bestColumns, count - (gridRow * bestColumns));
            var left0 = (cols - (inRow * boxWidth)) / 2;
            var left = left0 + ((i % bestColumns) * boxWidth);
            var top = top0 + (gridRow * boxHeight);
            var pictureLeft = left + ((boxWidth - pc) / 2);
            var pictureTop = top + LabelRows + ((boxHeight - LabelRows - pr) / 2);
            slots[i] = new TileSlot(left, top, boxWidth, boxHeight, pictureLeft, pictureTop, pc, pr);
        }

        return true;
    }

    /// <summary>The largest picture of the aspect that fits a box under its label.</summary>
    private static (int Cols, int Rows) Fit(int boxWidth, int boxHeight, double cellAspect)
    {
        var availableRows = boxHeight - LabelRows;
        if (boxWidth <= 0 || availableRows <= 0)
        {
            return (0, 0);
        }

        var pictureRows = Math.Min(availableRows, (int)Math.Floor(boxWidth / cellAspect));
        var pictureCols = Math.Min(boxWidth, (int)Math.Floor(pictureRows * cellAspect));
        return pictureRows <= 0 || pictureCols <= 0 ? (0, 0) : (pictureCols, pictureRows);
    }
}
