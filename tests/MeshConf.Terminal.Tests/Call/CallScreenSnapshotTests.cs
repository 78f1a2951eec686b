using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;
using MeshConf.Terminal.Tests.Screen;

namespace MeshConf.Terminal.Tests.Call;

/// <summary>
/// Each element of the call screen rendered to bytes, parsed back by the independent parser and compared with
/// a text snapshot (trailing blanks trimmed) and, where the style is the point, cell by cell.
/// </summary>
public sealed class CallScreenSnapshotTests
{
    private static readonly TileView[] Tiles =
    [
        new("ana", TileState.Connecting),
        new("bo", TileState.NoVideo, Speaking: true),
        new("cy", TileState.Starting, IsSelf: true),
        new("dee with a long name here", TileState.CameraLost, Muted: true),
    ];

    private static readonly ChatStripLine[] Chat =
    [
        new("ana", "hello there"),
        new("cy", "hi ana!", IsOwn: true),
        new("bo", "a very long line that goes on and on and on and on past the edge"),
    ];

    private static readonly PeerStatsRow[] Stats =
    [
        new("ana", 23.4, 0.5, 60, 32.1, 412.7, 15, "a1b2-c3d4-e5f6-0718"),
        new("bo-the-builder-of-things", null, 12.25, 80, 31, 0, 7.5, "ffff-0000-1111-2222"),
        new("cy", double.NaN),
    ];

    private static readonly CellAttributes Bar = CellAttributes.Bold | CellAttributes.Reverse;

    internal static (ScreenBuffer Screen, AnsiScreenParser Terminal, TileSlot[] Slots) Render(CallView view, int cols, int rows)
    {
        var screen = new ScreenBuffer(cols, rows);
        var slots = CallCompositor.Compose(screen, view);
        var terminal = new AnsiScreenParser(cols, rows);
        terminal.Apply(AnsiScreenWriter.RenderToArray(null, screen));
        terminal.AssertEquals(screen);
        return (screen, terminal, slots);
    }

    [Fact]
    public void Given_an_active_speaker_in_the_grid_When_rendered_in_mono_Then_its_label_is_a_reversed_bar_across_the_tile()
    {
        var (_, terminal, slots) = Render(new CallView(Tiles[..2], "s1 | 2 peers") { ActiveSpeaker = 0, PictureMode = CellMode.Mono }, 48, 10);

        Assert.Equal(
            """
            ▶   ana - connecting   ◀     bo - no video



                 connecting...             no video




             s1 | 2 peers
            """, terminal.Text());
        for (var c = slots[0].Left; c < slots[0].Left + slots[0].Width; c++)
        {
            Assert.Equal(Bar, terminal[c, slots[0].Top].Style.Attributes);
            Assert.Equal(TermColor.Default, terminal[c, slots[0].Top].Style.Foreground);
        }

        // The other tile is speaking, not the active speaker: its name alone is reversed, no bar, no arrows.
        Assert.Equal(CellAttributes.None, terminal[slots[1].Left, slots[1].Top].Style.Attributes);
        Assert.Equal(Bar, terminal[terminal.RowText(0).IndexOf("bo", StringComparison.Ordinal), 0].Style.Attributes);
    }

    [Fact]
    public void Given_an_active_speaker_in_colour_When_rendered_Then_the_bar_is_bright_yellow()
    {
        var (_, terminal, slots) = Render(new CallView(Tiles, "s") { ActiveSpeaker = 3, PictureMode = CellMode.Ansi256 }, 80, 24);

        var slot = slots[3];
        Assert.Equal('▶', terminal[slot.Left, slot.Top].Glyph);
        Assert.Equal('◀', terminal[slot.Left + slot.Width - 1, slot.Top].Glyph);
        Assert.All(Enumerable.Range(slot.Left, slot.Width), c => Assert.Equal(new CellStyle(TermColor.Ansi16(11), TermColor.Default, Bar), terminal[c, slot.Top].Style));
        Assert.All(slots[..3], other => Assert.NotEqual(Bar, terminal[other.Left, other.Top].Style.Attributes));
    }

    [Fact]
    public void Given_the_speaker_layout_When_rendered_Then_the_featured_tile_is_large_and_the_others_are_in_a_strip()
    {
        var (_, terminal, slots) = Render(new CallView(Tiles, "s1 | 4 peers") { Layout = LayoutMode.Speaker, Featured = 1, ActiveSpeaker = 1 }, 64, 16);

        Assert.Equal(
            """
                 ▶           bo - no video           ◀ana - connecting


                                                       connecting...



                               no video               dee with a long…


                                                        camera loscy (you) …

                                                                   starting
                                                                   video...

             s1 | 4 peers
            """, terminal.Text());
        Assert.All(new[] { slots[0], slots[3] }, thumb =>
        {
            Assert.True(slots[1].PictureArea >= 4 * thumb.PictureArea, $"{slots[1]} vs {thumb}");
            Assert.True(thumb.Left >= slots[1].Left + slots[1].Width, $"{thumb} not in the strip");
        });

        // Your own view is no thumbnail but an inset in the bottom-right corner, over the strip, under no label.
        Assert.Equal((64, 15), (slots[2].Left + slots[2].Width, slots[2].Top + slots[2].Height));
        Assert.True(slots[2].Top > slots[3].Top);
    }

