using System.Text;
using MeshConf.Terminal.Input;

namespace MeshConf.Terminal.Tests.Input;

public sealed class KeyDecoderTests
{
    private static List<KeyPress> Decode(string text, bool flush = true)
    {
        var decoder = new KeyDecoder();
        var keys = new List<KeyPress>();
        decoder.Feed(Encoding.UTF8.GetBytes(text), keys);
        if (flush)
        {
            decoder.Flush(keys);
        }

        return keys;
    }

    [Theory]
    [InlineData("q", KeyKind.Character, 'q')]
    [InlineData("\r", KeyKind.Enter, '\0')]
    [InlineData("\t", KeyKind.Tab, '\0')]
    [InlineData("\x7f", KeyKind.Backspace, '\0')]
    [InlineData("\x03", KeyKind.Control, 'c')]
    [InlineData("\x1b[A", KeyKind.Up, '\0')]
    [InlineData("\x1b[B", KeyKind.Down, '\0')]
    [InlineData("\x1bOC", KeyKind.Right, '\0')]
    [InlineData("\x1b[1;5D", KeyKind.Left, '\0')]
    [InlineData("\x1b[3~", KeyKind.Delete, '\0')]
    [InlineData("\x1b[5~", KeyKind.PageUp, '\0')]
    [InlineData("\x1b[6~", KeyKind.PageDown, '\0')]
    [InlineData("\x1b[H", KeyKind.Home, '\0')]
    [InlineData("\x1b[4~", KeyKind.End, '\0')]
    [InlineData("\x1b", KeyKind.Escape, '\0')]
    [InlineData("é", KeyKind.Character, 'é')]
    [InlineData("\x1b[200~", KeyKind.Unknown, '\0')]
    public void Given_a_key_sequence_When_decoded_Then_it_is_one_key(string input, KeyKind kind, char character)
    {
        var key = Assert.Single(Decode(input));
        Assert.Equal(kind, key.Kind);
        Assert.Equal(character, key.Character);
    }

    [Fact]
    public void Given_bytes_split_anywhere_When_fed_in_pieces_Then_the_keys_are_the_same()
    {
        var input = Encoding.UTF8.GetBytes("ab\x1b[A€\x1b[5~q\x03\x1bOD");
        var whole = new List<KeyPress>();
        var decoder = new KeyDecoder();
        decoder.Feed(input, whole);
        decoder.Flush(whole);
        for (var split = 1; split < input.Length; split++)
        {
            var parts = new List<KeyPress>();
            var pieces = new KeyDecoder();
            pieces.Feed(input.AsSpan(0, split), parts);
            pieces.Feed(input.AsSpan(split), parts);
            pieces.Flush(parts);
            Assert.Equal(whole, parts);
        }

        Assert.Equal(
            [new(KeyKind.Character, 'a'), new(KeyKind.Character, 'b'), new(KeyKind.Up), new(KeyKind.Character, '€'), new(KeyKind.PageUp),
             new(KeyKind.Character, 'q'), new(KeyKind.Control, 'c'), new(KeyKind.Left)],
            whole);
    }

    [Fact]
    public void Given_a_lone_escape_When_not_flushed_Then_it_waits_for_more()
    {
        var decoder = new KeyDecoder();
        var keys = new List<KeyPress>();
        decoder.Feed([0x1B], keys);

        Assert.Empty(keys);
        Assert.True(decoder.HasPending);
        decoder.Flush(keys);
        Assert.Equal(KeyKind.Escape, Assert.Single(keys).Kind);
        Assert.False(decoder.HasPending);
    }

    [Fact]
    public void Given_random_bytes_When_decoded_Then_nothing_throws_and_everything_is_consumed()
    {
        var random = new Random(7);
        var decoder = new KeyDecoder();
        var keys = new List<KeyPress>();
        var buffer = new byte[64];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            decoder.Feed(buffer.AsSpan(0, random.Next(buffer.Length)), keys);
            if (random.Next(4) == 0)
            {
                decoder.Flush(keys);
                Assert.False(decoder.HasPending);
            }

            keys.Clear();
        }
    }

    [Fact]
    public void Given_ctrl_c_When_decoded_Then_it_is_recognised()
    {
        Assert.True(Assert.Single(Decode("\x03")).IsCtrlC);
        Assert.False(Assert.Single(Decode("c")).IsCtrlC);
    }
}
