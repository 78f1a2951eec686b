using System.Text;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Tests.Screen;

public sealed class AnsiScreenWriterTests
{
    public static TheoryData<ColorMode> Modes => [ColorMode.Mono, ColorMode.Ansi16, ColorMode.Ansi256, ColorMode.TrueColor];

    private static TermColor RandomColor(Random random, ColorMode mode) => mode switch
    {
        ColorMode.Mono => TermColor.Default,
        ColorMode.Ansi16 => random.Next(5) == 0 ? TermColor.Default : TermColor.Ansi16(random.Next(16)),
        ColorMode.Ansi256 => random.Next(5) == 0 ? TermColor.Default : TermColor.Ansi256(random.Next(256)),
        _ => random.Next(5) == 0 ? TermColor.Default : TermColor.Rgb((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)),
    };

    private static ScreenCell RandomCell(Random random, ColorMode mode)
    {
        const string glyphs = " .:-=+*#%@▀abcXYZé";
        var attributes = (CellAttributes)random.Next(8);
        return new ScreenCell(glyphs[random.Next(glyphs.Length)], new CellStyle(RandomColor(random, mode), RandomColor(random, mode), attributes));
    }

    private static ScreenBuffer RandomScreen(Random random, ColorMode mode, int cols, int rows)
    {
        var screen = new ScreenBuffer(cols, rows);
        // Runs of equal styles, as tiles and labels produce, plus noise.
        var cell = RandomCell(random, mode);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                if (random.Next(6) == 0)
                {
                    cell = RandomCell(random, mode);
                }

                screen[c, r] = cell with { Glyph = " .:-=+*#%@▀"[random.Next(11)] };
            }
        }

        return screen;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_a_screen_When_fully_rendered_Then_parsing_the_bytes_gives_the_screen_back(ColorMode mode)
    {
        var random = new Random(1 + (int)mode);
        var screen = RandomScreen(random, mode, 37, 11);

        var parser = new AnsiScreenParser(37, 11);
        parser.Apply(AnsiScreenWriter.RenderToArray(null, screen));

        parser.AssertEquals(screen);
        Assert.False(parser.InSynchronizedUpdate);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Given_a_sequence_of_screens_When_rendered_as_deltas_Then_the_terminal_follows_every_one(ColorMode mode)
    {
        var random = new Random(10 + (int)mode);
        var previous = RandomScreen(random, mode, 40, 12);
        var parser = new AnsiScreenParser(40, 12);
        parser.Apply(AnsiScreenWriter.RenderToArray(null, previous));
        for (var frame = 0; frame < 50; frame++)
        {
            var next = new ScreenBuffer(40, 12);
            previous.CopyTo(next);
            for (var changes = random.Next(0, 60); changes > 0; changes--)
            {
                next[random.Next(40), random.Next(12)] = RandomCell(random, mode);
            }

            parser.Apply(AnsiScreenWriter.RenderToArray(previous, next));
            parser.AssertEquals(next);
            previous = next;
        }
    }

    [Fact]
    public void Given_an_unchanged_screen_When_rendered_as_a_delta_Then_only_the_update_markers_are_sent()
    {
        var screen = RandomScreen(new Random(3), ColorMode.TrueColor, 20, 5);
        var copy = new ScreenBuffer(20, 5);
        screen.CopyTo(copy);

        Assert.Equal("\e[?2026h\e[?2026l", Encoding.UTF8.GetString(AnsiScreenWriter.RenderToArray(screen, copy)));
        Assert.Empty(AnsiScreenWriter.RenderToArray(screen, copy, synchronized: false));
    }

    [Fact]
    public void Given_one_changed_cell_When_rendered_Then_the_delta_is_a_cursor_move_a_colour_and_the_glyph()
    {
        var before = new ScreenBuffer(80, 24);
        var after = new ScreenBuffer(80, 24);
        after[10, 5] = new ScreenCell('#', new CellStyle(TermColor.Rgb(255, 0, 0), TermColor.Default));

        var bytes = Encoding.UTF8.GetString(AnsiScreenWriter.RenderToArray(before, after, synchronized: false));

        // The style left by the previous frame is not trusted: the first SGR of a frame starts with a reset.
        Assert.Equal("\e[6;11H\e[0;38;2;255;0;0m#", bytes);
    }

    [Fact]
    public void Given_a_short_gap_of_unchanged_same_style_cells_When_rendered_Then_it_is_bridged_instead_of_a_cursor_move()
    {
        var before = new ScreenBuffer(20, 2);
        var after = new ScreenBuffer(20, 2);
        after[2, 0] = new ScreenCell('a', CellStyle.Plain);
        after[5, 0] = new ScreenCell('b', CellStyle.Plain);

        var bytes = Encoding.UTF8.GetString(AnsiScreenWriter.RenderToArray(before, after, synchronized: false));

        Assert.Equal("\e[1;3H\e[0ma  b", bytes);
    }

    [Fact]
    public void Given_a_dropped_attribute_When_rendered_Then_the_style_is_reset_before_the_rest_is_set()
    {
        var before = new ScreenBuffer(4, 1);
        var after = new ScreenBuffer(4, 1);
        after[0, 0] = new ScreenCell('a', new CellStyle(TermColor.Ansi16(9), TermColor.Ansi256(17), CellAttributes.Bold | CellAttributes.Reverse));
        after[1, 0] = new ScreenCell('b', new CellStyle(TermColor.Ansi16(9), TermColor.Ansi256(17), CellAttributes.Reverse));

        var bytes = Encoding.UTF8.GetString(AnsiScreenWriter.RenderToArray(before, after, synchronized: false));

        Assert.Equal("\e[1;1H\e[0;1;7;91;48;5;17ma\e[0;7;91;48;5;17mb", bytes);
    }

    [Fact]
    public void Given_a_previous_screen_of_another_size_When_rendered_Then_everything_is_redrawn()
    {
        var small = new ScreenBuffer(10, 3);
        var large = RandomScreen(new Random(4), ColorMode.Ansi256, 30, 8);
        var parser = new AnsiScreenParser(30, 8);

        parser.Apply(AnsiScreenWriter.RenderToArray(small, large));

        parser.AssertEquals(large);
    }

    [Fact]
    public void Given_a_full_change_and_a_small_delta_When_measured_Then_the_delta_costs_a_small_fraction()
    {
        var random = new Random(5);
        var first = RandomScreen(random, ColorMode.TrueColor, 160, 48);
        var second = new ScreenBuffer(160, 48);
        first.CopyTo(second);
        for (var i = 0; i < 100; i++)
        {
            second[random.Next(160), random.Next(48)] = RandomCell(random, ColorMode.TrueColor);
        }

        var full = AnsiScreenWriter.RenderToArray(null, first).Length;
        var delta = AnsiScreenWriter.RenderToArray(first, second).Length;
        TestContext.Current.TestOutputHelper?.WriteLine($"160x48 truecolor: full {full} B, 100-cell delta {delta} B");
        Assert.True(delta * 10 < full, $"delta {delta} B vs full {full} B");
    }
}