    [Fact]
    public void Given_the_speaker_layout_without_a_featured_index_When_composed_Then_the_active_speaker_is_featured()
    {
        var slots = CallCompositor.Compose(new ScreenBuffer(120, 40), new CallView(Tiles, "s") { Layout = LayoutMode.Speaker, ActiveSpeaker = 3 });

        Assert.All(new[] { slots[0], slots[1], slots[2] }, thumb => Assert.True(slots[3].PictureArea > thumb.PictureArea));
    }

    [Fact]
    public void Given_you_are_the_active_speaker_in_the_speaker_layout_When_composed_Then_a_peer_is_featured_and_you_stay_an_inset()
    {
        var slots = CallCompositor.Compose(new ScreenBuffer(120, 40), new CallView(Tiles, "s") { Layout = LayoutMode.Speaker, ActiveSpeaker = 2 });

        Assert.All(new[] { slots[1], slots[2], slots[3] }, other => Assert.True(slots[0].PictureArea > other.PictureArea, $"{slots[0]} vs {other}"));
        Assert.True(slots[2].PictureCols < 40, $"{slots[2]} is no inset");
    }

    [Fact]
    public void Given_the_speaker_layout_on_a_screen_too_small_for_it_When_composed_Then_the_grid_is_used()
    {
        var speaker = CallCompositor.Compose(new ScreenBuffer(18, 5), new CallView(Tiles[..2], "s") { Layout = LayoutMode.Speaker, Featured = 0 });
        var grid = CallCompositor.Compose(new ScreenBuffer(18, 5), new CallView(Tiles[..2], "s"));

        Assert.Equal(2, speaker.Length);
        Assert.Equal(grid, speaker);
    }

    [Fact]
    public void Given_chat_and_input_When_rendered_Then_the_strip_shows_the_last_lines_and_the_cursor_above_the_status()
    {
        var (_, terminal, slots) = Render(new CallView(Tiles[..1], "s1") { Chat = Chat, Input = new ChatInput("hi all", 2), PictureMode = CellMode.Mono }, 40, 19);

        Assert.Equal(
            """
                        ana - connecting






                         connecting...







            »cy: hi ana!
             bo: a very long line that goes on and …
            > hi all
             s1
            """, terminal.Text());
        Assert.True(slots[0].Top + slots[0].Height <= 15, $"{slots[0]} reaches into the strip");
        Assert.Equal(CellAttributes.Dim, terminal[1, 15].Style.Attributes); // own line: dim throughout
        Assert.Equal(CellAttributes.Dim, terminal[6, 15].Style.Attributes);
        Assert.Equal(CellAttributes.Bold, terminal[1, 16].Style.Attributes); // another's name: bold
        Assert.Equal(CellAttributes.None, terminal[6, 16].Style.Attributes);
        Assert.Equal(CellAttributes.Bold, terminal[0, 17].Style.Attributes); // the prompt
        Assert.Equal(new ScreenCell(' ', new CellStyle(TermColor.Default, TermColor.Default, CellAttributes.Reverse)), terminal[4, 17]);
        Assert.Equal(CellAttributes.None, terminal[3, 17].Style.Attributes);
    }

