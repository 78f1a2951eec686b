using System.Globalization;
using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Call;

/// <summary>
/// Draws the call screen into a <see cref="ScreenBuffer"/>: one tile per remote participant laid out by
/// <see cref="TileLayout"/> (grid or speaker) over the whole tile area, each with a label row (name and state;
/// reversed while speaking, a bright bar for the active speaker) over its picture; your own view as a small inset
/// in a bottom corner over them, or its label alone when it has no video, or hidden (<see cref="SelfViewLayout"/>;
/// alone in the call, it is the whole screen); a chat strip (recent lines and the line being typed)
/// above the status line at the bottom; and the help or stats box over the tiles. Pictures are drawn centred in
/// their slot and clipped, so a frame still at the old size after a resize shows without harm until the sender
/// catches up. Every size from 1x1 up composes; too small for tiles, the screen says so. Allocates nothing per
/// frame (the span overload): names, chat and figures are written straight into the cells.
/// </summary>
internal static partial class CallCompositor
{
    /// <summary>The picture aspect tiles are laid out for (4:3 cameras).</summary>
    public static readonly double CellAspect = TileLayout.CellAspect(4.0 / 3);

    /// <summary>The most rows the chat strip takes (fewer on small terminals: one per six rows).</summary>
    public const int MaxChatRows = 5;

    /// <summary>Longest label drawn; a longer name is cut with "…".</summary>
    private const int LabelCapacity = 160;

    private static readonly CellStyle Label = new(TermColor.Default, TermColor.Default, CellAttributes.Bold);
    private static readonly CellStyle SpeakingLabel = new(TermColor.Default, TermColor.Default, CellAttributes.Bold | CellAttributes.Reverse);
    private static readonly CellStyle Quiet = new(TermColor.Default, TermColor.Default, CellAttributes.Dim);
    private static readonly CellStyle Status = new(TermColor.Default, TermColor.Default, CellAttributes.Reverse);

    /// <summary>
    /// Draws the tiles and the status line; returns the slots used (empty when the terminal is too small, in
    /// which case the screen says so). The same as the <see cref="CallView"/> overload with only tiles and status.
    /// </summary>
    public static TileSlot[] Compose(ScreenBuffer screen, IReadOnlyList<TileView> tiles, string status) =>
        Compose(screen, new CallView(tiles, status));

    /// <summary>Draws <paramref name="view"/>; returns the slots used, in tile order (empty when too small).</summary>
    public static TileSlot[] Compose(ScreenBuffer screen, CallView view)
    {
        Span<TileSlot> slots = stackalloc TileSlot[TileLayout.MaxTiles];
        return slots[..Compose(screen, view, slots)].ToArray();
    }

