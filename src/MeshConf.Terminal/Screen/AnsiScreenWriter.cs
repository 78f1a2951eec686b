using System.Buffers;
using System.Text;

namespace MeshConf.Terminal.Screen;

/// <summary>
/// Turns a screen into the bytes that draw it: only the cells that differ from the previous screen, with
/// cursor moves only where a run of changes starts and SGR only where the style changes. The caller sends the
/// result in one write. Wrapped in synchronized-update mode (DEC 2026, ignored by terminals that lack it) when
/// asked, so the terminal shows the whole frame or none of it.
/// </summary>
public static class AnsiScreenWriter
{
    /// <summary>Unchanged cells are rewritten rather than skipped with a cursor move when the gap is this short
    /// and its style is the current one: a cursor move costs 6-8 bytes.</summary>
    private const int MaxBridgedGap = 4;

    private static ReadOnlySpan<byte> SyncBegin => "\e[?2026h"u8;

    private static ReadOnlySpan<byte> SyncEnd => "\e[?2026l"u8;

    /// <summary>
    /// Writes what turns <paramref name="previous"/> (null: unknown, redraw everything) into
    /// <paramref name="current"/>. A previous screen of another size counts as unknown. Returns the number of
    /// cells written.
    /// </summary>
    public static int Render(ScreenBuffer? previous, ScreenBuffer current, IBufferWriter<byte> output, bool synchronized = true)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(output);
        if (previous is not null && (previous.Cols != current.Cols || previous.Rows != current.Rows))
        {
            previous = null;
        }

        var state = new WriterState(output);
        if (synchronized)
        {
            output.Write(SyncBegin);
        }

        if (previous is null)
        {
            // Unknown screen: reset the style so the first SGR below starts from a known one.
            output.Write("\e[0m"u8);
            state.Style = CellStyle.Plain;
            state.StyleKnown = true;
        }

        var written = 0;
        for (var row = 0; row < current.Rows; row++)
        {
            var now = current.Row(row);
            var before = previous is null ? default : previous.Row(row);
            var col = 0;
            while (col < now.Length)
            {
                if (previous is not null && now[col] == before[col])
                {
                    col++;
                    continue;
                }

                if (state.Row != row || state.Col != col)
                {
                    if (!TryBridge(state, now, row, col))
                    {
                        state.MoveTo(row, col);
                    }
                    else
                    {
                        written += col - state.Col;
                        for (var c = state.Col; c < col; c++)
                        {
                            state.Put(now[c]);
                        }
                    }
                }

                state.Put(now[col]);
                written++;
                col++;
            }
        }

        if (synchronized)
        {
            output.Write(SyncEnd);
        }

