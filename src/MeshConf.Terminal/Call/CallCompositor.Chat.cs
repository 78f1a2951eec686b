using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Call;

/// <summary>The chat strip: the last lines that fit, then the line being typed, just above the status line.</summary>
internal static partial class CallCompositor
{
    private const string Prompt = "> ";

    private static readonly CellStyle PromptStyle = new(TermColor.Default, TermColor.Default, CellAttributes.Bold);
    private static readonly CellStyle InputCursor = new(TermColor.Default, TermColor.Default, CellAttributes.Reverse);
    private static readonly CellStyle OwnText = new(TermColor.Default, TermColor.Default, CellAttributes.Dim);

    /// <summary>
    /// Rows the strip takes: one per line to show, at most one per six screen rows (between 1 and
    /// <see cref="MaxChatRows"/>), none below three rows (the status line and one row of something else).
    /// No chat and no input: no strip.
    /// </summary>
    private static int ChatRows(int screenRows, CallView view)
    {
        var wanted = view.Chat.Count + (view.Input is null ? 0 : 1);
        if (screenRows < 3 || wanted == 0)
        {
            return 0;
        }

        return Math.Min(wanted, Math.Clamp((screenRows - 1) / 6, 1, MaxChatRows));
    }

    private static void DrawChat(ScreenBuffer screen, CallView view, int top, int rows, bool colour)
    {
        if (rows == 0)
        {
            return;
        }

        var lines = rows - (view.Input is null ? 0 : 1);
        var first = view.Chat.Count - lines;
        for (var i = 0; i < lines; i++)
        {
            DrawChatLine(screen, top + i, view.Chat[first + i], colour);
        }

        if (view.Input is { } input)
        {
            DrawInput(screen, top + rows - 1, input);
        }
    }

    /// <summary>
    /// "name: text". Others' names bold (cyan in colour); our own lines dim throughout (the name green in colour)
    /// and marked with » in the first column, so they tell apart in mono too.
    /// </summary>
    private static void DrawChatLine(ScreenBuffer screen, int row, ChatStripLine line, bool colour)
    {
        var name = line.IsOwn
            ? new CellStyle(colour ? TermColor.Ansi16(2) : TermColor.Default, TermColor.Default, CellAttributes.Dim)
            : new CellStyle(colour ? TermColor.Ansi16(6) : TermColor.Default, TermColor.Default, CellAttributes.Bold);
        var text = line.IsOwn ? OwnText : CellStyle.Plain;
        var run = new TextRun(screen, row, 0, screen.Cols);
        run.Add(line.IsOwn ? "»" : " ", text);
        run.Add(line.From, name);
        run.Add(": ", text);
        run.Add(line.Text, text);
        run.Finish();
    }

    /// <summary>
    /// "> " and the text, scrolled sideways so the cursor stays on screen ("…" first when scrolled); the cursor
    /// is a reversed cell (the terminal's own cursor stays hidden).
    /// </summary>
    private static void DrawInput(ScreenBuffer screen, int row, ChatInput input)
    {
        var text = input.Text ?? string.Empty;
        screen.Write(0, row, Prompt, PromptStyle);
        var visible = screen.Cols - Prompt.Length;
        if (visible <= 0)
        {
            return;
        }

        var cursor = Math.Clamp(input.Cursor, 0, text.Length);
        var start = cursor >= visible ? cursor - visible + 1 : 0;
        for (var i = 0; i < visible && start + i <= text.Length; i++)
        {
            var index = start + i;
            var glyph = index == text.Length ? ' ' : i == 0 && start > 0 ? '…' : text[index];
            screen[Prompt.Length + i, row] = new ScreenCell(glyph, index == cursor ? InputCursor : CellStyle.Plain);
        }
    }
}