    /// <summary>
    /// Draws <paramref name="view"/> into <paramref name="screen"/> (cleared first) and writes the slot of each
    /// tile drawn into <paramref name="slots"/>, in tile order. Returns how many: the tiles' count (at most
    /// <see cref="TileLayout.MaxTiles"/>), or 0 when there are none or the tiles do not fit. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slots"/> is shorter than the tiles drawn.</exception>
    public static int Compose(ScreenBuffer screen, CallView view, Span<TileSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(screen);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(view.Tiles);
        ArgumentNullException.ThrowIfNull(view.Status);
        var count = Math.Min(view.Tiles.Count, TileLayout.MaxTiles);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots.Length, count, nameof(slots));
        var colour = view.PictureMode != CellMode.Mono;
        screen.Clear();
        DrawStatus(screen, view.Status);
        var chatRows = ChatRows(screen.Rows, view);
        var tileRows = screen.Rows - 1 - chatRows;
        var drawn = DrawTiles(screen, view, tileRows, count, slots, colour);
        DrawChat(screen, view, tileRows, chatRows, colour);
        DrawOverlay(screen, view);
        return drawn;
    }

    /// <summary>
    /// The screen cell for a picture cell, in the picture's own colour mode. The 24-bit modes of the block and glyph
    /// renderings (quadrant, sextant, coloured glyph) are quantized here to what the terminal shows
    /// (<paramref name="colors"/>: 256 or 16 colours; in mono a block cell keeps its shape in the default colours).
    /// </summary>
    public static ScreenCell CellOf(CellGrid picture, int col, int row, ColorMode colors = ColorMode.TrueColor)
    {
        var foreground = picture.ForegroundAt(col, row);
        var background = picture.BackgroundAt(col, row);
        return picture.Mode switch
        {
            CellMode.Mono => new ScreenCell((char)foreground, CellStyle.Plain),
            CellMode.TrueColor => new ScreenCell(CellGrid.HalfBlock, new CellStyle(ColorOf(foreground, ColorMode.TrueColor), ColorOf(background, ColorMode.TrueColor))),
            CellMode.Ansi256 => new ScreenCell(CellGrid.HalfBlock, new CellStyle(TermColor.Ansi256((int)foreground), TermColor.Ansi256((int)background))),
            CellMode.Ansi16 => new ScreenCell(CellGrid.HalfBlock, new CellStyle(TermColor.Ansi16((int)foreground), TermColor.Ansi16((int)background))),
            CellMode.Quadrant => new ScreenCell(BlockGlyphs.Quadrant((int)(foreground >> 24)), new CellStyle(ColorOf(foreground, colors), ColorOf(background, colors))),
            CellMode.Sextant => new ScreenCell(BlockGlyphs.Sextant((int)(foreground >> 24)), new CellStyle(ColorOf(foreground, colors), ColorOf(background, colors))),
            _ => GlyphCell(foreground, colors),
        };
    }

    // A coloured glyph: its ramp character in its colour on the terminal's background; an index past the ramp
    // (a grid from a newer peer) shows as the blank.
    private static ScreenCell GlyphCell(uint foreground, ColorMode colors)
    {
        return new ScreenCell(FrameConverter.ColorGlyphOf(foreground), new CellStyle(ColorOf(foreground, colors), TermColor.Default));
    }

    // A 24-bit colour (top byte ignored) as the terminal can show it.
    private static TermColor ColorOf(uint rgb, ColorMode colors) => colors switch
    {
        ColorMode.TrueColor => TermColor.Rgb((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb),
        ColorMode.Ansi256 => TermColor.Ansi256((int)ColorQuantizer.NearestXterm256(rgb & 0xFFFFFF)),
        ColorMode.Ansi16 => TermColor.Ansi16((int)ColorQuantizer.NearestAnsi16(rgb & 0xFFFFFF)),
        _ => TermColor.Default,
    };

    /// <summary>The active speaker's label bar: reversed and bold (visible in mono), bright yellow in colour.</summary>
    private static CellStyle ActiveBar(bool colour) =>
        new(colour ? TermColor.Ansi16(11) : TermColor.Default, TermColor.Default, CellAttributes.Bold | CellAttributes.Reverse);

    private static int DrawTiles(ScreenBuffer screen, CallView view, int rows, int count, Span<TileSlot> slots, bool colour)
    {
        if (rows < 1)
        {
            if (count > 0)
            {
                TooSmall(screen, screen.Rows); // no row for tiles at all: the notice goes over the status line
            }

            return 0;
        }

        if (count == 0)
        {
            CentreWrapped(screen, 0, 0, screen.Cols, rows, "waiting for peers...", Quiet);
            return 0;
        }

        var self = SelfIndex(view, count);
        if (self < 0 || count == 1)
        {
            // No self-view, or you alone: every tile is an ordinary one.
            var laidOut = view.Layout == LayoutMode.Speaker
                && TileLayout.TryComputeSpeaker(screen.Cols, rows, count, FeaturedIndex(view, count), CellAspect, slots);
            if (!laidOut && !TileLayout.TryCompute(screen.Cols, rows, count, CellAspect, slots))
            {
                TooSmall(screen, rows);
                return 0;
            }

            for (var i = 0; i < count; i++)
            {
                DrawTile(screen, slots[i], view.Tiles[i], i == view.ActiveSpeaker, colour, view.TerminalColors);
            }

            return count;
        }

        return DrawWithSelfView(screen, view, rows, count, self, slots, colour);
    }

    /// <summary>
    /// The remote tiles over the whole area (<see cref="SelfViewLayout"/>), then the self-view over them: an
    /// inset, its label alone when it has no video, or nothing when hidden (its slot is then empty).
    /// </summary>
    private static int DrawWithSelfView(ScreenBuffer screen, CallView view, int rows, int count, int self, Span<TileSlot> slots, bool colour)
    {
        var selfTile = view.Tiles[self];
        var mode = view.SelfView != SelfViewMode.Inset ? view.SelfView
            : selfTile.State is TileState.NoVideo or TileState.CameraLost ? SelfViewMode.Label
            : SelfViewMode.Inset;
        Span<char> label = stackalloc char[LabelCapacity];
        var labelLength = LabelOf(selfTile, label);
        var featured = FeaturedIndex(view, count);
        if (featured == self)
        {
            featured = (uint)view.ActiveSpeaker < (uint)count && view.ActiveSpeaker != self ? view.ActiveSpeaker : self == 0 ? 1 : 0;
        }

        Span<TileSlot> remote = stackalloc TileSlot[TileLayout.MaxTiles];
        if (!SelfViewLayout.TryCompute(screen.Cols, rows, count - 1, view.Layout, featured > self ? featured - 1 : featured, mode, labelLength, CellAspect, remote, out var selfSlot))
        {
            TooSmall(screen, rows);
            return 0;
        }

        for (var i = 0; i < count; i++)
        {
            if (i != self)
            {
                slots[i] = remote[i > self ? i - 1 : i];
                DrawTile(screen, slots[i], view.Tiles[i], i == view.ActiveSpeaker, colour, view.TerminalColors);
            }
        }

        slots[self] = selfSlot;
        if (selfSlot.Width > 0)
        {
            // The inset is opaque: what lies under it does not show between its label's letters.
            screen.Fill(selfSlot.Left, selfSlot.Top, selfSlot.Width, selfSlot.Height, new ScreenCell(' ', CellStyle.Plain));
            DrawTile(screen, selfSlot, selfTile, self == view.ActiveSpeaker, colour, view.TerminalColors);
        }

        return count;
    }

    /// <summary>The first tile that is your own view, among the first <paramref name="count"/>; -1 for none.</summary>
    private static int SelfIndex(CallView view, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (view.Tiles[i].IsSelf)
            {
                return i;
            }
        }

        return -1;
    }

    private static int FeaturedIndex(CallView view, int count) =>
        (uint)view.Featured < (uint)count ? view.Featured
        : (uint)view.ActiveSpeaker < (uint)count ? view.ActiveSpeaker
        : 0;

    private static void TooSmall(ScreenBuffer screen, int rows)
    {
        Span<char> text = stackalloc char[48];
        text.TryWrite(CultureInfo.InvariantCulture, $"terminal too small ({screen.Cols}x{screen.Rows})", out var length);
        CentreWrapped(screen, 0, 0, screen.Cols, rows, text[..length], Quiet);
    }

    private static void DrawTile(ScreenBuffer screen, TileSlot slot, TileView tile, bool active, bool colour, ColorMode colors)
    {
        Span<char> label = stackalloc char[LabelCapacity];
        var length = LabelOf(tile, label);

        if (active)
        {
            // A bar across the whole tile, arrows at its ends: seen at a glance, with or without colour.
            var bar = ActiveBar(colour);
            screen.Fill(slot.Left, slot.Top, slot.Width, 1, new ScreenCell(' ', bar));
            if (slot.Width >= 6)
            {
                screen[slot.Left, slot.Top] = new ScreenCell('▶', bar);
                screen[slot.Left + slot.Width - 1, slot.Top] = new ScreenCell('◀', bar);
                Centre(screen, slot.Left + 2, slot.Top, slot.Width - 4, label[..length], bar);
            }
            else
            {
                Centre(screen, slot.Left, slot.Top, slot.Width, label[..length], bar);
            }
        }
        else
        {
            Centre(screen, slot.Left, slot.Top, slot.Width, label[..length], tile.Speaking ? SpeakingLabel : Label);
        }

        if (slot.PictureRows == 0)
        {
            return; // the self-view's label alone
        }

        if (tile.State == TileState.Live && tile.Picture is { } picture)
        {
            DrawPicture(screen, slot, picture, colors);
        }
        else
        {
            CentreWrapped(screen, slot.PictureLeft, slot.PictureTop, slot.PictureCols, slot.PictureRows,
                tile.State switch
                {
                    TileState.Connecting => "connecting...",
                    TileState.CameraLost => "camera lost",
                    TileState.Starting => "starting video...",
                    _ => "no video",
                }, Quiet);
        }
    }

    /// <summary>A tile's label (name, you, muted, state) into <paramref name="label"/>; returns its length, cut with "…".</summary>
    private static int LabelOf(TileView tile, Span<char> label)
    {
        var length = Append(label, 0, tile.Name);
        length = Append(label, length, tile.IsSelf ? " (you)" : string.Empty);
        length = Append(label, length, tile.Muted ? " [muted]" : string.Empty);
        length = Append(label, length, tile.State switch
        {
            TileState.Connecting => " - connecting",
            TileState.NoVideo => " - no video",
            TileState.CameraLost => " - camera lost",
            TileState.Starting => " - starting video",
            _ => string.Empty,
        });
        if (length > label.Length)
        {
            label[^1] = '…';
            length = label.Length;
        }

        return length;
    }

    private static void DrawPicture(ScreenBuffer screen, TileSlot slot, CellGrid picture, ColorMode colors)
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
                screen[left + c, top + r] = CellOf(picture, sourceCol + c, sourceRow + r, colors);
            }
        }
    }

    private static void DrawStatus(ScreenBuffer screen, string status)
    {
        var row = screen.Rows - 1;
        screen.Fill(0, row, screen.Cols, 1, new ScreenCell(' ', Status));
        var run = new TextRun(screen, row, 1, screen.Cols - 1);
        run.Add(status, Status);
        run.Finish();
    }
}
