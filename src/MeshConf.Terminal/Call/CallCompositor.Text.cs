using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Call;

/// <summary>
/// Text placement without building strings: runs of differently styled pieces, centring, word wrapping.
/// Every glyph goes through the <see cref="ScreenBuffer"/> indexer, which clips and makes control characters
/// inert; the screen's cells are never read back (its getter does not clip).
/// </summary>
internal static partial class CallCompositor
{
    /// <summary>Lines a wrapped notice takes at most.</summary>
    private const int MaxWrappedLines = 8;

    /// <summary>Copies what fits of <paramref name="text"/> after <paramref name="length"/> chars; returns the length it would have had.</summary>
    private static int Append(Span<char> buffer, int length, ReadOnlySpan<char> text)
    {
        if (length < buffer.Length)
        {
            text[..Math.Min(text.Length, buffer.Length - length)].CopyTo(buffer[length..]);
        }

        return length + text.Length;
    }

    /// <summary>One line centred in <paramref name="width"/> cells; cut with "…" when longer.</summary>
    private static void Centre(ScreenBuffer screen, int left, int row, int width, ReadOnlySpan<char> text, CellStyle style)
    {
        if (width <= 0)
        {
            return;
        }

        var shown = Math.Min(text.Length, width);
        var run = new TextRun(screen, row, left + ((width - shown) / 2), left + ((width - shown) / 2) + shown);
        run.Add(text, style);
        run.Finish();
    }

    /// <summary>
    /// Text word-wrapped to <paramref name="width"/>, each line centred, the block centred in
    /// <paramref name="height"/> rows (at most <see cref="MaxWrappedLines"/>); a word longer than the width is
    /// cut, and text left over when the rows run out ends in "…".
    /// </summary>
    private static void CentreWrapped(ScreenBuffer screen, int left, int top, int width, int height, ReadOnlySpan<char> text, CellStyle style)
    {
        if (width <= 0 || height <= 0)
        {
            return;
        }

        Span<Range> lines = stackalloc Range[Math.Min(height, MaxWrappedLines)];
        var count = 0;
        var next = SkipSpaces(text, 0);
        while (next < text.Length && count < lines.Length)
        {
            var start = next;
            var end = start;
            var scan = start;
            while (scan < text.Length)
            {
                var space = text[scan..].IndexOf(' ');
                var wordEnd = space < 0 ? text.Length : scan + space;
                if (wordEnd - start > width)
                {
                    if (end == start)
                    {
                        end = start + width; // a word longer than the line: cut it
                    }

                    break;
                }

                end = wordEnd;
                scan = SkipSpaces(text, wordEnd);
            }

            lines[count++] = start..end;
            next = SkipSpaces(text, end);
        }

        var row = top + ((height - count) / 2);
        for (var i = 0; i < count; i++)
        {
            var line = text[lines[i]];
            if (i == count - 1 && next < text.Length)
            {
                // Rows ran out: cut the last line one short of the width so the "…" shows.
                var shown = Math.Min(line.Length, width - 1);
                var start = left + ((width - shown - 1) / 2);
                var run = new TextRun(screen, row + i, start, start + shown + 1);
                run.Add(line[..shown], style);
                run.Add("…", style);
            }
            else
            {
                Centre(screen, left, row + i, width, line, style);
            }
        }
    }

    private static int SkipSpaces(ReadOnlySpan<char> text, int index)
    {
        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        return index;
    }

    /// <summary>
    /// Pieces of text written left to right from one column, each in its own style, up to (not including)
    /// an end column; <see cref="Finish"/> puts "…" in the last cell when something did not fit.
    /// </summary>
    private ref struct TextRun
    {
        private readonly ScreenBuffer _screen;
        private readonly int _row;
        private readonly int _start;
        private readonly int _end;
        private int _col;
        private bool _cut;
        private CellStyle _style;

        public TextRun(ScreenBuffer screen, int row, int start, int end)
        {
            _screen = screen;
            _row = row;
            _start = start;
            _end = Math.Min(end, screen.Cols);
            _col = start;
        }

        public void Add(ReadOnlySpan<char> text, CellStyle style)
        {
            foreach (var glyph in text)
            {
                if (_col >= _end)
                {
                    _cut = true;
                    return;
                }

                _screen[_col++, _row] = new ScreenCell(glyph, style);
                _style = style;
            }
        }

        /// <summary>Blanks up to <paramref name="col"/> (when short of it) in <paramref name="style"/>.</summary>
        public void PadTo(int col, CellStyle style)
        {
            while (_col < col && _col < _end)
            {
                _screen[_col++, _row] = new ScreenCell(' ', style);
            }
        }

        public readonly void Finish()
        {
            if (_cut && _end > _start)
            {
                _screen[_end - 1, _row] = new ScreenCell('…', _style);
            }
        }
    }
}
