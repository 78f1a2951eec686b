using MeshConf.Cli.Join;
using MeshConf.Core.Video;
using MeshConf.Terminal;

namespace MeshConf.Cli.Tests;

public sealed class RenderModeTests
{
    [Theory]
    [InlineData(CellMode.TrueColor, RenderMode.HalfBlock, CellMode.TrueColor)]
    [InlineData(CellMode.Ansi256, RenderMode.HalfBlock, CellMode.Ansi256)]
    [InlineData(CellMode.Ansi16, RenderMode.Auto, CellMode.Ansi16)]
    [InlineData(CellMode.TrueColor, RenderMode.Quadrant, CellMode.Quadrant)]
    [InlineData(CellMode.Ansi256, RenderMode.Quadrant, CellMode.Quadrant)]
    [InlineData(CellMode.Ansi16, RenderMode.Sextant, CellMode.Sextant)]
    [InlineData(CellMode.TrueColor, RenderMode.Glyph, CellMode.GlyphColor)]
    [InlineData(CellMode.Mono, RenderMode.Sextant, CellMode.Mono)]
    [InlineData(CellMode.Mono, RenderMode.Glyph, CellMode.Mono)]
    public void Given_colours_and_a_rendering_Then_the_picture_mode_asked_for_is_mono_in_mono_else_the_rendering(CellMode colors, RenderMode render, CellMode expected)
    {
        Assert.Equal(expected, JoinRunner.PictureMode(colors, render));
    }

    [Theory]
    [InlineData("auto", RenderMode.Auto)]
    [InlineData("halfblock", RenderMode.HalfBlock)]
    [InlineData("quadrant", RenderMode.Quadrant)]
    [InlineData("sextant", RenderMode.Sextant)]
    [InlineData("glyph", RenderMode.Glyph)]
    [InlineData("Quadrant", null)]
    [InlineData("", null)]
    public void Given_a_render_value_Then_it_parses_to_its_mode_or_to_nothing(string text, RenderMode? expected)
    {
        Assert.Equal(expected, JoinRunner.ParseRender(text));
    }
}
