using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Tests.Call;

/// <summary>Your own view beside others: a picture-in-picture inset, its label alone, or hidden; alone, the whole screen.</summary>
public sealed class CallCompositorSelfViewTests
{
    private static CellGrid Mono(int cols, int rows, char glyph)
    {
        var grid = new CellGrid(cols, rows, CellMode.Mono);
        grid.ForegroundStorage.Fill(glyph);
        return grid;
    }

    private static TileView[] Call(int peers, TileView self) =>
        [.. Enumerable.Range(0, peers).Select(i => new TileView($"peer{i}", TileState.Live, Mono(200, 100, (char)('a' + i)))), self];

    private static TileView LiveSelf(bool muted = true) => new("me", TileState.Live, Mono(24, 9, '@'), IsSelf: true, Muted: muted);

    /// <summary>Cells showing <paramref name="glyph"/> above the status line.</summary>
    private static int Count(ScreenBuffer screen, char glyph)
    {
        var count = 0;
        for (var r = 0; r < screen.Rows - 1; r++)
        {
            for (var c = 0; c < screen.Cols; c++)
            {
                count += screen[c, r].Glyph == glyph ? 1 : 0;
            }
        }

        return count;
    }

    [Fact]
    public void Given_one_peer_on_120x36_When_composed_Then_its_picture_is_90x34_and_yours_is_an_inset_in_the_bottom_right_corner()
    {
        var (screen, terminal, slots) = CallScreenSnapshotTests.Render(new CallView(Call(1, LiveSelf()), "status") { PictureMode = CellMode.Mono }, 120, 36);

        Assert.Equal((90, 34), (slots[0].PictureCols, slots[0].PictureRows)); // 58x22 while you were a tile of your own
        var inset = slots[1];
        Assert.Equal((96, 25, 24, 10), (inset.Left, inset.Top, inset.Width, inset.Height));
        Assert.Equal("me (you) [muted]", terminal.RowText(25)[96..].Trim());
        for (var r = 26; r < 35; r++)
        {
            Assert.Equal(new string('@', 24), terminal.RowText(r)[96..]);
        }

        Assert.Equal(24 * 9, Count(screen, '@'));

        // The peer's picture shows everywhere but under the inset (whose label row is opaque), its label and the status untouched.
        Assert.Equal((90 * 34) - (9 * 10), Count(screen, 'a'));
        Assert.Equal("peer0", terminal.RowText(0).Trim());
        Assert.StartsWith(" status", terminal.RowText(35), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "me (you) [muted] - no video")]
    [InlineData(true, "me (you) - camera lost")]
    public void Given_no_video_of_yours_When_composed_Then_your_view_is_its_label_alone_on_the_bottom_row(bool lost, string label)
    {
        var state = lost ? TileState.CameraLost : TileState.NoVideo;
        var self = new TileView("me", state, IsSelf: true, Muted: state == TileState.NoVideo);
        var (_, terminal, slots) = CallScreenSnapshotTests.Render(new CallView(Call(2, self), "status") { PictureMode = CellMode.Mono }, 80, 24);

        Assert.Equal(new TileSlot(80 - label.Length, 22, label.Length, 1, 80 - label.Length, 23, 0, 0), slots[2]);
        Assert.EndsWith(label, terminal.RowText(22).TrimEnd(), StringComparison.Ordinal);
        Assert.Single(terminal.Text().Split('\n'), line => line.Contains("(you)", StringComparison.Ordinal));
        Assert.DoesNotContain("no video\n", terminal.Text().Replace(label, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal); // no placeholder tile
        Assert.True(TileLayout.TryCompute(80, 23, 2, CallCompositor.CellAspect, out var grid));
        Assert.Equal(grid, slots[..2]);
    }

    [Fact]
    public void Given_the_self_view_hidden_When_composed_Then_you_are_not_drawn_and_your_slot_is_empty()
    {
        var (screen, terminal, slots) = CallScreenSnapshotTests.Render(new CallView(Call(1, LiveSelf()), "status") { PictureMode = CellMode.Mono, SelfView = SelfViewMode.Hidden }, 120, 36);

        Assert.Equal(default, slots[1]);
        Assert.DoesNotContain("(you)", terminal.Text(), StringComparison.Ordinal);
        Assert.Equal(0, Count(screen, '@'));
        Assert.Equal(90 * 34, Count(screen, 'a'));
    }

    [Fact]
    public void Given_you_alone_When_composed_Then_your_view_is_the_whole_screen_even_if_hidden()
    {
        var shown = CallCompositor.Compose(new ScreenBuffer(120, 36), new CallView([LiveSelf()], "s"));
        var hidden = CallCompositor.Compose(new ScreenBuffer(120, 36), new CallView([LiveSelf()], "s") { SelfView = SelfViewMode.Hidden });

        Assert.True(TileLayout.TryCompute(120, 35, 1, CallCompositor.CellAspect, out var alone));
        Assert.Equal(alone, shown);
        Assert.Equal(alone, hidden);
    }

    [Fact]
    public void Given_chat_lines_When_composed_Then_the_inset_sits_above_the_strip()
    {
        var view = new CallView(Call(1, LiveSelf()), "status") { PictureMode = CellMode.Mono, Chat = [new("peer0", "hello"), new("me", "hi", IsOwn: true)] };
        var (_, terminal, slots) = CallScreenSnapshotTests.Render(view, 120, 36);

        Assert.Equal(33, slots[1].Top + slots[1].Height);
        Assert.StartsWith(" peer0: hello", terminal.RowText(33), StringComparison.Ordinal);
        Assert.StartsWith("»me: hi", terminal.RowText(34), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Given_peers_in_either_layout_When_composed_Then_no_remote_label_is_covered_and_remote_pictures_are_at_least_as_big_as_before(int peers)
    {
        foreach (var layout in new[] { LayoutMode.Grid, LayoutMode.Speaker })
        {
            foreach (var (cols, rows) in new[] { (120, 36), (80, 24) })
            {
                var (_, terminal, slots) = CallScreenSnapshotTests.Render(new CallView(Call(peers, LiveSelf()), "status") { PictureMode = CellMode.Mono, Layout = layout, Featured = 0 }, cols, rows);

                // Before: you were one more tile in the same layout.
                var before = new TileSlot[TileLayout.MaxTiles];
                var featuredBefore = layout == LayoutMode.Speaker && TileLayout.TryComputeSpeaker(cols, rows - 1, peers + 1, 0, CallCompositor.CellAspect, before);
                Assert.True(featuredBefore || TileLayout.TryCompute(cols, rows - 1, peers + 1, CallCompositor.CellAspect, before));
                for (var i = 0; i < peers; i++)
                {
                    Assert.True(slots[i].PictureArea >= before[i].PictureArea, $"{layout} {cols}x{rows}: peer{i} {before[i]} then {slots[i]}");
                    Assert.Contains($"peer{i}", terminal.RowText(slots[i].Top), StringComparison.Ordinal);
                }

                Assert.Contains("me (you)", terminal.Text(), StringComparison.Ordinal);
                TestContext.Current.TestOutputHelper?.WriteLine($"{layout} {cols}x{rows}, {peers} peers: {string.Join(", ", Enumerable.Range(0, peers).Select(i => $"{before[i].PictureCols}x{before[i].PictureRows} -> {slots[i].PictureCols}x{slots[i].PictureRows}"))}; self {before[peers].PictureCols}x{before[peers].PictureRows} -> {slots[peers].PictureCols}x{slots[peers].PictureRows}");
            }
        }
    }
}
