using System.Globalization;
using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Call;

/// <summary>
/// The help and stats boxes: centred over everything above the status line, framed when there is room,
/// clipped when there is not.
/// </summary>
internal static partial class CallCompositor
{
    private const int KeyColumn = 8;
    private const int ColumnGap = 2;
    private const int MinNameWidth = 6;
    private const int ShortNameWidth = 10;
    private const int MaxNameWidth = 16;
    private const int MaxFingerprintWidth = 19;

    private static readonly CellStyle Frame = new(TermColor.Default, TermColor.Default, CellAttributes.Bold);
    private static readonly CellStyle Heading = new(TermColor.Default, TermColor.Default, CellAttributes.Bold);

    /// <summary>The keys in a call, as issue 7 lists them.</summary>
    private static readonly (string Key, string Action)[] Keys =
    [
        ("m", "mute / unmute"),
        ("v", "camera on / off"),
        ("c", "cycle colour mode"),
        ("l", "grid or speaker layout"),
        ("p", "self-view on / off"),
        ("s", "stats overlay"),
        ("Enter", "type a chat line"),
        ("?", "this help"),
        ("q", "leave (or Ctrl-C)"),
    ];

    /// <summary>Stats columns: header, width, right-aligned. The name and fingerprint widths follow the rows.</summary>
    private static readonly (string Header, int Width, bool Right)[] StatsColumns =
    [
        ("peer", MinNameWidth, false),
        ("rtt ms", 6, true),
        ("loss %", 6, true),
        ("jb ms", 5, true),
        ("a kb/s", 6, true),
        ("v kb/s", 6, true),
        ("fps", 4, true),
        ("fingerprint", 11, false),
    ];

    private static void DrawOverlay(ScreenBuffer screen, CallView view)
    {
        var height = screen.Rows - 1;
        if (height < 1)
        {
            return;
        }

        switch (view.Overlay)
        {
            case CallOverlay.Help:
                DrawHelp(screen, height, view);
                break;
            case CallOverlay.Stats:
                DrawStats(screen, height, view.Stats);
                break;
            default:
                break;
        }
    }

    private static void DrawHelp(ScreenBuffer screen, int height, CallView view)
    {
        var mode = ModeName(view.PictureMode);
        var layout = view.Layout == LayoutMode.Speaker ? "speaker" : "grid";
        var width = Math.Max(KeyColumn + 22, "colour: ".Length + mode.Length + "   layout: ".Length + layout.Length);
        var inner = OpenBox(screen, height, width, Keys.Length + 2, "keys");
        for (var i = 0; i < Keys.Length && i < inner.Rows; i++)
        {
            var run = new TextRun(screen, inner.Top + i, inner.Left, inner.Right);
            run.Add(Keys[i].Key, Heading);
            run.PadTo(inner.Left + KeyColumn, CellStyle.Plain);
            run.Add(Keys[i].Action, CellStyle.Plain);
            run.Finish();
        }

        if (inner.Rows >= Keys.Length + 2)
        {
            var run = new TextRun(screen, inner.Top + Keys.Length + 1, inner.Left, inner.Right);
            run.Add("colour: ", CellStyle.Plain);
            run.Add(mode, Heading);
            run.Add("   layout: ", CellStyle.Plain);
            run.Add(layout, Heading);
            run.Finish();
        }
    }

    private static string ModeName(CellMode mode) => mode switch
    {
        CellMode.Mono => "mono",
        CellMode.Ansi16 => "16 colours",
        CellMode.Ansi256 => "256 colours",
        CellMode.Quadrant => "quadrants",
        CellMode.Sextant => "sextants",
        CellMode.GlyphColor => "coloured glyphs",
        _ => "truecolor",
    };