        return written;
    }

    /// <summary>The same, into a new byte array (tests and snapshots).</summary>
    public static byte[] RenderToArray(ScreenBuffer? previous, ScreenBuffer current, bool synchronized = true)
    {
        var buffer = new ArrayBufferWriter<byte>(current.Cols * current.Rows * 4);
        Render(previous, current, buffer, synchronized);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>True when the cursor is on this row a few cells back and the cells between share the current style.</summary>
    private static bool TryBridge(WriterState state, ReadOnlySpan<ScreenCell> now, int row, int col)
    {
        if (state.Row != row || state.Col > col || col - state.Col > MaxBridgedGap || !state.StyleKnown)
        {
            return false;
        }

        for (var c = state.Col; c < col; c++)
        {
            if (now[c].Style != state.Style)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class WriterState(IBufferWriter<byte> output)
    {
        public int Row { get; set; } = -1;

        public int Col { get; set; } = -1;

        public CellStyle Style { get; set; }

        public bool StyleKnown { get; set; }

        public void MoveTo(int row, int col)
        {
            Span<byte> buffer = stackalloc byte[24];
            var n = 0;
            buffer[n++] = 0x1B;
            buffer[n++] = (byte)'[';
            n += WriteNumber(buffer[n..], row + 1);
            buffer[n++] = (byte)';';
            n += WriteNumber(buffer[n..], col + 1);
            buffer[n++] = (byte)'H';
            output.Write(buffer[..n]);
            Row = row;
            Col = col;
        }

        public void Put(ScreenCell cell)
        {
            if (!StyleKnown || cell.Style != Style)
            {
                WriteStyle(cell.Style);
            }

            // The buffer keeps control characters out already; checked again here, where bytes leave, so no
            // glyph can ever become part of an escape sequence.
            Span<byte> utf8 = stackalloc byte[4];
            var rune = new Rune(BlockGlyphs.ToScalar(ScreenBuffer.Inert(cell.Glyph)));
            var length = rune.EncodeToUtf8(utf8);
            output.Write(utf8[..length]);
            Col++;
        }

        /// <summary>
        /// Sets the style. Attributes can only be turned off all at once (SGR 0), so dropping one resets
        /// everything; otherwise only the colours that changed are sent.
        /// </summary>
        private void WriteStyle(CellStyle style)
        {
            Span<byte> buffer = stackalloc byte[64];
            var n = 0;
            buffer[n++] = 0x1B;
            buffer[n++] = (byte)'[';
            var first = true;
            var reset = !StyleKnown || (Style.Attributes & ~style.Attributes) != 0;
            var from = reset ? CellStyle.Plain : Style;
            if (reset)
            {
                buffer[n++] = (byte)'0';
                first = false;
            }

            foreach (var (flag, code) in AttributeCodes)
            {
                if ((style.Attributes & flag) != 0 && (from.Attributes & flag) == 0)
                {
                    n += Separator(buffer[n..], ref first);
                    n += WriteNumber(buffer[n..], code);
                }
            }

            if (style.Foreground != from.Foreground)
            {
                n += Separator(buffer[n..], ref first);
                n += WriteColor(buffer[n..], style.Foreground, foreground: true);
            }

            if (style.Background != from.Background)
            {
                n += Separator(buffer[n..], ref first);
                n += WriteColor(buffer[n..], style.Background, foreground: false);
            }

            buffer[n++] = (byte)'m';
            if (!first)
            {
                output.Write(buffer[..n]);
            }

            Style = style;
            StyleKnown = true;
        }

        private static readonly (CellAttributes Flag, int Code)[] AttributeCodes =
            [(CellAttributes.Bold, 1), (CellAttributes.Dim, 2), (CellAttributes.Reverse, 7)];

        private static int Separator(Span<byte> buffer, ref bool first)
        {
            if (first)
            {
                first = false;
                return 0;
            }

            buffer[0] = (byte)';';
            return 1;
        }

        private static int WriteColor(Span<byte> buffer, TermColor color, bool foreground)
        {
            switch (color.Kind)
            {
                case TermColorKind.Default:
                    return WriteNumber(buffer, foreground ? 39 : 49);
                case TermColorKind.Ansi16:
                    var index = color.Value;
                    var code = index < 8 ? (foreground ? 30 : 40) + index : (foreground ? 90 : 100) + (index - 8);
                    return WriteNumber(buffer, code);
                case TermColorKind.Ansi256:
                    var n = WriteNumber(buffer, foreground ? 38 : 48);
                    buffer[n++] = (byte)';';
                    buffer[n++] = (byte)'5';
                    buffer[n++] = (byte)';';
                    return n + WriteNumber(buffer[n..], color.Value);
                default:
                    var m = WriteNumber(buffer, foreground ? 38 : 48);
                    buffer[m++] = (byte)';';
                    buffer[m++] = (byte)'2';
                    buffer[m++] = (byte)';';
                    m += WriteNumber(buffer[m..], (color.Value >> 16) & 0xFF);
                    buffer[m++] = (byte)';';
                    m += WriteNumber(buffer[m..], (color.Value >> 8) & 0xFF);
                    buffer[m++] = (byte)';';
                    return m + WriteNumber(buffer[m..], color.Value & 0xFF);
            }
        }

        private static int WriteNumber(Span<byte> buffer, int value)
        {
            value.TryFormat(buffer, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            return written;
        }
    }
}
