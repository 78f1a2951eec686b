using System.Text;
using MeshConf.Terminal.Screen;

namespace MeshConf.Terminal.Tests.Screen;

/// <summary>
/// A small terminal emulator for snapshot tests: it applies bytes (cursor positioning, SGR, text, DEC 2026) to
/// a grid of cells, independently of the writer's code, so "parse(render(screen)) == screen" checks the bytes.
/// Anything it does not understand fails the test rather than being skipped.
/// </summary>
internal sealed class AnsiScreenParser
{
    private readonly ScreenCell[,] _cells;
    private readonly List<string> _sequences = [];
    private int _row;
    private int _col;
    private CellStyle _style;

    public AnsiScreenParser(int cols, int rows)
    {
        Cols = cols;
        Rows = rows;
        _cells = new ScreenCell[cols, rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                _cells[c, r] = new ScreenCell('?', CellStyle.Plain);
            }
        }
    }

    public int Cols { get; }

    public int Rows { get; }

    public bool InSynchronizedUpdate { get; private set; }

    /// <summary>Every escape sequence applied so far, as "CSI parameters final" without the ESC [.</summary>
    public IReadOnlyList<string> Sequences => _sequences;

    public ScreenCell this[int col, int row] => _cells[col, row];

    public void Apply(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\e')
            {
                Assert.True(i + 1 < text.Length && text[i + 1] == '[', $"unsupported escape at {i}");
                var end = i + 2;
                while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is ';' or '?'))
                {
                    end++;
                }

                Assert.True(end < text.Length, "unterminated CSI");
                _sequences.Add(text[(i + 2)..(end + 1)]);
                Csi(text[(i + 2)..end], text[end]);
                i = end + 1;
                continue;
            }

            Assert.False(char.IsControl(c), $"control character {(int)c} in output");
            Assert.InRange(_row, 0, Rows - 1);
            Assert.InRange(_col, 0, Cols - 1);
            _cells[_col, _row] = new ScreenCell(c, _style);
            _col++;
            i++;
        }
    }

    /// <summary>The glyphs of one row as the terminal shows them.</summary>
    public string RowText(int row) => new(Enumerable.Range(0, Cols).Select(c => _cells[c, row].Glyph).ToArray());

    /// <summary>All rows, joined by newlines, trailing blanks trimmed: a text snapshot of the terminal.</summary>
    public string Text() => string.Join('\n', Enumerable.Range(0, Rows).Select(r => RowText(r).TrimEnd()));

    public void AssertEquals(ScreenBuffer expected)
    {
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Cols; c++)
            {
                if (expected[c, r] != _cells[c, r])
                {
                    Assert.Fail($"cell ({c},{r}): expected {expected[c, r]}, drawn {_cells[c, r]}");
                }
            }
        }
    }

    private void Csi(string parameters, char final)
    {
        switch (final)
        {
            case 'H':
                var parts = parameters.Split(';');
                _row = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) - 1;
                _col = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) - 1;
                break;
            case 'h' when parameters == "?2026":
                InSynchronizedUpdate = true;
                break;
            case 'l' when parameters == "?2026":
                InSynchronizedUpdate = false;
                break;
            case 'm':
                Sgr(parameters.Length == 0 ? [0] : parameters.Split(';').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                break;
            default:
                Assert.Fail($"unsupported CSI {parameters}{final}");
                break;
        }
    }

    private void Sgr(int[] codes)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            switch (code)
            {
                case 0: _style = CellStyle.Plain; break;
                case 1: _style = _style with { Attributes = _style.Attributes | CellAttributes.Bold }; break;
                case 2: _style = _style with { Attributes = _style.Attributes | CellAttributes.Dim }; break;
                case 7: _style = _style with { Attributes = _style.Attributes | CellAttributes.Reverse }; break;
                case >= 30 and <= 37: _style = _style with { Foreground = TermColor.Ansi16(code - 30) }; break;
                case >= 90 and <= 97: _style = _style with { Foreground = TermColor.Ansi16(code - 90 + 8) }; break;
                case >= 40 and <= 47: _style = _style with { Background = TermColor.Ansi16(code - 40) }; break;
                case >= 100 and <= 107: _style = _style with { Background = TermColor.Ansi16(code - 100 + 8) }; break;
                case 39: _style = _style with { Foreground = TermColor.Default }; break;
                case 49: _style = _style with { Background = TermColor.Default }; break;
                case 38 or 48:
                    TermColor color;
                    if (codes[i + 1] == 5)
                    {
                        color = TermColor.Ansi256(codes[i + 2]);
                        i += 2;
                    }
                    else
                    {
                        Assert.Equal(2, codes[i + 1]);
                        color = TermColor.Rgb((byte)codes[i + 2], (byte)codes[i + 3], (byte)codes[i + 4]);
                        i += 4;
                    }

                    _style = code == 38 ? _style with { Foreground = color } : _style with { Background = color };
                    break;
                default:
                    Assert.Fail($"unsupported SGR {code}");
                    break;
            }
        }
    }
}