    /// <summary>
    /// A table, columns aligned. When the box would be wider than the screen, long names are cut (to
    /// <see cref="ShortNameWidth"/>), then the fingerprint goes, then names are cut further (to
    /// <see cref="MinNameWidth"/>), then columns go from the right; what is still too wide is clipped at the box.
    /// </summary>
    private static void DrawStats(ScreenBuffer screen, int height, IReadOnlyList<PeerStatsRow> rows)
    {
        Span<int> widths = stackalloc int[StatsColumns.Length];
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] = StatsColumns[c].Width;
        }

        for (var r = 0; r < rows.Count; r++)
        {
            widths[0] = Math.Max(widths[0], Math.Min(MaxNameWidth, rows[r].Name.Length));
            widths[^1] = Math.Max(widths[^1], Math.Min(MaxFingerprintWidth, rows[r].Fingerprint?.Length ?? 0));
        }

        var limit = screen.Cols - 4; // the frame and a space inside it on either side
        var columns = widths.Length;
        widths[0] = Math.Max(Math.Min(widths[0], ShortNameWidth), widths[0] - Math.Max(0, TableWidth(widths) - limit));
        if (TableWidth(widths) > limit)
        {
            columns--;
            widths[0] = Math.Max(MinNameWidth, widths[0] - Math.Max(0, TableWidth(widths[..columns]) - limit));
        }

        while (columns > 1 && TableWidth(widths[..columns]) > limit)
        {
            columns--;
        }

        var inner = OpenBox(screen, height, TableWidth(widths[..columns]), 1 + Math.Max(1, rows.Count), "stats");
        if (inner.Rows < 1)
        {
            return;
        }

        var left = inner.Left;
        for (var c = 0; c < columns; c++)
        {
            Cell(screen, inner.Top, left, Math.Min(left + widths[c], inner.Right), StatsColumns[c].Header, StatsColumns[c].Right, Heading);
            left += widths[c] + ColumnGap;
        }

        if (rows.Count == 0 && inner.Rows > 1)
        {
            Cell(screen, inner.Top + 1, inner.Left, inner.Right, "no peers yet", alignRight: false, Quiet);
        }

        Span<char> figure = stackalloc char[24];
        for (var r = 0; r < rows.Count && r + 1 < inner.Rows; r++)
        {
            var row = rows[r];
            left = inner.Left;
            for (var c = 0; c < columns; c++)
            {
                ReadOnlySpan<char> text = c switch
                {
                    0 => row.Name,
                    1 => Figure(figure, row.RttMs, "0"),
                    2 => Figure(figure, row.LossPercent, "0.0"),
                    3 => Figure(figure, row.JitterBufferMs, "0"),
                    4 => Figure(figure, row.AudioKbps, "0"),
                    5 => Figure(figure, row.VideoKbps, "0"),
                    6 => Figure(figure, row.Fps, "0"),
                    _ => row.Fingerprint ?? "-",
                };
                Cell(screen, inner.Top + 1 + r, left, Math.Min(left + widths[c], inner.Right), text, StatsColumns[c].Right, CellStyle.Plain);
                left += widths[c] + ColumnGap;
            }
        }
    }

    private static int TableWidth(ReadOnlySpan<int> widths)
    {
        var total = (widths.Length - 1) * ColumnGap;
        foreach (var width in widths)
        {
            total += width;
        }

        return total;
    }

    /// <summary>A number as the table shows it, in <paramref name="buffer"/>; "-" when missing or not a number.</summary>
    private static ReadOnlySpan<char> Figure(Span<char> buffer, double? value, string format)
    {
        if (value is not { } number || !double.IsFinite(number) || !number.TryFormat(buffer, out var length, format, CultureInfo.InvariantCulture))
        {
            return "-";
        }

        return buffer[..length];
    }

    /// <summary>One table cell between <paramref name="left"/> and <paramref name="right"/>, cut with "…" when too long.</summary>
    private static void Cell(ScreenBuffer screen, int row, int left, int right, ReadOnlySpan<char> text, bool alignRight, CellStyle style)
    {
        var start = alignRight ? Math.Max(left, right - text.Length) : left;
        var run = new TextRun(screen, row, start, right);
        run.Add(text, style);
        run.Finish();
    }

    /// <summary>
    /// Clears a box for <paramref name="contentRows"/> lines of <paramref name="contentWidth"/> cells, centred
    /// in the top <paramref name="height"/> rows and no larger than they and the screen's width; framed, with
    /// <paramref name="title"/> in the top edge, when at least 5x3. Returns the area inside for the content.
    /// </summary>
    private static Area OpenBox(ScreenBuffer screen, int height, int contentWidth, int contentRows, string title)
    {
        var width = Math.Min(contentWidth + 4, screen.Cols);
        var rows = Math.Min(contentRows + 2, height);
        var left = (screen.Cols - width) / 2;
        var top = (height - rows) / 2;
        screen.Fill(left, top, width, rows, ScreenCell.Blank);
        if (width < 5 || rows < 3)
        {
            return new Area(left, top, width, rows);
        }

        var right = left + width - 1;
        var bottom = top + rows - 1;
        screen.Fill(left + 1, top, width - 2, 1, new ScreenCell('─', Frame));
        screen.Fill(left + 1, bottom, width - 2, 1, new ScreenCell('─', Frame));
        screen.Fill(left, top + 1, 1, rows - 2, new ScreenCell('│', Frame));
        screen.Fill(right, top + 1, 1, rows - 2, new ScreenCell('│', Frame));
        screen[left, top] = new ScreenCell('┌', Frame);
        screen[right, top] = new ScreenCell('┐', Frame);
        screen[left, bottom] = new ScreenCell('└', Frame);
        screen[right, bottom] = new ScreenCell('┘', Frame);
        var caption = new TextRun(screen, top, left + 2, right - 1);
        caption.Add(" ", Frame);
        caption.Add(title, Frame);
        caption.Add(" ", Frame);
        return new Area(left + 2, top + 1, Math.Max(0, width - 4), rows - 2);
    }

    /// <summary>A rectangle of cells.</summary>
    private readonly record struct Area(int Left, int Top, int Width, int Rows)
    {
        public int Right => Left + Width;
    }
}
