using System.Text;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Tests.Screen;

/// <summary>
/// Whatever text reaches the screen buffer, the bytes sent to the terminal carry no escape sequence but the
/// writer's own: control characters (C0, DEL, C1) show as '?'.
/// </summary>
public sealed class InertTextTests
{
    /// <summary>
    /// What a hostile peer might put in a name or a chat line: CSI (clear screen, colour), OSC (window title, ended
    /// by BEL and by ST), DCS (a terminfo query), APC, RIS, the 8-bit C1 forms of CSI/OSC/DCS/ST, NEL, and the
    /// C0 controls that move the cursor, plus DEL and NUL.
    /// </summary>
    internal const string Hostile =
        "\u001b[2J\u001b]0;pwned\u0007\u001bP+q544e\u001b\\\u009b31m\u009d0;x\u009c\u0090q\u009c\u001b_a\u001b\\\u001bc\r\n\b\t\u007f\u0085\u0000end";

    /// <summary>
    /// Checks the raw bytes and what the parser made of them: every ESC begins one of the writer's sequences
    /// (cursor position, SGR, DEC 2026 on/off), no other C0 control or DEL byte, no C1 character.
    /// </summary>
    internal static void AssertOnlyWriterSequences(byte[] bytes, AnsiScreenParser terminal, int sequencesBefore = 0)
    {
        var escapes = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == 0x1B)
            {
                escapes++;
                if (i + 1 == bytes.Length || bytes[i + 1] != (byte)'[')
                {
                    Assert.Fail($"ESC not followed by '[' at byte {i}");
                }
            }
            else if (bytes[i] < 0x20 || bytes[i] == 0x7F)
            {
                Assert.Fail($"control byte 0x{bytes[i]:x2} at byte {i}");
            }
        }

        Assert.DoesNotContain(Encoding.UTF8.GetString(bytes), c => c is >= '\u0080' and <= '\u009f');
        var sequences = terminal.Sequences.Skip(sequencesBefore).ToArray();
        Assert.Equal(escapes, sequences.Length);
        Assert.All(sequences, s => Assert.Matches(@"^(\d+;\d+H|[\d;]*m|\?2026[hl])$", s));
    }

    [Fact]
    public void Given_every_UTF16_unit_When_written_set_or_filled_Then_controls_and_surrogates_become_question_marks_and_the_rest_stays()
    {
        var screen = new ScreenBuffer(3, 1);
        for (var c = char.MinValue; ; c++)
        {
            var expected = char.IsControl(c) || char.IsSurrogate(c) ? '?' : c;
            screen.Write(0, 0, c.ToString(), CellStyle.Plain);
            screen[1, 0] = new ScreenCell(c, CellStyle.Plain);
            screen.Fill(2, 0, 1, 1, new ScreenCell(c, CellStyle.Plain));
            Assert.Equal(expected, screen[0, 0].Glyph);
            Assert.Equal(expected, screen[1, 0].Glyph);
            Assert.Equal(expected, screen[2, 0].Glyph);
            if (c == char.MaxValue)
            {
                break;
            }
        }

        Assert.Equal('?', ScreenBuffer.Replacement);
    }

    [Fact]
    public void Given_hostile_text_every_way_into_the_buffer_When_rendered_Then_only_the_writers_sequences_reach_the_terminal()
    {
        var screen = new ScreenBuffer(Hostile.Length + 2, 3);
        screen.Write(0, 0, Hostile, new CellStyle(TermColor.Ansi16(1), TermColor.Default, CellAttributes.Bold));
        for (var i = 0; i < Hostile.Length; i++)
        {
            screen[i, 1] = new ScreenCell(Hostile[i], CellStyle.Plain);
        }

        screen.Fill(0, 2, 4, 1, new ScreenCell('\u001b', CellStyle.Plain));
        screen.Fill(4, 2, 4, 1, new ScreenCell('\u009b', CellStyle.Plain));

        var bytes = AnsiScreenWriter.RenderToArray(null, screen);
        var terminal = new AnsiScreenParser(screen.Cols, screen.Rows);
        terminal.Apply(bytes);

        terminal.AssertEquals(screen);
        AssertOnlyWriterSequences(bytes, terminal);
        const string inert = "?[2J?]0;pwned??P+q544e?\\?31m?0;x??q??_a?\\?c???????end";
        Assert.Equal(inert, terminal.RowText(0).TrimEnd());
        Assert.Equal(inert, terminal.RowText(1).TrimEnd());
        Assert.Equal("????????", terminal.RowText(2).TrimEnd());
    }
}
