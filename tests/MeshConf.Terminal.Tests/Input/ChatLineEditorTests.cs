using System.Text;
using MeshConf.Core.Chat;
using MeshConf.Terminal.Input;

namespace MeshConf.Terminal.Tests.Input;

public sealed class ChatLineEditorTests
{
    private static readonly KeyPress Enter = new(KeyKind.Enter);
    private static readonly KeyPress Escape = new(KeyKind.Escape);
    private static readonly KeyPress Backspace = new(KeyKind.Backspace);
    private static readonly KeyPress Delete = new(KeyKind.Delete);
    private static readonly KeyPress Left = new(KeyKind.Left);
    private static readonly KeyPress Right = new(KeyKind.Right);
    private static readonly KeyPress Home = new(KeyKind.Home);
    private static readonly KeyPress End = new(KeyKind.End);

    private static KeyPress Ctrl(char letter) => new(KeyKind.Control, letter);

    private static ChatLineEditor Typed(string text)
    {
        var editor = new ChatLineEditor();
        Type(editor, text);
        return editor;
    }

    private static void Type(ChatLineEditor editor, string text)
    {
        foreach (var c in text)
        {
            Assert.Equal(ChatEdit.Changed, editor.Feed(new KeyPress(KeyKind.Character, c)).Kind);
        }
    }

    [Fact]
    public void Given_typed_chars_When_Enter_Then_the_line_is_submitted_and_the_editor_empties()
    {
        var editor = Typed("hello, José!");
        Assert.Equal("hello, José!", editor.Text);
        Assert.Equal(12, editor.Cursor);
        Assert.Equal(13, editor.Utf8Bytes);

        var result = editor.Feed(Enter);

        Assert.Equal(ChatEditResult.Submitted("hello, José!"), result);
        Assert.True(editor.IsEmpty);
        Assert.Equal(0, editor.Cursor);
        Assert.Equal(0, editor.Utf8Bytes);
    }

