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
}
