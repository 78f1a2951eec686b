namespace MeshConf.Terminal.Tests;

public sealed class TerminalCapabilitiesTests
{
    private static TerminalCapabilities Detect(params (string Name, string Value)[] env)
    {
        var map = env.ToDictionary(e => e.Name, e => e.Value);
        return TerminalCapabilities.Detect(name => map.GetValueOrDefault(name), isTerminal: true, columns: 0, rows: 0);
    }

    [Theory]
    [InlineData("truecolor", "xterm-256color", ColorMode.TrueColor)]
    [InlineData("24bit", "screen", ColorMode.TrueColor)]
    [InlineData("", "xterm-256color", ColorMode.Ansi256)]
    [InlineData("", "tmux-256color", ColorMode.Ansi256)]
    [InlineData("", "xterm-direct", ColorMode.TrueColor)]
    [InlineData("", "xterm", ColorMode.Ansi16)]
    [InlineData("", "linux", ColorMode.Ansi16)]
    [InlineData("", "dumb", ColorMode.Mono)]
    [InlineData("", "", ColorMode.Mono)]
    public void Colour_depth_follows_COLORTERM_then_TERM(string colorTerm, string term, ColorMode expected)
    {
        Assert.Equal(expected, Detect(("COLORTERM", colorTerm), ("TERM", term)).Colors);
    }

    [Fact]
    public void NO_COLOR_wins_over_everything()
    {
        var caps = Detect(("NO_COLOR", "1"), ("COLORTERM", "truecolor"), ("TERM", "xterm-256color"));

        Assert.Equal(ColorMode.Mono, caps.Colors);
        Assert.Equal("NO_COLOR is set", caps.Reason);
    }

    [Fact]
    public void An_empty_NO_COLOR_is_ignored()
    {
        Assert.Equal(ColorMode.Ansi256, Detect(("NO_COLOR", ""), ("TERM", "xterm-256color")).Colors);
    }

    [Fact]
    public void COLUMNS_and_LINES_stand_in_for_an_unknown_size()
    {
        var caps = Detect(("COLUMNS", "120"), ("LINES", "40"), ("TERM", "xterm"));

        Assert.Equal((120, 40), (caps.Columns, caps.Rows));
        Assert.True(caps.IsLargeEnough);
    }

    [Fact]
    public void A_reported_size_wins_over_COLUMNS_and_a_tiny_terminal_is_too_small()
    {
        var caps = TerminalCapabilities.Detect(n => n == "COLUMNS" ? "200" : null, isTerminal: true, columns: 30, rows: 10);

        Assert.Equal(30, caps.Columns);
        Assert.False(caps.IsLargeEnough);
    }

    [Theory]
    [InlineData("LANG", "en_US.UTF-8", true)]
    [InlineData("LANG", "de_DE.utf8", true)]
    [InlineData("LC_CTYPE", "C.UTF-8", true)]
    [InlineData("LANG", "C", false)]
    [InlineData("LANG", "en_US.ISO-8859-1", false)]
    [InlineData("LANG", "", false)]
    public void Quadrants_need_a_UTF8_locale(string variable, string value, bool expected)
    {
        Assert.Equal(expected, Detect((variable, value), ("TERM", "xterm-256color")).Quadrants);
    }

    [Fact]
    public void LC_ALL_decides_before_LC_CTYPE_and_LANG()
    {
        var caps = Detect(("LC_ALL", "C"), ("LC_CTYPE", "en_US.UTF-8"), ("LANG", "en_US.UTF-8"));

        Assert.False(caps.Quadrants);
        Assert.Contains("LC_ALL=C", caps.RenderReason, StringComparison.Ordinal);
        Assert.True(Detect(("LC_CTYPE", "en_US.UTF-8"), ("LANG", "C")).Quadrants);
    }

    [Theory]
    [InlineData("TERM", "xterm-kitty", true)]
    [InlineData("KITTY_WINDOW_ID", "1", true)]
    [InlineData("TERM", "foot", true)]
    [InlineData("TERM", "foot-extra", true)]
    [InlineData("TERM", "contour", true)]
    [InlineData("TERM_PROGRAM", "WezTerm", true)]
    [InlineData("TERM_PROGRAM", "contour", true)]
    [InlineData("WT_SESSION", "0c6b0f1e-aaaa-bbbb-cccc-000000000000", true)]
    [InlineData("VTE_VERSION", "6200", true)]
    [InlineData("VTE_VERSION", "7600", true)]
    [InlineData("VTE_VERSION", "6003", false)]
    [InlineData("TERM", "xterm-256color", false)]
    [InlineData("TERM", "linux", false)]
    [InlineData("TERM_PROGRAM", "Apple_Terminal", false)]
    public void Sextants_only_on_terminals_known_to_draw_them(string variable, string value, bool expected)
    {
        var caps = Detect(("LANG", "en_US.UTF-8"), (variable, value));

        Assert.Equal(expected, caps.Sextants);
        Assert.True(caps.Quadrants);
    }

    [Fact]
    public void Sextants_need_UTF8_even_in_kitty()
    {
        var caps = Detect(("LANG", "C"), ("TERM", "xterm-kitty"));

        Assert.False(caps.Sextants);
        Assert.False(caps.Quadrants);
    }

    [Theory]
    [InlineData(RenderMode.Auto, RenderMode.HalfBlock)]
    [InlineData(RenderMode.HalfBlock, RenderMode.HalfBlock)]
    [InlineData(RenderMode.Quadrant, RenderMode.Quadrant)]
    [InlineData(RenderMode.Sextant, RenderMode.Sextant)]
    [InlineData(RenderMode.Glyph, RenderMode.Glyph)]
    public void Auto_is_half_blocks_and_an_explicit_mode_is_kept(RenderMode requested, RenderMode expected)
    {
        var kitty = Detect(("LANG", "en_US.UTF-8"), ("TERM", "xterm-kitty"));

        Assert.Equal(expected, kitty.ChooseRender(requested, out var warning));
        Assert.Null(warning);
    }

    [Fact]
    public void An_explicit_mode_the_terminal_probably_cannot_draw_is_kept_with_a_one_line_warning()
    {
        var plain = Detect(("LANG", "en_US.UTF-8"), ("TERM", "xterm-256color"));
        var ascii = Detect(("LANG", "C"), ("TERM", "xterm-256color"));

        Assert.Equal(RenderMode.Sextant, plain.ChooseRender(RenderMode.Sextant, out var sextantWarning));
        Assert.Equal(RenderMode.Quadrant, plain.ChooseRender(RenderMode.Quadrant, out var none));
        Assert.Equal(RenderMode.Quadrant, ascii.ChooseRender(RenderMode.Quadrant, out var quadrantWarning));
        Assert.Null(none);
        Assert.NotNull(sextantWarning);
        Assert.NotNull(quadrantWarning);
        Assert.DoesNotContain('\n', sextantWarning);
        Assert.Contains("LANG=C", quadrantWarning, StringComparison.Ordinal);
    }
}