    [Theory]
    [InlineData(6, "> a long input line that scrol", 8)]
    [InlineData(33, "> …input line that scrolls too", 29)]
    [InlineData(34, "> …nput line that scrolls too", 29)]
    [InlineData(99, "> …nput line that scrolls too", 29)]
    public void Given_a_long_input_When_rendered_Then_it_scrolls_to_keep_the_cursor_visible(int cursor, string expected, int cursorCol)
    {
        const string typed = "a long input line that scrolls too";
        var (_, terminal, _) = Render(new CallView([], "s") { Input = new ChatInput(typed, cursor) }, 30, 12);

        Assert.Equal(expected, terminal.RowText(10).TrimEnd());
        Assert.Equal(CellAttributes.Reverse, terminal[cursorCol, 10].Style.Attributes);
        Assert.Single(Enumerable.Range(0, 30), c => terminal[c, 10].Style.Attributes == CellAttributes.Reverse);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(19, 3)]
    [InlineData(24, 3)]
    [InlineData(40, 5)]
    [InlineData(80, 5)]
    public void Given_more_chat_than_fits_When_composed_Then_the_strip_grows_with_the_terminal_up_to_five_rows(int rows, int expectedStripRows)
    {
        var chat = Enumerable.Range(1, 9).Select(i => new ChatStripLine("ana", $"line {i}")).ToArray();
        var (_, terminal, _) = Render(new CallView([], "s") { Chat = chat }, 30, rows);

        var strip = Enumerable.Range(0, rows - 1).Where(r => terminal.RowText(r).StartsWith(" ana: line ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Enumerable.Range(rows - 1 - expectedStripRows, expectedStripRows), strip);
        Assert.Equal(" ana: line 9", terminal.RowText(rows - 2).TrimEnd());
    }

    [Fact]
    public void Given_no_chat_and_no_input_When_composed_Then_there_is_no_strip_and_the_tiles_get_the_rows()
    {
        var without = CallCompositor.Compose(new ScreenBuffer(120, 40), new CallView(Tiles[..1], "s"));
        var with = CallCompositor.Compose(new ScreenBuffer(120, 40), new CallView(Tiles[..1], "s") { Chat = Chat });

        // Wide enough that height limits the picture: it takes every row above the status (or the strip).
        Assert.Equal(39, without[0].Top + without[0].Height);
        Assert.Equal(36, with[0].Top + with[0].Height);
    }

    [Fact]
    public void Given_help_When_rendered_Then_the_keys_the_colour_mode_and_the_layout_show_in_a_centred_box()
    {
        var (_, terminal, _) = Render(new CallView(Tiles[..1], "s1") { Overlay = CallOverlay.Help, PictureMode = CellMode.Ansi16 }, 44, 14);

        Assert.Equal(
            """
               ┌─ keys ────────────────────────────┐
               │ m       mute / unmute             │
               │ v       camera on / off           │
               │ c       cycle colour mode         │
               │ l       grid or speaker layout    │
               │ p       self-view on / off        │
               │ s       stats overlay             │
               │ Enter   type a chat line          │
               │ ?       this help                 │
               │ q       leave (or Ctrl-C)         │
               │                                   │
               │ colour: 16 colours   layout: grid │
               └───────────────────────────────────┘
             s1
            """, terminal.Text());
    }

    [Theory]
    [InlineData(CellMode.Mono, true, "colour: mono   layout: speaker")]
    [InlineData(CellMode.TrueColor, false, "colour: truecolor   layout: grid")]
    [InlineData(CellMode.Ansi256, true, "colour: 256 colours   layout: speaker")]
    public void Given_help_in_each_mode_When_rendered_Then_it_names_the_mode_and_layout(CellMode mode, bool speaker, string expected)
    {
        var view = new CallView(Tiles, "s") { Overlay = CallOverlay.Help, PictureMode = mode, Layout = speaker ? LayoutMode.Speaker : LayoutMode.Grid };
        var (_, terminal, _) = Render(view, 80, 24);

        Assert.Contains(expected, terminal.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_stats_on_a_wide_terminal_When_rendered_Then_all_columns_align_and_missing_figures_show_a_dash()
    {
        var (_, terminal, _) = Render(new CallView(Tiles, "s") { Overlay = CallOverlay.Stats, Stats = Stats }, 80, 24);

        var lines = terminal.Text().Split('\n');
        var top = Array.FindIndex(lines, l => l.Contains("─ stats ─", StringComparison.Ordinal));
        Assert.Equal(
            """
            ┌─ stats ──────────────────────────────────────────────────────────────────────┐
            │ peer        rtt ms  loss %  jb ms  a kb/s  v kb/s   fps  fingerprint         │
            │ ana             23     0.5     60      32     413    15  a1b2-c3d4-e5f6-0718 │
            │ bo-the-bu…       -    12.3     80      31       0     8  ffff-0000-1111-2222 │
            │ cy               -       -      -       -       -     -  -                   │
            └──────────────────────────────────────────────────────────────────────────────┘
            """, string.Join('\n', lines[top..(top + 6)]));
    }

    [Fact]
    public void Given_stats_on_a_narrower_terminal_When_rendered_Then_the_fingerprint_goes_before_any_figure()
    {
        var (_, terminal, _) = Render(new CallView(Tiles[..1], "s1") { Overlay = CallOverlay.Stats, Stats = Stats }, 60, 8);

        Assert.Equal(
            """
            ┌─ stats ─────────────────────────────────────────────────┐
            │ peer        rtt ms  loss %  jb ms  a kb/s  v kb/s   fps │
            │ ana             23     0.5     60      32     413    15 │
            │ bo-the-bu…       -    12.3     80      31       0     8 │
            │ cy               -       -      -       -       -     - │
            └─────────────────────────────────────────────────────────┘

             s1
            """, terminal.Text());
    }

    [Fact]
    public void Given_stats_on_a_tiny_terminal_When_rendered_Then_names_are_cut_and_columns_dropped_from_the_right()
    {
        var (_, terminal, _) = Render(new CallView(Tiles, "s") { Overlay = CallOverlay.Stats, Stats = Stats }, 20, 6);

        Assert.Equal(
            """
             ┌─ stats ────────┐
             │ peer    rtt ms │
             │ ana         23 │
             │ bo-th…       - │
             └────────────────┘
             s
            """, terminal.Text());
    }

    [Fact]
    public void Given_stats_with_no_peers_When_rendered_Then_the_box_says_so()
    {
        var (_, terminal, _) = Render(new CallView([], "s") { Overlay = CallOverlay.Stats }, 80, 24);

        Assert.Contains("no peers yet", terminal.Text(), StringComparison.Ordinal);
    }
}
