using MeshConf.Cli.Call;
using MeshConf.Core.Video;
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

    private static CellGrid Picture(int cols, int rows, char glyph)
    {
        var pixels = new byte[64 * 48 * 3];
        Array.Fill(pixels, (byte)(glyph == '@' ? 255 : 0));
        var grid = new CellGrid(cols, rows, CellMode.Mono);
        FrameConverter.Convert(new RgbFrame(pixels, 64, 48), grid, mirror: false);
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
        Assert.Contains("s1 | 2 peers | q: leave  m: mute | you: carol a1b2-c3d4-e5f6-0718", text, StringComparison.Ordinal);
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
}
