using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Call;

/// <summary>
/// Draws the call screen into a <see cref="ScreenBuffer"/>: one tile per participant laid out by
/// <see cref="TileLayout"/>, each with a label row (name and state; reversed while speaking) over its picture,
/// and a status line at the bottom. Pictures are drawn centred in their slot and clipped, so a frame still at
/// the old size after a resize shows without harm until the sender catches up.
/// </summary>
internal static class CallCompositor
{
    /// <summary>The picture aspect tiles are laid out for (4:3 cameras).</summary>
    public static readonly double CellAspect = TileLayout.CellAspect(4.0 / 3);

    private static readonly CellStyle Label = new(TermColor.Default, TermColor.Default, CellAttributes.Bold);
    private static readonly CellStyle SpeakingLabel = new(TermColor.Default, TermColor.Default, CellAttributes.Bold | CellAttributes.Reverse);
    private static readonly CellStyle Quiet = new(TermColor.Default, TermColor.Default, CellAttributes.Dim);
    private static readonly CellStyle Status = new(TermColor.Default, TermColor.Default, CellAttributes.Reverse);

    /// <summary>
    /// Draws the tiles and the status line; returns the slots used (empty when the terminal is too small, in
    /// which case the screen says so).
    /// </summary>
    public static TileSlot[] Compose(ScreenBuffer screen, IReadOnlyList<TileView> tiles, string status)
    {
        ArgumentNullException.ThrowIfNull(screen);
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(status);
        screen.Clear();
        DrawStatus(screen, status);
        var count = Math.Min(tiles.Count, TileLayout.MaxTiles);
        if (count == 0)
        {
            Centre(screen, 0, 0, screen.Cols, screen.Rows - 1, "waiting for peers...", Quiet);
            return [];
        }

        if (screen.Rows < 2 || !TileLayout.TryCompute(screen.Cols, screen.Rows - 1, count, CellAspect, out var slots))
        {
            Centre(screen, 0, 0, screen.Cols, Math.Max(1, screen.Rows - 1), $"terminal too small ({screen.Cols}x{screen.Rows})", Quiet);
            return [];
        }

        for (var i = 0; i < count; i++)
        {
            DrawTile(screen, slots[i], tiles[i]);
        }

        return slots;
    }

    private static void DrawTile(ScreenBuffer screen, TileSlot slot, TileView tile)
    {
        var label = tile.Name + (tile.IsSelf ? " (you)" : string.Empty) + (tile.Muted ? " [muted]" : string.Empty) + tile.State switch
        {
            TileState.Connecting => " - connecting",
            TileState.NoVideo => " - no video",
            TileState.CameraLost => " - camera lost",
            TileState.Starting => " - starting video",
            _ => string.Empty,
        };
        if (label.Length > slot.Width)
        {
            label = label[..Math.Max(0, slot.Width - 1)] + "…";
        }

        screen.Write(slot.Left + ((slot.Width - label.Length) / 2), slot.Top, label, tile.Speaking ? SpeakingLabel : Label);
        if (tile.State == TileState.Live && tile.Picture is { } picture)
        {
            DrawPicture(screen, slot, picture);
        }
        else
        {
            Centre(screen, slot.PictureLeft, slot.PictureTop, slot.PictureCols, slot.PictureRows,
                tile.State switch
                {
                    TileState.Connecting => "connecting...",
                    TileState.CameraLost => "camera lost",
                    TileState.Starting => "starting video...",
                    _ => "no video",
                }, Quiet);
        }
    }

    private static void DrawPicture(ScreenBuffer screen, TileSlot slot, CellGrid picture)
    {
        var cols = Math.Min(picture.Cols, slot.PictureCols);
        var rows = Math.Min(picture.Rows, slot.PictureRows);
        var left = slot.PictureLeft + ((slot.PictureCols - cols) / 2);
        var top = slot.PictureTop + ((slot.PictureRows - rows) / 2);
        var sourceCol = (picture.Cols - cols) / 2;
        var sourceRow = (picture.Rows - rows) / 2;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                screen[left + c, top + r] = CellOf(picture, sourceCol + c, sourceRow + r);
            }
        }
    }

    /// <summary>The screen cell for a picture cell, in the picture's own colour mode.</summary>
    public static ScreenCell CellOf(CellGrid picture, int col, int row)
    {
        var foreground = picture.ForegroundAt(col, row);
        var background = picture.BackgroundAt(col, row);
        return picture.Mode switch
        {
            CellMode.Mono => new ScreenCell((char)foreground, CellStyle.Plain),
            CellMode.TrueColor => new ScreenCell(CellGrid.HalfBlock, new CellStyle(
                TermColor.Rgb((byte)(foreground >> 16), (byte)(foreground >> 8), (byte)foreground),
                TermColor.Rgb((byte)(background >> 16), (byte)(background >> 8), (byte)background))),
            CellMode.Ansi256 => new ScreenCell(CellGrid.HalfBlock, new CellStyle(TermColor.Ansi256((int)foreground), TermColor.Ansi256((int)background))),
            _ => new ScreenCell(CellGrid.HalfBlock, new CellStyle(TermColor.Ansi16((int)foreground), TermColor.Ansi16((int)background))),
        };
    }

    private static void DrawStatus(ScreenBuffer screen, string status)
    {
        var row = screen.Rows - 1;
        screen.Fill(0, row, screen.Cols, 1, new ScreenCell(' ', Status));
        screen.Write(1, row, status.Length > screen.Cols - 2 ? status[..Math.Max(0, screen.Cols - 2)] : status, Status);
    }

    private static void Centre(ScreenBuffer screen, int left, int top, int width, int height, string text, CellStyle style)
    {
        if (text.Length > width)
        {
            text = text[..Math.Max(0, width)];
        }

        screen.Write(left + ((width - text.Length) / 2), top + (height / 2), text, style);
    }
}