    [Fact]
    public void Given_a_line_with_outer_spaces_When_Enter_Then_it_is_submitted_trimmed()
    {
        Assert.Equal(ChatEditResult.Submitted("hi  there"), Typed("  hi  there  ").Feed(Enter));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_a_blank_line_When_Enter_Then_it_is_a_cancel(string text)
    {
        var editor = Typed(text);

        Assert.Equal(ChatEditResult.Cancelled, editor.Feed(Enter));
        Assert.True(editor.IsEmpty);
    }

    [Fact]
    public void Given_a_line_When_Escape_Then_it_is_cancelled_and_dropped()
    {
        var editor = Typed("never mind");

        Assert.Equal(ChatEditResult.Cancelled, editor.Feed(Escape));
        Assert.True(editor.IsEmpty);
        Assert.Equal(ChatEditResult.Cancelled, editor.Feed(Escape));
    }

    [Fact]
    public void Given_the_cursor_in_the_middle_When_typing_Then_chars_are_inserted_at_the_cursor()
    {
        var editor = Typed("hed");
        editor.Feed(Left);

        Type(editor, "llo worl");

        Assert.Equal("hello world", editor.Text);
        Assert.Equal(10, editor.Cursor);
    }

    [Fact]
    public void Given_a_line_When_Backspace_Then_the_char_before_the_cursor_goes()
    {
        var editor = Typed("abc");

        Assert.Equal(ChatEdit.Changed, editor.Feed(Backspace).Kind);
        Assert.Equal("ab", editor.Text);
        editor.Feed(Home);
        Assert.Equal(ChatEditResult.None, editor.Feed(Backspace));
        editor.Feed(Right);
        editor.Feed(Backspace);
        Assert.Equal("b", editor.Text);
        Assert.Equal(0, editor.Cursor);
        Assert.Equal(1, editor.Utf8Bytes);
    }

    [Fact]
    public void Given_a_line_When_Delete_Then_the_char_under_the_cursor_goes()
    {
        var editor = Typed("aéc");
        editor.Feed(Home);

        editor.Feed(Right);
        Assert.Equal(ChatEdit.Changed, editor.Feed(Delete).Kind);

        Assert.Equal("ac", editor.Text);
        Assert.Equal(1, editor.Cursor);
        Assert.Equal(2, editor.Utf8Bytes);
        editor.Feed(End);
        Assert.Equal(ChatEditResult.None, editor.Feed(Delete));
    }

    [Fact]
    public void Given_a_line_When_moving_Then_the_cursor_stays_within_it_and_edges_do_nothing()
    {
        var editor = Typed("abc");

        Assert.Equal(ChatEditResult.None, editor.Feed(Right));
        Assert.Equal(ChatEditResult.None, editor.Feed(End));
        Assert.Equal(ChatEdit.Changed, editor.Feed(Left).Kind);
        Assert.Equal(2, editor.Cursor);
        Assert.Equal(ChatEdit.Changed, editor.Feed(Home).Kind);
        Assert.Equal(0, editor.Cursor);
        Assert.Equal(ChatEditResult.None, editor.Feed(Left));
        Assert.Equal(ChatEditResult.None, editor.Feed(Home));
        Assert.Equal(ChatEdit.Changed, editor.Feed(Ctrl('e')).Kind);
        Assert.Equal(3, editor.Cursor);
        Assert.Equal(ChatEdit.Changed, editor.Feed(Ctrl('a')).Kind);
        Assert.Equal(0, editor.Cursor);
        Assert.Equal(ChatEdit.Changed, editor.Feed(End).Kind);
        Assert.Equal(3, editor.Cursor);
    }

    [Fact]
    public void Given_a_line_When_Ctrl_U_Then_everything_before_the_cursor_goes()
    {
        var editor = Typed("clear all of this");
        Assert.Equal(ChatEdit.Changed, editor.Feed(Ctrl('u')).Kind);
        Assert.True(editor.IsEmpty);
        Assert.Equal(ChatEditResult.None, editor.Feed(Ctrl('u')));

        editor = Typed("keep the end");
        for (var i = 0; i < 3; i++)
        {
            editor.Feed(Left);
        }

        editor.Feed(Ctrl('u'));
        Assert.Equal("end", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void Given_a_line_When_Ctrl_K_Then_everything_from_the_cursor_goes()
    {
        var editor = Typed("keep cut");
        for (var i = 0; i < 3; i++)
        {
            editor.Feed(Left);
        }

        Assert.Equal(ChatEdit.Changed, editor.Feed(Ctrl('k')).Kind);
        Assert.Equal("keep ", editor.Text);
        Assert.Equal(5, editor.Cursor);
        Assert.Equal(ChatEditResult.None, editor.Feed(Ctrl('k')));
    }

    [Theory]
    [InlineData("one two three", 13, "one two ", 8)]
    [InlineData("one two three   ", 16, "one two ", 8)]
    [InlineData("one two three", 7, "one  three", 4)]
    [InlineData("one two three", 4, "two three", 0)]
    [InlineData("word", 4, "", 0)]
    [InlineData("   ", 3, "", 0)]
    [InlineData("one two", 0, "one two", 0)]
    public void Given_a_line_When_Ctrl_W_Then_the_word_before_the_cursor_goes(string text, int cursor, string expected, int expectedCursor)
    {
        var editor = Typed(text);
        editor.Feed(Home);
        for (var i = 0; i < cursor; i++)
        {
            editor.Feed(Right);
        }

        editor.Feed(Ctrl('w'));

        Assert.Equal(expected, editor.Text);
        Assert.Equal(expectedCursor, editor.Cursor);
    }

    [Theory]
    [InlineData('\0')]
    [InlineData('\e')]
    [InlineData('\u0007')]
    [InlineData('\u009B')]
    [InlineData('\u202E')]
    [InlineData('\u200B')]
    [InlineData('\u0301')]
    [InlineData('日')]
    [InlineData('\uD83D')]
    [InlineData('\uE000')]
    public void Given_a_char_that_is_not_one_inert_column_When_typed_Then_it_is_not_taken(char c)
    {
        var editor = Typed("ab");

        Assert.Equal(ChatEditResult.None, editor.Feed(new KeyPress(KeyKind.Character, c)));
        Assert.Equal("ab", editor.Text);
    }

    [Fact]
    public void Given_other_spaces_When_typed_Then_they_are_plain_spaces()
    {
        var editor = Typed("a\u00A0b\u3000c");

        Assert.Equal("a b c", editor.Text);
    }

    [Theory]
    [InlineData(KeyKind.Tab)]
    [InlineData(KeyKind.Up)]
    [InlineData(KeyKind.Down)]
    [InlineData(KeyKind.PageUp)]
    [InlineData(KeyKind.PageDown)]
    [InlineData(KeyKind.Unknown)]
    public void Given_keys_the_line_does_not_use_When_fed_Then_nothing_happens(KeyKind kind)
    {
        var editor = Typed("same");

        Assert.Equal(ChatEditResult.None, editor.Feed(new KeyPress(kind)));
        Assert.Equal(ChatEditResult.None, editor.Feed(Ctrl('c')));
        Assert.Equal(ChatEditResult.None, editor.Feed(Ctrl('z')));
        Assert.Equal("same", editor.Text);
        Assert.Equal(4, editor.Cursor);
    }

    [Fact]
    public void Given_a_full_line_When_typing_more_Then_nothing_past_the_byte_limit_goes_in()
    {
        var editor = new ChatLineEditor();
        for (var i = 0; i < ChatLine.MaxTextBytes / 2; i++)
        {
            Assert.Equal(ChatEdit.Changed, editor.Feed(new KeyPress(KeyKind.Character, 'é')).Kind);
        }

        Assert.Equal(ChatLine.MaxTextBytes, editor.Utf8Bytes);
        Assert.Equal(ChatEditResult.None, editor.Feed(new KeyPress(KeyKind.Character, 'a')));
        editor.Feed(Backspace);
        Assert.Equal(ChatEditResult.None, editor.Feed(new KeyPress(KeyKind.Character, '€')));
        Assert.Equal(ChatEdit.Changed, editor.Feed(new KeyPress(KeyKind.Character, 'a')).Kind);
        Assert.Equal(ChatEdit.Changed, editor.Feed(new KeyPress(KeyKind.Character, 'b')).Kind);
        Assert.Equal(ChatEditResult.None, editor.Feed(new KeyPress(KeyKind.Character, 'c')));

        var line = editor.Feed(Enter).Line;
        Assert.Equal(ChatLine.MaxTextBytes, Encoding.UTF8.GetByteCount(line));
        Assert.Equal(line, ChatLine.Fit(line));
    }

    [Fact]
    public void Given_a_line_longer_than_the_field_When_viewed_Then_the_cursor_stays_visible()
    {
        var editor = Typed("abcdefghij");

        Assert.Equal(("efghij", 6), editor.View(7));
        Assert.Equal(("", 0), editor.View(0));

        editor.Feed(Home);
        Assert.Equal(("abcdefg", 0), editor.View(7));

        for (var i = 0; i < 6; i++)
        {
            editor.Feed(Right);
        }

        // Moving right within the field does not scroll.
        Assert.Equal(("abcdefg", 6), editor.View(7));
        editor.Feed(Right);
        Assert.Equal(("bcdefgh", 6), editor.View(7));
        editor.Feed(Left);
        editor.Feed(Left);
        Assert.Equal(("bcdefgh", 4), editor.View(7));

        editor.Feed(End);
        Assert.Equal(("efghij", 6), editor.View(7));
        editor.Feed(Backspace);
        editor.Feed(Backspace);
        Assert.Equal(("cdefgh", 6), editor.View(7));
        editor.Feed(Ctrl('u'));
        Assert.Equal(("", 0), editor.View(7));
    }

    [Fact]
    public void Given_a_short_line_When_viewed_Then_it_shows_whole_with_the_cursor_after_it()
    {
        var editor = Typed("hi");

        Assert.Equal(("hi", 2), editor.View(40));
        editor.Feed(Left);
        Assert.Equal(("hi", 1), editor.View(40));
        Assert.Equal(("i", 0), editor.View(1));
    }

    [Fact]
    public void Given_random_keys_When_fed_Then_the_view_always_holds_the_cursor_and_the_limits_hold()
    {
        var random = new Random(5);
        var editor = new ChatLineEditor();
        KeyPress[] keys = [Backspace, Delete, Left, Right, Home, End, Ctrl('w'), Ctrl('u'), Ctrl('k'), Escape];
        for (var i = 0; i < 50_000; i++)
        {
            var key = random.Next(3) == 0
                ? keys[random.Next(keys.Length)]
                : new KeyPress(KeyKind.Character, "ab c€é\u0301\e日"[random.Next(9)]);
            editor.Feed(key);
            var width = random.Next(1, 30);
            var (visible, column) = editor.View(width);

            Assert.InRange(column, 0, width - 1);
            Assert.True(visible.Length <= width);
            Assert.InRange(editor.Cursor, 0, editor.Text.Length);
            Assert.Equal(Encoding.UTF8.GetByteCount(editor.Text), editor.Utf8Bytes);
            Assert.True(editor.Utf8Bytes <= ChatLine.MaxTextBytes);
            Assert.Contains(visible, editor.Text, StringComparison.Ordinal);
        }
    }
}
