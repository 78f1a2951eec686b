using System.Text;

namespace MeshConf.Terminal.Input;

/// <summary>
/// Turns the bytes a terminal in raw mode sends into key presses: UTF-8 text, control keys, and the CSI/SS3
/// sequences of arrows and editing keys (ECMA-48, xterm). Bytes may arrive split anywhere: an incomplete
/// sequence waits for the next chunk, and a lone ESC becomes the Escape key once <see cref="Flush"/> is called
/// (the caller does that when no more bytes came within a short time). Never throws on any input.
/// </summary>
public sealed class KeyDecoder
{
    private const byte Esc = 0x1B;
    private readonly List<byte> _pending = [];

    /// <summary>Decodes <paramref name="bytes"/> (continuing any incomplete sequence) into <paramref name="keys"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, List<KeyPress> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var b in bytes)
        {
            _pending.Add(b);
        }

        var consumed = 0;
        while (consumed < _pending.Count)
        {
            var used = TryDecode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[consumed..], keys, final: false);
            if (used == 0)
            {
                break;
            }

            consumed += used;
        }

        _pending.RemoveRange(0, consumed);
    }

    /// <summary>Ends what is pending: a lone ESC is the Escape key, an unfinished sequence is Unknown.</summary>
    public void Flush(List<KeyPress> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var consumed = 0;
        while (consumed < _pending.Count)
        {
            consumed += TryDecode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[consumed..], keys, final: true);
        }

        _pending.Clear();
    }

    /// <summary>True when bytes wait for the rest of a sequence (the caller should flush after a short pause).</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>Decodes one key from the front; returns the bytes used, or 0 when more bytes are needed.</summary>
    private static int TryDecode(ReadOnlySpan<byte> data, List<KeyPress> keys, bool final)
    {
        var b = data[0];
        if (b == Esc)
        {
            return DecodeEscape(data, keys, final);
        }

        switch (b)
        {
            case 0x0D or 0x0A:
                keys.Add(new KeyPress(KeyKind.Enter));
                return 1;
            case 0x09:
                keys.Add(new KeyPress(KeyKind.Tab));
                return 1;
            case 0x7F or 0x08:
                keys.Add(new KeyPress(KeyKind.Backspace));
                return 1;
            case >= 0x01 and <= 0x1A:
                keys.Add(new KeyPress(KeyKind.Control, (char)('a' + b - 1)));
                return 1;
            case < 0x20:
                keys.Add(new KeyPress(KeyKind.Unknown));
                return 1;
            case < 0x80:
                keys.Add(new KeyPress(KeyKind.Character, (char)b));
                return 1;
        }

        // UTF-8: the length comes from the lead byte; a bad sequence is one Unknown per byte.
        var length = b switch { >= 0xC2 and <= 0xDF => 2, >= 0xE0 and <= 0xEF => 3, >= 0xF0 and <= 0xF4 => 4, _ => 1 };
        if (length == 1)
        {
            keys.Add(new KeyPress(KeyKind.Unknown));
            return 1;
        }

        if (data.Length < length)
        {
            if (final)
            {
                keys.Add(new KeyPress(KeyKind.Unknown));
                return data.Length;
            }

            return 0;
        }

        if (Rune.DecodeFromUtf8(data[..length], out var rune, out var used) != System.Buffers.OperationStatus.Done)
        {
            keys.Add(new KeyPress(KeyKind.Unknown));
            return 1;
        }

        keys.Add(rune.IsBmp ? new KeyPress(KeyKind.Character, (char)rune.Value) : new KeyPress(KeyKind.Unknown));
        return used;
    }

    private static int DecodeEscape(ReadOnlySpan<byte> data, List<KeyPress> keys, bool final)
    {
        if (data.Length == 1)
        {
            if (final)
            {
                keys.Add(new KeyPress(KeyKind.Escape));
                return 1;
            }

            return 0;
        }

        var introducer = data[1];
        if (introducer == (byte)'O')
        {
            // SS3: ESC O A..D (arrows in application mode), H, F.
            if (data.Length < 3)
            {
                return final ? Unknown(keys, data.Length) : 0;
            }

            keys.Add(new KeyPress(FinalKey(data[2], default)));
            return 3;
        }

        if (introducer != (byte)'[')
        {
            // ESC followed by another key: Alt+key; reported as Escape, then the key on its own.
            keys.Add(new KeyPress(KeyKind.Escape));
            return 1;
        }

        // CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E.
        var i = 2;
        while (i < data.Length && data[i] is >= 0x20 and <= 0x3F)
        {
            i++;
            if (i > 32)
            {
                return Unknown(keys, i);
            }
        }

        if (i >= data.Length)
        {
            return final ? Unknown(keys, data.Length) : 0;
        }

        var finalByte = data[i];
        if (finalByte is < 0x40 or > 0x7E)
        {
            return Unknown(keys, i);
        }

        keys.Add(new KeyPress(FinalKey(finalByte, data[2..i])));
        return i + 1;
    }

    private static KeyKind FinalKey(byte finalByte, ReadOnlySpan<byte> parameters) => finalByte switch
    {
        (byte)'A' => KeyKind.Up,
        (byte)'B' => KeyKind.Down,
        (byte)'C' => KeyKind.Right,
        (byte)'D' => KeyKind.Left,
        (byte)'H' => KeyKind.Home,
        (byte)'F' => KeyKind.End,
        (byte)'~' => FirstParameter(parameters) switch
        {
            1 or 7 => KeyKind.Home,
            3 => KeyKind.Delete,
            4 or 8 => KeyKind.End,
            5 => KeyKind.PageUp,
            6 => KeyKind.PageDown,
            _ => KeyKind.Unknown,
        },
        _ => KeyKind.Unknown,
    };

    private static int FirstParameter(ReadOnlySpan<byte> parameters)
    {
        var value = 0;
        foreach (var b in parameters)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                break;
            }

            value = Math.Min(10_000, (value * 10) + (b - '0'));
        }

        return value;
    }

    private static int Unknown(List<KeyPress> keys, int length)
    {
        keys.Add(new KeyPress(KeyKind.Unknown));
        return length;
    }
}
