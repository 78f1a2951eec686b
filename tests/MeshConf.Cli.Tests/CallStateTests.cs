using MeshConf.Cli.Call;
using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

public sealed class CallStateTests
{
    private static string Text(ScreenBuffer screen)
    {
        var rows = new List<string>();
        for (var r = 0; r < screen.Rows; r++)
        {
            var chars = new char[screen.Cols];
            for (var c = 0; c < screen.Cols; c++)
            {
                chars[c] = screen[c, r].Glyph;
            }

            rows.Add(new string(chars));
        }

        return string.Join('\n', rows);
    }

    // A mono picture of one glyph (of the mono set) everywhere: what the screen draws, not how a frame converts.
    private static CellGrid Picture(int cols, int rows, char glyph)
    {
        Assert.Contains(glyph, FrameConverter.MonoRamp);
        var grid = new CellGrid(cols, rows, CellMode.Mono);
        grid.ForegroundStorage.Fill(glyph);
        return grid;
    }

    [Fact]
    public void Given_two_peers_When_composed_Then_both_tiles_are_named_and_each_peer_gets_the_size_it_is_drawn_at()
    {
        var state = new CallState("s1", "carol", "a1b2-c3d4-e5f6-0718", CellMode.Mono, selfHasVideo: false, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        state.AddPeer(2, "bob");
        var screen = new ScreenBuffer(120, 40);

        var sizes = state.Compose(screen);

        Assert.Equal([1ul, 2ul], sizes.Select(s => s.Id));
        Assert.All(sizes, s => Assert.True(s.Cols >= 8 && s.Rows >= 3, $"{s.Cols}x{s.Rows}"));
        var text = Text(screen);
        Assert.Contains("alice", text, StringComparison.Ordinal);
        Assert.Contains("bob", text, StringComparison.Ordinal);
        Assert.Contains("carol (you) - no video", text, StringComparison.Ordinal);
        Assert.Contains("s1 | 2 peers | ?: keys  q: leave | you: carol a1b2-c3d4-e5f6-0718", text, StringComparison.Ordinal);
        Assert.Contains("connecting...", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_smaller_screen_When_composed_again_Then_the_requested_sizes_shrink()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.TrueColor, selfHasVideo: true, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        var big = state.Compose(new ScreenBuffer(160, 50)).Single();
        var small = state.Compose(new ScreenBuffer(60, 20)).Single();

        Assert.True(small.Cols < big.Cols && small.Rows < big.Rows, $"{big} then {small}");
        Assert.NotEqual((0, 0), state.SelfSize);
    }

    [Fact]
    public void Given_pictures_and_source_states_When_composed_Then_live_tiles_show_pictures_and_a_lost_camera_says_so()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: true, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        state.AddPeer(2, "bob");
        var screen = new ScreenBuffer(120, 40);
        var sizes = state.Compose(screen);
        var alice = sizes.Single(s => s.Id == 1);

        state.SetPicture(1, Picture(alice.Cols, alice.Rows, '@'));
        state.SetPeerSource(2, VideoSourceState.Lost);
        state.SwapSelfPicture(Picture(state.SelfSize.Cols, state.SelfSize.Rows, '@'));
        state.Compose(screen);

        var text = Text(screen);
        Assert.Contains(new string('@', alice.Cols), text, StringComparison.Ordinal);
        Assert.Contains("bob - camera lost", text, StringComparison.Ordinal);
        Assert.DoesNotContain("no video", text, StringComparison.Ordinal);
        Assert.DoesNotContain("starting video", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_frame_When_the_decoder_reuses_its_grid_Then_the_tile_keeps_the_copy_it_was_given()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: false, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        var screen = new ScreenBuffer(80, 30);
        var size = state.Compose(screen).Single();
        var decoded = Picture(size.Cols, size.Rows, '@');

        state.SetPicture(1, decoded);
        Picture(size.Cols, size.Rows, ' ').CopyTo(decoded); // the decoder moves on
        state.Compose(screen);

        Assert.Contains(new string('@', size.Cols), Text(screen), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_notice_When_time_passes_Then_it_shows_and_then_fades()
    {
        var time = new ManualTimeProvider();
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: false, time);
        var changes = 0;
        state.Changed = () => changes++;
        var screen = new ScreenBuffer(120, 20);

        state.Notify("bob left (bye)");
        state.Compose(screen);
        Assert.Contains("| bob left (bye)", Text(screen), StringComparison.Ordinal);
        Assert.Equal(1, changes);

        time.Advance(TimeSpan.FromSeconds(9));
        state.Compose(screen);
        Assert.DoesNotContain("bob left", Text(screen), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_peer_that_left_When_its_late_frame_arrives_Then_it_is_ignored()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: false, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        state.RemovePeer(1);

        state.SetPicture(1, Picture(10, 5, '@'));
        var screen = new ScreenBuffer(80, 30);

        Assert.Empty(state.Compose(screen));
        Assert.DoesNotContain("alice", Text(screen), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_peer_named_with_escape_sequences_When_composed_Then_its_label_notice_and_chat_are_inert()
    {
        var time = new ManualTimeProvider();
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: false, time);
        const string Hostile = "\u001b[2Jmal\u0007lory\u009b31m";
        state.AddPeer(1, Hostile);
        state.Notify($"{Hostile} joined");
        state.AddChat(Hostile, "\u001b]2;pwned\u0007hi\u001b[31m\u202Eevil\r\nnext", isOwn: false);
        var screen = new ScreenBuffer(120, 40);

        state.Compose(screen);

        var text = Text(screen);
        Assert.DoesNotContain(text, c => char.IsControl(c) && c != '\n');
        Assert.DoesNotContain('\u202E', text);
        Assert.Contains("?[2Jmal?lory?31m", text, StringComparison.Ordinal);
        Assert.Contains("?]2;pwned?hi?[31m?evil next", text, StringComparison.Ordinal);
        Assert.Contains("?[2Jmal?lory?31m joined", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_chat_lines_When_time_passes_Then_the_strip_shows_them_and_then_gives_the_room_back_unless_typing()
    {
        var time = new ManualTimeProvider();
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: false, time);
        state.AddPeer(1, "alice");
        state.AddChat("alice", "first line", isOwn: false);
        state.AddChat("carol", "my answer", isOwn: true);
        var screen = new ScreenBuffer(100, 30);

        state.Compose(screen);
        Assert.Contains("alice: first line", Text(screen), StringComparison.Ordinal);
        Assert.Contains("carol: my answer", Text(screen), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(31));
        state.Compose(screen);
        Assert.DoesNotContain("first line", Text(screen), StringComparison.Ordinal);

        state.SetInput(new ChatInput("typing", 6));
        state.Compose(screen);
        Assert.Contains("first line", Text(screen), StringComparison.Ordinal);
        Assert.Contains("> typing", Text(screen), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_peers_speaking_When_the_layout_is_speaker_Then_the_loudest_is_featured_and_stays_so_after_it_stops()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: false, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        state.AddPeer(2, "bob");
        Assert.Equal(LayoutMode.Speaker, state.ToggleLayout());
        var screen = new ScreenBuffer(160, 48);

        state.SetPeerAudio(1, muted: false, speaking: true, levelDbfs: -30);
        state.SetPeerAudio(2, muted: false, speaking: true, levelDbfs: -12);
        var loud = state.Compose(screen).ToDictionary(s => s.Id, s => s.Cols * s.Rows);
        state.SetPeerAudio(1, muted: false, speaking: false, levelDbfs: -70);
        state.SetPeerAudio(2, muted: false, speaking: false, levelDbfs: -70);
        var after = state.Compose(screen).ToDictionary(s => s.Id, s => s.Cols * s.Rows);
        state.SetPeerAudio(1, muted: false, speaking: true, levelDbfs: -20);
        var switched = state.Compose(screen).ToDictionary(s => s.Id, s => s.Cols * s.Rows);

        Assert.True(loud[2] > 2 * loud[1], $"bob {loud[2]} cells, alice {loud[1]}");
        Assert.Equal(loud, after);
        Assert.True(switched[1] > 2 * switched[2], $"alice {switched[1]} cells, bob {switched[2]}");
        Assert.Equal(LayoutMode.Grid, state.ToggleLayout());
        var grid = state.Compose(screen);
        Assert.Equal(grid[0].Cols * grid[0].Rows, grid[1].Cols * grid[1].Rows);
    }

    [Fact]
    public void Given_the_colour_key_When_pressed_four_times_Then_every_mode_comes_round_and_the_overlays_toggle()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.TrueColor, selfHasVideo: false, new ManualTimeProvider());

        Assert.Equal([CellMode.Ansi256, CellMode.Ansi16, CellMode.Mono, CellMode.TrueColor], Enumerable.Range(0, 4).Select(_ => state.CycleMode()));
        state.ToggleOverlay(CallOverlay.Stats);
        Assert.Equal(CallOverlay.Stats, state.Overlay);
        state.ToggleOverlay(CallOverlay.Help);
        Assert.Equal(CallOverlay.Help, state.Overlay);
        state.ToggleOverlay(CallOverlay.Help);
        Assert.Equal(CallOverlay.None, state.Overlay);
    }

    [Theory]
    [InlineData(CellMode.Quadrant)]
    [InlineData(CellMode.Sextant)]
    [InlineData(CellMode.GlyphColor)]
    public void Given_a_block_or_glyph_rendering_When_the_colour_key_is_pressed_Then_it_goes_to_half_blocks_to_mono_and_back(CellMode mode)
    {
        var state = new CallState("s1", "carol", "fp", mode, selfHasVideo: false, new ManualTimeProvider());

        Assert.Equal([CellMode.TrueColor, CellMode.Mono, mode], Enumerable.Range(0, 3).Select(_ => state.CycleMode()));
    }

    [Fact]
    public void Given_stats_When_the_overlay_is_shown_Then_each_peer_has_a_row_with_its_figures_and_fingerprint()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.Mono, selfHasVideo: false, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        state.SetStats([new PeerStatsRow("alice", 1.5, 0, 42, 35.6, 104.2, 15, "a1b2-c3d4-e5f6-0718"), new PeerStatsRow("bob\u001b[2J")]);
        state.ToggleOverlay(CallOverlay.Stats);
        var screen = new ScreenBuffer(120, 40);

        state.Compose(screen);

        var text = Text(screen);
        Assert.Contains("rtt ms", text, StringComparison.Ordinal);
        var alice = text.Split('\n').Single(l => l.Contains("a1b2-c3d4-e5f6-0718", StringComparison.Ordinal));
        Assert.Matches(@"alice\s+2\s+0\.0\s+42\s+36\s+104\s+15\s+a1b2-c3d4-e5f6-0718", alice);
        Assert.Contains("bob?[2J", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_one_peer_on_120x36_When_composed_Then_it_is_asked_for_90x34_and_your_picture_is_the_inset_until_p_hides_it()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.TrueColor, selfHasVideo: true, new ManualTimeProvider());
        state.AddPeer(1, "alice");
        var screen = new ScreenBuffer(120, 36);

        Assert.Equal((1ul, 90, 34), state.Compose(screen).Single());
        Assert.Equal((24, 9), state.SelfSize);

        Assert.Equal(SelfViewMode.Hidden, state.ToggleSelfView());
        Assert.Equal((1ul, 90, 34), state.Compose(screen).Single());
        Assert.Equal((0, 0), state.SelfSize); // nothing to convert for
        Assert.DoesNotContain("(you)", Text(screen), StringComparison.Ordinal);

        Assert.Equal(SelfViewMode.Inset, state.ToggleSelfView());
        state.Compose(screen);
        Assert.Equal((24, 9), state.SelfSize);
    }

    [Fact]
    public void Given_no_peers_When_composed_Then_your_view_fills_the_screen()
    {
        var state = new CallState("s1", "carol", "fp", CellMode.TrueColor, selfHasVideo: true, new ManualTimeProvider());

        Assert.Empty(state.Compose(new ScreenBuffer(120, 36)));
        Assert.Equal((90, 34), state.SelfSize);
    }
}
