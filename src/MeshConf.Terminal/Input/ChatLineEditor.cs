using System.Text;
using MeshConf.Core.Chat;
using MeshConf.Core.Text;

namespace MeshConf.Terminal.Input;

/// <summary>
/// The chat input line of the call screen: key presses in, the line (and when it is sent or dropped) out.
/// Pure: no terminal, no clock; the call screen feeds it keys while chat input is open and draws <see cref="View"/>.
/// </summary>
/// <remarks>
/// Keys, as in readline's emacs mode: Enter sends (a blank line is a cancel), Escape cancels, Backspace and
/// Delete remove a char, Left/Right/Home/End and Ctrl+A/Ctrl+E move, Ctrl+U deletes everything before the cursor
/// (the whole line when the cursor is at its end), Ctrl+K everything after it, Ctrl+W the word before it.
/// Only chars <see cref="SafeText.IsInert(char)"/> accepts go in (any other space counts as a space), so the
/// line is one column per char, as the screen draws it; the line holds at most <see cref="ChatLine.MaxTextBytes"/>
/// UTF-8 bytes, so what is sent is what was typed.
/// </remarks>
internal sealed class ChatLineEditor
{
    // Every char the editor takes is 1 to 3 UTF-8 bytes, so the byte limit bounds the chars too.
    private readonly char[] _text = new char[ChatLine.MaxTextBytes];
    private int _length;
    private int _cursor;
    private int _bytes;
    private int _scroll;

    /// <summary>The line as typed so far.</summary>
    public string Text => new(_text, 0, _length);

    /// <summary>The cursor's position in <see cref="Text"/>, 0 to its length.</summary>
    public int Cursor => _cursor;

    /// <summary>The line's length in UTF-8 bytes, at most <see cref="ChatLine.MaxTextBytes"/>.</summary>
    public int Utf8Bytes => _bytes;

    public bool IsEmpty => _length == 0;

    /// <summary>Applies one key press.</summary>
    public ChatEditResult Feed(KeyPress key) => key.Kind switch
    {
        KeyKind.Character => Insert(key.Character),
        KeyKind.Enter => Submit(),
        KeyKind.Escape => Cancel(),
        KeyKind.Backspace => Remove(_cursor - 1, _cursor),
        KeyKind.Delete => Remove(_cursor, _cursor + 1),
        KeyKind.Left => MoveTo(_cursor - 1),
        KeyKind.Right => MoveTo(_cursor + 1),
        KeyKind.Home => MoveTo(0),
        KeyKind.End => MoveTo(_length),
        KeyKind.Control => key.Character switch
        {
            'a' => MoveTo(0),
            'e' => MoveTo(_length),
            'u' => Remove(0, _cursor),
            'k' => Remove(_cursor, _length),
            'w' => Remove(WordStartBefore(_cursor), _cursor),
            _ => ChatEditResult.None,
        },
        _ => ChatEditResult.None,
    };

    /// <summary>Empties the line.</summary>
    public void Clear()
    {
        _length = 0;
        _cursor = 0;
        _bytes = 0;
        _scroll = 0;
    }

    /// <summary>
    /// The part of the line a field <paramref name="width"/> columns wide shows, and the cursor's column in it.
    /// The view scrolls only as far as it must to keep the cursor in the field (which needs a column of its own
    /// at the end of the line), and back when the line gets shorter.
    /// </summary>
    public (string Visible, int CursorCol) View(int width)
    {
        if (width <= 0)
        {
            return (string.Empty, 0);
        }

        if (_cursor < _scroll)
        {
            _scroll = _cursor;
        }
        else if (_cursor - _scroll >= width)
        {
            _scroll = _cursor - width + 1;
        }

        // Leave no empty columns on the right while text is scrolled out on the left.
        _scroll = Math.Max(0, Math.Min(_scroll, _length - width + 1));
        var visible = Math.Min(width, _length - _scroll);
        return (new string(_text, _scroll, visible), _cursor - _scroll);
    }

    private ChatEditResult Insert(char c)
    {
        if (char.IsWhiteSpace(c) && !char.IsControl(c))
        {
            c = ' ';
        }

        if (!SafeText.IsInert(c))
        {
            return ChatEditResult.None;
        }

        var bytes = Utf8Length(c);
        if (_bytes + bytes > ChatLine.MaxTextBytes)
        {
            return ChatEditResult.None;
        }

        Array.Copy(_text, _cursor, _text, _cursor + 1, _length - _cursor);
        _text[_cursor] = c;
        _length++;
        _cursor++;
        _bytes += bytes;
        return ChatEditResult.Changed;
    }

    private ChatEditResult Submit()
    {
        var line = new string(_text, 0, _length).Trim(' ');
        Clear();
        return line.Length == 0 ? ChatEditResult.Cancelled : ChatEditResult.Submitted(line);
    }

    private ChatEditResult Cancel()
    {
        Clear();
        return ChatEditResult.Cancelled;
    }

    private ChatEditResult MoveTo(int position)
    {
        position = Math.Clamp(position, 0, _length);
        if (position == _cursor)
        {
            return ChatEditResult.None;
        }

        _cursor = position;
        return ChatEditResult.Changed;
    }

    /// <summary>Removes the chars from <paramref name="start"/> up to <paramref name="end"/>; the cursor goes to the start when it was inside or after.</summary>
    private ChatEditResult Remove(int start, int end)
    {
        start = Math.Max(0, start);
        end = Math.Min(_length, end);
        if (start >= end)
        {
            return ChatEditResult.None;
        }

        for (var i = start; i < end; i++)
        {
            _bytes -= Utf8Length(_text[i]);
        }

        Array.Copy(_text, end, _text, start, _length - end);
        _length -= end - start;
        _cursor = _cursor >= end ? _cursor - (end - start) : Math.Min(_cursor, start);
        return ChatEditResult.Changed;
    }

    /// <summary>Where the word before <paramref name="position"/> starts: back over spaces, then over the word (readline's unix-word-rubout).</summary>
    private int WordStartBefore(int position)
    {
        var i = position;
        while (i > 0 && _text[i - 1] == ' ')
        {
            i--;
        }

        while (i > 0 && _text[i - 1] != ' ')
        {
            i--;
        }

        return i;
    }

    private static int Utf8Length(char c) => new Rune(c).Utf8SequenceLength;
}

/// <summary>What a key did to the <see cref="ChatLineEditor"/>.</summary>
internal enum ChatEdit
{
    /// <summary>Nothing: the key does nothing here (an arrow at the end, a char that would not fit...).</summary>
    None,

    /// <summary>The line or the cursor moved: redraw it.</summary>
    Changed,

    /// <summary>Enter on a line with text: send <see cref="ChatEditResult.Line"/>; the editor is empty again.</summary>
    Submitted,

    /// <summary>Escape, or Enter on a blank line: close the input; the editor is empty again.</summary>
    Cancelled,
}

/// <summary>The outcome of one key fed to a <see cref="ChatLineEditor"/>; <see cref="Line"/> is the sent line, trimmed, for <see cref="ChatEdit.Submitted"/>.</summary>
internal readonly record struct ChatEditResult(ChatEdit Kind, string Line)
{
    public static ChatEditResult None => new(ChatEdit.None, string.Empty);

    public static ChatEditResult Changed => new(ChatEdit.Changed, string.Empty);

    public static ChatEditResult Cancelled => new(ChatEdit.Cancelled, string.Empty);

    public static ChatEditResult Submitted(string line) => new(ChatEdit.Submitted, line);
}
