namespace MeshConf.Core.Layout;

/// <summary>
/// Lays out a call with your own view apart from the others': the remote tiles take the whole area, as large as
/// their aspect allows (<see cref="TileLayout"/>, grid or speaker), and the self-view goes over them as a small
/// inset in a bottom corner, or shrinks to its one-line label, or is hidden. With no remote tiles the self-view
/// is an ordinary tile filling the area. The self-view never covers a remote tile's label row nor more than a
/// third of any one remote picture (it shrinks, or becomes its label), and of the two bottom corners it takes the
/// one that hides less of the remote pictures (a margin left by the aspect often holds it whole). Pure arithmetic: no terminal, tested on its own.
/// </summary>
internal static class SelfViewLayout
{
    /// <summary>The inset's picture is at least this wide (when the screen allows), else about a fifth of the width.</summary>
    public const int MinInsetCols = 16;

    /// <summary>The inset's width is the screen's width divided by this.</summary>
    public const int InsetWidthDivisor = 5;

    /// <summary>The inset (label included) takes at most one row in this many of the area.</summary>
    public const int InsetHeightDivisor = 3;

    /// <summary>The self-view hides at most this fraction (one part in this many) of any one remote picture.</summary>
    public const int MaxCoverDivisor = 3;

    /// <summary>
    /// Lays out <paramref name="remoteCount"/> remote tiles in <paramref name="remoteSlots"/> (in their order) and
    /// the self-view in <paramref name="self"/>. The speaker layout features remote tile
    /// <paramref name="featured"/> and falls back to the grid where it does not fit. <paramref name="mode"/> is
    /// what the self-view wants: an inset too small to be worth drawing becomes its label, a label with no room
    /// is hidden (a default slot: zero width). <paramref name="labelCols"/> is the label's length. Returns false
    /// (slots undefined) when the remote tiles do not fit: the caller says the terminal is too small.
    /// </summary>
    public static bool TryCompute(int cols, int rows, int remoteCount, LayoutMode layout, int featured, SelfViewMode mode, int labelCols, double cellAspect, Span<TileSlot> remoteSlots, out TileSlot self)
    {
        self = default;
        if (remoteCount == 0)
        {
            // Alone: the self-view is the whole screen, whatever the mode.
            Span<TileSlot> one = stackalloc TileSlot[1];
            if (!TileLayout.TryCompute(cols, rows, 1, cellAspect, one))
            {
                return false;
            }

            self = one[0];
            return true;
        }

        if (remoteCount < 0 || remoteCount > TileLayout.MaxTiles)
        {
            return false;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(remoteSlots.Length, remoteCount, nameof(remoteSlots));
        var laidOut = layout == LayoutMode.Speaker
            && TileLayout.TryComputeSpeaker(cols, rows, remoteCount, (uint)featured < (uint)remoteCount ? featured : 0, cellAspect, remoteSlots);
        if (!laidOut && !TileLayout.TryCompute(cols, rows, remoteCount, cellAspect, remoteSlots))
        {
            return false;
        }

        self = Place(cols, rows, remoteSlots[..remoteCount], mode, labelCols, cellAspect);
        return true;
    }

    /// <summary>
    /// The self-view's slot over <paramref name="remotes"/> in an area of <paramref name="cols"/> by
    /// <paramref name="rows"/>: an inset (label row and picture) at the bottom, a one-row label slot (no picture),
    /// or a default slot (zero width: hidden, or no room for even the label).
    /// </summary>
    public static TileSlot Place(int cols, int rows, ReadOnlySpan<TileSlot> remotes, SelfViewMode mode, int labelCols, double cellAspect)
    {
        if (cols <= 0 || rows <= 0 || mode == SelfViewMode.Hidden || !(cellAspect > 0) || double.IsInfinity(cellAspect))
        {
            return default;
        }

        if (mode == SelfViewMode.Inset && TryPlaceInset(cols, rows, remotes, cellAspect, out var inset))
        {
            return inset;
        }

        return TryPlaceLabel(cols, rows, remotes, Math.Max(1, labelCols), out var label) ? label : default;
    }

    /// <summary>
    /// The inset's picture size on a screen (before placement): about a fifth of the width, at least
    /// <see cref="MinInsetCols"/> (at most half the width), at the picture's aspect, and with its label at most a
    /// third of the height. (0, 0) when that is below <see cref="TileLayout.MinPictureCols"/> x
    /// <see cref="TileLayout.MinPictureRows"/>.
    /// </summary>
    public static (int Cols, int Rows) InsetSize(int cols, int rows, double cellAspect)
    {
        var wanted = Math.Min(Math.Max(MinInsetCols, cols / InsetWidthDivisor), cols / 2);
        var pictureRows = Math.Min((int)Math.Floor(wanted / cellAspect), (rows / InsetHeightDivisor) - TileLayout.LabelRows);
        var pictureCols = Math.Min(wanted, (int)Math.Floor(pictureRows * cellAspect));
        return pictureCols < TileLayout.MinPictureCols || pictureRows < TileLayout.MinPictureRows ? (0, 0) : (pictureCols, pictureRows);
    }

    private static bool TryPlaceInset(int cols, int rows, ReadOnlySpan<TileSlot> remotes, double cellAspect, out TileSlot inset)
    {
        inset = default;
        var (wantedCols, wantedRows) = InsetSize(cols, rows, cellAspect);

        // Lower and lower, until it sits under every label it would otherwise cover.
        for (var pictureRows = wantedRows; pictureRows >= TileLayout.MinPictureRows; pictureRows--)
        {
            var pictureCols = Math.Min(wantedCols, (int)Math.Floor(pictureRows * cellAspect));
            if (pictureCols < TileLayout.MinPictureCols)
            {
                return false;
            }

            var height = pictureRows + TileLayout.LabelRows;
            if (TryCorner(cols, rows - height, pictureCols, height, remotes, out var left))
            {
                var top = rows - height;
                inset = new TileSlot(left, top, pictureCols, height, left, top + TileLayout.LabelRows, pictureCols, pictureRows);
                return true;
            }
        }

        return false;
    }

    private static bool TryPlaceLabel(int cols, int rows, ReadOnlySpan<TileSlot> remotes, int labelCols, out TileSlot label)
    {
        var width = Math.Min(labelCols, cols);
        for (var top = rows - 1; top >= 0; top--)
        {
            if (TryCorner(cols, top, width, 1, remotes, out var left))
            {
                label = new TileSlot(left, top, width, 1, left, top + 1, 0, 0);
                return true;
            }
        }

        label = default;
        return false;
    }

    /// <summary>
    /// Right or left edge for a box at <paramref name="top"/>: whichever covers no label, no more than a
    /// <see cref="MaxCoverDivisor"/>th of any one picture, and less picture in all (the right on a tie). False
    /// when neither will do.
    /// </summary>
    private static bool TryCorner(int cols, int top, int width, int height, ReadOnlySpan<TileSlot> remotes, out int left)
    {
        left = -1;
        var least = int.MaxValue;
        foreach (var candidate in (ReadOnlySpan<int>)[cols - width, 0])
        {
            var covered = 0;
            var hides = false;
            foreach (var remote in remotes)
            {
                var picture = Overlap(candidate, top, width, height, remote.PictureLeft, remote.PictureTop, remote.PictureCols, remote.PictureRows);
                hides |= Overlap(candidate, top, width, height, remote.Left, remote.Top, remote.Width, TileLayout.LabelRows) > 0
                    || picture * MaxCoverDivisor > remote.PictureArea;
                covered += picture;
            }

            if (!hides && covered < least)
            {
                (left, least) = (candidate, covered);
            }
        }

        return left >= 0;
    }

    private static int Overlap(int left, int top, int width, int height, int otherLeft, int otherTop, int otherWidth, int otherHeight)
    {
        var w = Math.Min(left + width, otherLeft + otherWidth) - Math.Max(left, otherLeft);
        var h = Math.Min(top + height, otherTop + otherHeight) - Math.Max(top, otherTop);
        return w > 0 && h > 0 ? w * h : 0;
    }
}
