using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Video;

public sealed class CellGridCopyTests
{
    [Fact]
    public void Given_a_converted_grid_When_copied_Then_the_copy_is_content_equal()
    {
        var source = TestFrames.Convert(TestFrames.Random(320, 240, seed: 4), 320, 240, 40, 20, CellMode.Ansi256);
        var copy = new CellGrid(40, 20, CellMode.Ansi256);
        Assert.False(copy.ContentEquals(source));

        source.CopyTo(copy);

        Assert.True(copy.ContentEquals(source));
        Assert.Equal(source.ContentHash(), copy.ContentHash());
    }

    [Theory]
    [InlineData(41, 20, CellMode.Ansi256)]
    [InlineData(40, 19, CellMode.Ansi256)]
    [InlineData(40, 20, CellMode.TrueColor)]
    public void Given_a_grid_of_another_shape_When_copying_into_it_Then_it_is_refused_untouched(int cols, int rows, CellMode mode)
    {
        var source = TestFrames.Convert(TestFrames.Random(320, 240, seed: 4), 320, 240, 40, 20, CellMode.Ansi256);
        var other = new CellGrid(cols, rows, mode);
        var before = other.ContentHash();

        Assert.Throws<ArgumentException>(() => source.CopyTo(other));
        Assert.Equal(before, other.ContentHash());
    }
}
