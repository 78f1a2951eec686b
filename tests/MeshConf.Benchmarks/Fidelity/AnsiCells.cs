using System.Globalization;
using System.Text;

namespace MeshConf.Benchmarks.Fidelity;

/// <summary>
/// Terminal cells read back from a program's ANSI output (chafa's symbols format): per cell its glyph and the
/// foreground and background colours as <c>0x00RRGGBB</c>, row-major. Understands what chafa writes with
/// <c>--optimize 0</c>: SGR sequences (reset, 38/48 with 2;r;g;b or 5;n, the 16 colours, 39/49, inverse 7/27),
/// printable characters, and newlines; other escape sequences are skipped. A terminal's defaults are white on
/// black, as the rasteriser draws mono.
/// </summary>
internal static class AnsiCells
{
    public const uint DefaultForeground = 0xFFFFFF;
    public const uint DefaultBackground = 0x000000;

    /// <summary>One picture's cells.</summary>
    public sealed record Picture(int Cols, int Rows, string Glyphs, uint[] Foreground, uint[] Background);

    /// <summary>
    /// Splits <paramref name="output"/> into pictures of <paramref name="cols"/> x <paramref name="rows"/> cells,
    /// one after another (empty lines between them are skipped). Throws when a row is not <paramref name="cols"/> wide.
    /// </summary>
    public static List<Picture> Parse(string output, int cols, int rows)
    {
        var pictures = new List<Picture>();
        var glyphs = new StringBuilder(cols * rows);
        var foreground = new List<uint>(cols * rows);
        var background = new List<uint>(cols * rows);
        uint fg = DefaultForeground, bg = DefaultBackground;
        var inverse = false;
        var rowLength = 0;
        var rowsDone = 0;
        var i = 0;
        while (i < output.Length)
        {
            var c = output[i];
            if (c == '\u001b')
            {
                i = Escape(output, i, ref fg, ref bg, ref inverse);
                continue;
            }

            i++;
            if (c == '\r')
            {
                continue;
            }

            if (c == '\n')
            {
                if (rowLength == 0)
                {
                    continue;
                }

                if (rowLength != cols)
                {
                    throw new FormatException($"row {rowsDone} of picture {pictures.Count} has {rowLength} cells, not {cols}");
                }

                rowLength = 0;
                if (++rowsDone == rows)
                {
                    pictures.Add(new Picture(cols, rows, glyphs.ToString(), [.. foreground], [.. background]));
                    glyphs.Clear();
                    foreground.Clear();
                    background.Clear();
                    rowsDone = 0;
                }

                continue;
            }

            if (char.IsHighSurrogate(c) && i < output.Length)
            {
                // Outside the BMP (sextants): one cell, kept as its high surrogate's place holder.
                i++;
                c = '\uFFFD';
            }

            glyphs.Append(c);
            foreground.Add(inverse ? bg : fg);
            background.Add(inverse ? fg : bg);
            rowLength++;
        }

        if (rowLength == cols && rowsDone == rows - 1)
        {
            pictures.Add(new Picture(cols, rows, glyphs.ToString(), [.. foreground], [.. background]));
        }

        return pictures;
    }

    // Reads one escape sequence at `start`, applying it when it is an SGR; returns the index after it.
    private static int Escape(string text, int start, ref uint fg, ref uint bg, ref bool inverse)
    {
        var i = start + 1;
        if (i >= text.Length || text[i] != '[')
        {
            // ESC plus one character (ESC 7, ESC 8, ...).
            return Math.Min(text.Length, i + 1);
        }

        var end = i + 1;
        while (end < text.Length && (text[end] < '@' || text[end] > '~'))
        {
            end++;
        }

        if (end >= text.Length)
        {
            return text.Length;
        }

        if (text[end] == 'm')
        {
            ApplySgr(text.AsSpan(i + 1, end - i - 1), ref fg, ref bg, ref inverse);
        }

        return end + 1;
    }

    private static void ApplySgr(ReadOnlySpan<char> parameters, ref uint fg, ref uint bg, ref bool inverse)
    {
        Span<int> values = stackalloc int[16];
        var count = 0;
        foreach (var range in parameters.Split(';'))
        {
            if (count < values.Length)
            {
                values[count++] = parameters[range].IsEmpty ? 0 : int.Parse(parameters[range], CultureInfo.InvariantCulture);
            }
        }

        if (count == 0)
        {
            values[count++] = 0;
        }

        for (var k = 0; k < count; k++)
        {
            var v = values[k];
            switch (v)
            {
                case 0:
                    (fg, bg, inverse) = (DefaultForeground, DefaultBackground, false);
                    break;
                case 7:
                    inverse = true;
                    break;
                case 27:
                    inverse = false;
                    break;
                case 39:
                    fg = DefaultForeground;
                    break;
                case 49:
                    bg = DefaultBackground;
                    break;
                case >= 30 and <= 37:
                    fg = Core.Video.ColorQuantizer.Ansi16Rgb(v - 30);
                    break;
                case >= 90 and <= 97:
                    fg = Core.Video.ColorQuantizer.Ansi16Rgb(v - 90 + 8);
                    break;
                case >= 40 and <= 47:
                    bg = Core.Video.ColorQuantizer.Ansi16Rgb(v - 40);
                    break;
                case >= 100 and <= 107:
                    bg = Core.Video.ColorQuantizer.Ansi16Rgb(v - 100 + 8);
                    break;
                case 38 or 48 when k + 1 < count:
                    uint color;
                    if (values[k + 1] == 2 && k + 4 < count)
                    {
                        color = (uint)((values[k + 2] << 16) | (values[k + 3] << 8) | values[k + 4]);
                        k += 4;
                    }
                    else if (values[k + 1] == 5 && k + 2 < count)
                    {
                        color = Core.Video.ColorQuantizer.Xterm256Rgb(values[k + 2]);
                        k += 2;
                    }
                    else
                    {
                        break;
                    }

                    if (v == 38)
                    {
                        fg = color;
                    }
                    else
                    {
                        bg = color;
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
