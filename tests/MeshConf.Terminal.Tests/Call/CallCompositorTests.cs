using MeshConf.Core.Video;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;
using MeshConf.Terminal.Tests.Screen;

namespace MeshConf.Terminal.Tests.Call;

public sealed class CallCompositorTests
{
    public static TheoryData<CellMode> Modes => [CellMode.Mono, CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16];

    private static CellGrid Picture(CellMode mode, int cols, int rows, int seed)
    {
        var random = new Random(seed);
        var grid = new CellGrid(cols, rows, mode);
        var foreground = grid.ForegroundStorage;
        var background = grid.BackgroundStorage;
        for (var i = 0; i < grid.Count; i++)
        {
            (foreground[i], background[i]) = mode switch
            {
                CellMode.Mono => (FrameConverter.MonoRamp[random.Next(FrameConverter.MonoRamp.Length)], 0u),
                CellMode.TrueColor => ((uint)random.Next(0x1000000), (uint)random.Next(0x1000000)),
                CellMode.Ansi256 => ((uint)random.Next(16, 256), (uint)random.Next(16, 256)),
                _ => ((uint)random.Next(16), (uint)random.Next(16)),
            };
        }

        return grid;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_two_live_tiles_When_composed_Then_pictures_labels_and_status_are_where_the_layout_says(CellMode mode)
    {
        var screen = new ScreenBuffer(120, 40);
        var slots = CallCompositor.Compose(screen, [new TileView("ana", TileState.Live, Picture(mode, 10, 4, 1)), new TileView("bo", TileState.Live, Picture(mode, 10, 4, 2), Speaking: true)],
            "session1 · 2 peers");

        Assert.Equal(2, slots.Length);
        var picture = Picture(mode, 10, 4, 2);
        var slot = slots[1];
        var left = slot.PictureLeft + ((slot.PictureCols - 10) / 2);
        var top = slot.PictureTop + ((slot.PictureRows - 4) / 2);
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 10; c++)
            {
                Assert.Equal(CallCompositor.CellOf(picture, c, r), screen[left + c, top + r]);
            }
        }

        var labelRow = Enumerable.Range(0, screen.Cols).Select(c => screen[c, slot.Top]).ToList();
        Assert.Contains("bo", new string(labelRow.Select(c => c.Glyph).ToArray()), StringComparison.Ordinal);
        Assert.Contains(labelRow, c => c.Glyph == 'b' && c.Style.Attributes.HasFlag(CellAttributes.Reverse));
        var status = new string(Enumerable.Range(0, screen.Cols).Select(c => screen[c, 39].Glyph).ToArray());
        Assert.StartsWith(" session1 · 2 peers", status, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_composed_frames_When_rendered_full_and_as_deltas_Then_the_parsed_terminal_equals_the_intended_screen(CellMode mode)
    {
        var parser = new AnsiScreenParser(100, 30);
        ScreenBuffer? previous = null;
        for (var frame = 0; frame < 6; frame++)
        {
            var screen = new ScreenBuffer(100, 30);
            CallCompositor.Compose(screen,
            [
                new TileView("me", TileState.Live, Picture(mode, 20, 8, frame), IsSelf: true),
                new TileView("ana", frame % 2 == 0 ? TileState.Live : TileState.CameraLost, Picture(mode, 20, 8, 100 + frame), Muted: true),
                new TileView("bo", TileState.Connecting),
            ], $"frame {frame}");

            parser.Apply(AnsiScreenWriter.RenderToArray(previous, screen));
            parser.AssertEquals(screen);
            previous = screen;
        }
    }

    [Fact]
    public void Given_a_tiny_terminal_When_composed_Then_it_says_so_instead_of_drawing_tiles()
    {
        var screen = new ScreenBuffer(14, 5);
        var slots = CallCompositor.Compose(screen, [new TileView("a", TileState.Live, Picture(CellMode.Mono, 4, 2, 1)), new TileView("b", TileState.Live)], "s");

        Assert.Empty(slots);
        var text = string.Join('\n', Enumerable.Range(0, 5).Select(r => new string(Enumerable.Range(0, 14).Select(c => screen[c, r].Glyph).ToArray())));
        Assert.Contains("terminal too", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_peers_When_composed_Then_the_screen_says_it_is_waiting()
    {
        var screen = new ScreenBuffer(80, 24);
        Assert.Empty(CallCompositor.Compose(screen, [], "s"));
        var text = string.Join('\n', Enumerable.Range(0, 24).Select(r => new string(Enumerable.Range(0, 80).Select(c => screen[c, r].Glyph).ToArray())));
        Assert.Contains("waiting for peers", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_picture_larger_than_its_slot_When_composed_Then_it_is_clipped_to_the_slot()
    {
        var screen = new ScreenBuffer(60, 20);
        var slots = CallCompositor.Compose(screen, [new TileView("big", TileState.Live, Picture(CellMode.TrueColor, 200, 100, 3))], "s");

        var slot = Assert.Single(slots);
        for (var r = 0; r < 19; r++)
        {
            for (var c = 0; c < 60; c++)
            {
                var inside = c >= slot.PictureLeft && c < slot.PictureLeft + slot.PictureCols && r >= slot.PictureTop && r < slot.PictureTop + slot.PictureRows;
                Assert.Equal(inside, screen[c, r].Glyph == CellGrid.HalfBlock);
            }
        }
    }
}
