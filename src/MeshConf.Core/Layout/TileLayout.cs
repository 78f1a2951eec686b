namespace MeshConf.Core.Layout;

/// <summary>
/// Lays out 1 to <see cref="MaxTiles"/> tiles on a screen so that the pictures get as many cells as possible at
/// their aspect. Grid: every arrangement of c columns by ceil(n/c) rows of equal boxes is tried; each box loses
/// one row to its label, and the picture is the largest rectangle of the wanted aspect inside what is left. The
/// arrangement with the most picture cells in total wins (ties: the squarer grid, so a 4-way call is 2x2).
/// An incomplete last row is centred. Speaker: one featured tile as large as the screen allows, the others in a
/// grid strip below or beside it. Pure arithmetic: no terminal, tested on its own.
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
    /// Computes the grid slots for <paramref name="count"/> tiles in a screen area of <paramref name="cols"/> by
    /// <paramref name="rows"/> cells. Returns false (and no slots) when even the best layout leaves pictures
    /// below the minimum size.
    /// </summary>
    public static bool TryCompute(int cols, int rows, int count, double cellAspect, out TileSlot[] slots)
    {
        Span<TileSlot> scratch = stackalloc TileSlot[MaxTiles];
        slots = TryCompute(cols, rows, count, cellAspect, scratch) ? scratch[..count].ToArray() : [];
        return slots.Length > 0;
    }

    /// <summary>
    /// As <see cref="TryCompute(int, int, int, double, out TileSlot[])"/>, into the first
    /// <paramref name="count"/> entries of <paramref name="slots"/> (at least that long), allocating nothing.
    /// </summary>
    public static bool TryCompute(int cols, int rows, int count, double cellAspect, Span<TileSlot> slots)
    {
        if (!Valid(cols, rows, count, cellAspect))
        {
            return false;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(slots.Length, count, nameof(slots));
        var grid = ChooseGrid(cols, rows, count, cellAspect);
        if (!grid.Fits)
        {
            return false;
        }

        PlaceGrid(grid, 0, 0, cols, rows, count, skip: -1, slots);
        return true;
    }

    /// <summary>
    /// Computes speaker-layout slots: tile <paramref name="featured"/> large, the others (in their order) small
    /// in a strip below it or beside it, whichever leaves the featured picture bigger. Slots come back in tile
    /// order. Returns false (and no slots) for a bad count or featured index, or when the screen is too small.
    /// </summary>
    public static bool TryComputeSpeaker(int cols, int rows, int count, int featured, double cellAspect, out TileSlot[] slots)
    {
        Span<TileSlot> scratch = stackalloc TileSlot[MaxTiles];
        slots = TryComputeSpeaker(cols, rows, count, featured, cellAspect, scratch) ? scratch[..count].ToArray() : [];
        return slots.Length > 0;
    }

    /// <summary>
    /// As <see cref="TryComputeSpeaker(int, int, int, int, double, out TileSlot[])"/>, into the first
    /// <paramref name="count"/> entries of <paramref name="slots"/>, allocating nothing.
    /// </summary>
    /// <remarks>
    /// Every strip thickness is tried on both sides. The featured picture's area decides; among equal ones the
    /// bigger thumbnails win, as long as each stays at most half the featured picture's width and height (or
    /// the minimum size) and the featured picture has at least twice a thumbnail's area (else the screen is
    /// too small for this layout and the caller falls back to the grid): on a screen wider or taller than the picture's aspect the strip takes the spare room
    /// and the featured tile loses nothing. The featured box is cut to its picture along the strip's axis and
    /// the pair is centred, so spare room is shared out as margins rather than left on one side.
    /// </remarks>
    public static bool TryComputeSpeaker(int cols, int rows, int count, int featured, double cellAspect, Span<TileSlot> slots)
    {
        if (!Valid(cols, rows, count, cellAspect) || (uint)featured >= (uint)count)
        {
            return false;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(slots.Length, count, nameof(slots));
        if (count == 1)
        {
            return TryCompute(cols, rows, 1, cellAspect, slots);
        }

        var bestFeatured = 0;
        var bestThumb = 0;
        var bestBeside = false;
        var bestThickness = 0;
        foreach (var beside in (ReadOnlySpan<bool>)[false, true])
        {
            var extent = beside ? cols : rows;
            for (var thickness = 1; thickness < extent; thickness++)
            {
                var (featuredCols, featuredRows) = beside ? Fit(cols - thickness, rows, cellAspect) : Fit(cols, rows - thickness, cellAspect);
                if (featuredCols < MinPictureCols || featuredRows < MinPictureRows)
                {
                    break; // the featured picture only shrinks from here on
                }

                var strip = beside ? ChooseGrid(thickness, rows, count - 1, cellAspect) : ChooseGrid(cols, thickness, count - 1, cellAspect);
                var featuredArea = featuredCols * featuredRows;
                var thumbArea = strip.PictureCols * strip.PictureRows;
                var small = strip.PictureCols <= Math.Max(MinPictureCols, featuredCols / 2) && strip.PictureRows <= Math.Max(MinPictureRows, featuredRows / 2);
                if (!strip.Fits || !small || featuredArea < 2 * thumbArea)
                {
                    continue;
                }

                if (featuredArea > bestFeatured || (featuredArea == bestFeatured && thumbArea > bestThumb))
                {
                    (bestFeatured, bestThumb, bestBeside, bestThickness) = (featuredArea, thumbArea, beside, thickness);
                }
            }
        }

        if (bestFeatured == 0)
        {
            return false;
        }

        if (bestBeside)
        {
            var (pc, pr) = Fit(cols - bestThickness, rows, cellAspect);
            var left = (cols - pc - bestThickness) / 2;
            slots[featured] = Slot(left, 0, pc, rows, pc, pr);
            PlaceGrid(ChooseGrid(bestThickness, rows, count - 1, cellAspect), left + pc, 0, bestThickness, rows, count - 1, featured, slots);
        }
        else
        {
            var (pc, pr) = Fit(cols, rows - bestThickness, cellAspect);
            var height = pr + LabelRows;
            var top = (rows - height - bestThickness) / 2;
            slots[featured] = Slot(0, top, cols, height, pc, pr);
            PlaceGrid(ChooseGrid(cols, bestThickness, count - 1, cellAspect), 0, top + height, cols, bestThickness, count - 1, featured, slots);
        }

        return true;
    }

    private static bool Valid(int cols, int rows, int count, double cellAspect) =>
        count >= 1 && count <= MaxTiles && cols > 0 && rows > 0 && cellAspect > 0 && !double.IsInfinity(cellAspect);

    /// <summary>The grid arrangement with the most picture cells for <paramref name="count"/> tiles in an area.</summary>
    private static Grid ChooseGrid(int cols, int rows, int count, double cellAspect)
    {
        var best = default(Grid);
        var bestArea = -1;
        var bestShape = int.MaxValue;
        for (var columns = 1; columns <= count; columns++)
        {
            var gridRows = (count + columns - 1) / columns;
            if (columns * (gridRows - 1) >= count)
            {
                continue; // an empty last row: the arrangement with fewer columns covers it
            }

            var boxWidth = cols / columns;
            var boxHeight = rows / gridRows;
            var (pictureCols, pictureRows) = Fit(boxWidth, boxHeight, cellAspect);
            var area = pictureCols * pictureRows;
            var shape = Math.Abs(columns - gridRows);
            if (area > bestArea || (area == bestArea && shape < bestShape))
            {
                bestArea = area;
                bestShape = shape;
                best = new Grid(columns, gridRows, boxWidth, boxHeight, pictureCols, pictureRows);
            }
        }

        return best;
    }

    /// <summary>
    /// Writes the grid's boxes for <paramref name="count"/> tiles into an area at (left, top), in order, skipping
    /// the slot index <paramref name="skip"/> (the featured tile, placed elsewhere; -1: none).
    /// </summary>
    private static void PlaceGrid(Grid grid, int left, int top, int width, int height, int count, int skip, Span<TileSlot> slots)
    {
        var top0 = top + ((height - (grid.Rows * grid.BoxHeight)) / 2);
        for (var i = 0; i < count; i++)
        {
            var gridRow = i / grid.Columns;
            var inRow = Math.Min(grid.Columns, count - (gridRow * grid.Columns));
            var left0 = left + ((width - (inRow * grid.BoxWidth)) / 2);
            var slot = Slot(left0 + ((i % grid.Columns) * grid.BoxWidth), top0 + (gridRow * grid.BoxHeight), grid.BoxWidth, grid.BoxHeight, grid.PictureCols, grid.PictureRows);
            slots[skip >= 0 && i >= skip ? i + 1 : i] = slot;
        }
    }

    /// <summary>
    /// A box cut to its label and picture in height and centred where the box was, so the name sits right above
    /// the picture however much spare height there is; the picture is centred across the box's width.
    /// </summary>
    private static TileSlot Slot(int left, int top, int width, int height, int pictureCols, int pictureRows)
    {
        var used = Math.Min(height, LabelRows + pictureRows);
        var cutTop = top + ((height - used) / 2);
        return new(left, cutTop, width, used, left + ((width - pictureCols) / 2), cutTop + LabelRows, pictureCols, pictureRows);
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

    /// <summary>One grid arrangement: columns by rows of equal boxes, and the picture each box holds.</summary>
    private readonly record struct Grid(int Columns, int Rows, int BoxWidth, int BoxHeight, int PictureCols, int PictureRows)
    {
        public bool Fits => PictureCols >= MinPictureCols && PictureRows >= MinPictureRows;
    }
}
