using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace MeshConf.Core.Dns;

/// <summary>
/// A domain name: a sequence of labels of raw bytes, kept in its uncompressed wire form (each label prefixed by
/// its length, then the zero byte of the root). Labels are UTF-8 as written, with no restriction on the bytes:
/// a DNS-SD instance label holds spaces, parentheses and dots (RFC 6763 §4.3). Equality and hashing ignore ASCII
/// case only, as DNS does (RFC 1034 §3.1, RFC 6762 §16). Immutable.
/// </summary>
internal sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>RFC 1035 §2.3.4: a label is 1 to 63 bytes; the two top bits of a length byte mark other label types.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// The longest wire form, terminating zero included: RFC 6762 §3 allows "up to a maximum of 255 bytes, plus
    /// a terminating zero byte at the end".
    /// </summary>
    public const int MaxWireLength = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _wire;

    /// <summary>Wraps a wire form the caller has already validated (labels 1..63 bytes, ends with zero, fits).</summary>
    internal DnsName(byte[] wire, int labelCount)
    {
        _wire = wire;
        LabelCount = labelCount;
    }

    /// <summary>The root name ".", no labels.</summary>
    public static DnsName Root { get; } = new([0], 0);

    public int LabelCount { get; }

    /// <summary>The uncompressed wire form, terminating zero included.</summary>
    public ReadOnlySpan<byte> WireBytes => _wire;

    /// <summary>The name without its first label (the service type of an instance name, the domain of a host).</summary>
    public DnsName Parent => LabelCount == 0
        ? throw new InvalidOperationException("the root name has no parent")
        : new DnsName(_wire[(_wire[0] + 1)..], LabelCount - 1);

    public ReadOnlySpan<byte> GetLabel(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LabelCount);
        var offset = OffsetOfLabel(index);
        return _wire.AsSpan(offset + 1, _wire[offset]);
    }

    /// <summary>A label as text; bytes that are not valid UTF-8 become U+FFFD.</summary>
    public string GetLabelText(int index) => Encoding.UTF8.GetString(GetLabel(index));

    /// <summary>A new name with <paramref name="label"/> (UTF-8, taken as is, no escapes) in front of this one.</summary>
    /// <exception cref="ArgumentException">The label is empty, longer than 63 bytes, not valid UTF-16, or the name would be too long.</exception>
    public DnsName Prepend(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(label);
        }
        catch (EncoderFallbackException exception)
        {
            throw new ArgumentException("the label holds a lone surrogate", nameof(label), exception);
        }

        return Prepend(bytes);
    }

    /// <summary>A new name with the raw <paramref name="label"/> in front of this one.</summary>
    public DnsName Prepend(ReadOnlySpan<byte> label)
    {
        if (label.Length is 0 or > MaxLabelLength)
        {
            throw new ArgumentException($"a label is 1 to {MaxLabelLength} bytes, not {label.Length}", nameof(label));
        }

        if (_wire.Length + 1 + label.Length > MaxWireLength)
        {
            throw new ArgumentException($"the name would be longer than {MaxWireLength - 1} bytes", nameof(label));
        }

        var wire = new byte[_wire.Length + 1 + label.Length];
        wire[0] = (byte)label.Length;
        label.CopyTo(wire.AsSpan(1));
        _wire.CopyTo(wire.AsSpan(1 + label.Length));
        return new DnsName(wire, LabelCount + 1);
    }

    /// <summary>True when this name ends with all the labels of <paramref name="ancestor"/> (a name is its own subdomain).</summary>
    public bool IsSubdomainOf(DnsName ancestor)
    {
        ArgumentNullException.ThrowIfNull(ancestor);
        if (ancestor.LabelCount > LabelCount)
        {
            return false;
        }

        // Whole labels line up because the suffix starts at a label boundary of this name.
        var suffix = _wire.AsSpan(OffsetOfLabel(LabelCount - ancestor.LabelCount));
        return EqualsIgnoreAsciiCase(suffix, ancestor._wire);
    }

    /// <summary>A name from its labels, each taken as UTF-8 as is (no escapes).</summary>
    public static DnsName FromLabels(params ReadOnlySpan<string> labels)
    {
        var name = Root;
        for (var i = labels.Length - 1; i >= 0; i--)
        {
            name = name.Prepend(labels[i]);
        }

        return name;
    }

    /// <summary>Parses the presentation form (RFC 1035 §5.1): dots separate labels; <c>\.</c>, <c>\\</c>, <c>\X</c> and <c>\DDD</c> escape.</summary>
    /// <exception cref="FormatException">The text is not a valid name.</exception>
    public static DnsName Parse(string text) =>
        TryParse(text, out var name) ? name : throw new FormatException($"not a valid DNS name: '{text}'");

    public static bool TryParse(string? text, [NotNullWhen(true)] out DnsName? name)
    {
        name = null;
        if (text is null)
        {
            return false;
        }

        if (text.Length == 0 || text == ".")
        {
            name = Root;
            return true;
        }

        Span<byte> wire = stackalloc byte[MaxWireLength];
        var length = 1; // wire[0] is the first label's length byte, filled in when the label closes
        var labelStart = 0;
        var labels = 0;
        var open = true;
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '.')
            {
                if (!CloseLabel(wire, labelStart, length))
                {
                    return false;
                }

                labels++;
                i++;
                if (i == text.Length)
                {
                    open = false; // a trailing dot: the name is fully qualified, which every name here is
                    break;
                }

                labelStart = length;
                if (!Append(wire, ref length, 0))
                {
                    return false;
                }

                continue;
            }

            if (c == '\\')
            {
                if (!TryReadEscape(text, ref i, out var value) || !Append(wire, ref length, value))
                {
                    return false;
                }

                continue;
            }

            // Any other character is UTF-8 encoded as it is.
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            var count = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < count; k++)
            {
                if (!Append(wire, ref length, utf8[k]))
                {
                    return false;
                }
            }

            i += consumed;
        }

        if (open)
        {
            if (!CloseLabel(wire, labelStart, length))
            {
                return false;
            }

            labels++;
        }

        wire[length++] = 0;
        name = new DnsName(wire[..length].ToArray(), labels);
        return true;
    }

    /// <summary>
    /// The presentation form without a trailing dot, "." for the root. Dots and backslashes inside labels are
    /// escaped (RFC 6763 §4.3); control characters and bytes that are not UTF-8 become <c>\DDD</c>, so that
    /// <see cref="Parse"/> gives back the same bytes.
    /// </summary>
    public override string ToString()
    {
        if (LabelCount == 0)
        {
            return ".";
        }

        var builder = new StringBuilder(_wire.Length + 8);
        var offset = 0;
        while (_wire[offset] != 0)
        {
            if (offset != 0)
            {
                builder.Append('.');
            }

            AppendLabel(builder, _wire.AsSpan(offset + 1, _wire[offset]));
            offset += _wire[offset] + 1;
        }

        return builder.ToString();
    }

    public bool Equals(DnsName? other) =>
        other is not null && (ReferenceEquals(this, other) || EqualsIgnoreAsciiCase(_wire, other._wire));

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var b in _wire)
        {
            hash.Add(ToLowerAscii(b));
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    /// <summary>
    /// Compares wire forms ignoring ASCII case. Length bytes (at most 63) never fall in 'A'..'Z', so folding them
    /// too is harmless, and two forms that match byte for byte have their labels in the same places.
    /// </summary>
    internal static bool EqualsIgnoreAsciiCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && ToLowerAscii(a[i]) != ToLowerAscii(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte ToLowerAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    private int OffsetOfLabel(int index)
    {
        var offset = 0;
        for (var i = 0; i < index; i++)
        {
            offset += _wire[offset] + 1;
        }

        return offset;
    }

    private static bool CloseLabel(Span<byte> wire, int labelStart, int length)
    {
        var labelLength = length - labelStart - 1;
        if (labelLength is 0 or > MaxLabelLength)
        {
            return false; // an empty label (".." or a leading dot) or one too long
        }

        wire[labelStart] = (byte)labelLength;
        return true;
    }

    private static bool Append(Span<byte> wire, ref int length, byte value)
    {
        // Room is kept for the terminating zero; the label length is checked when the label closes.
        if (length >= MaxWireLength - 1)
        {
            return false;
        }

        wire[length++] = value;
        return true;
    }

    private static bool TryReadEscape(string text, ref int i, out byte value)
    {
        value = 0;
        if (i + 1 >= text.Length)
        {
            return false; // a lone backslash at the end
        }

        if (char.IsAsciiDigit(text[i + 1]))
        {
            if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3])
                || !int.TryParse(text.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || number > byte.MaxValue)
            {
                return false;
            }

            value = (byte)number;
            i += 4;
            return true;
        }

        var escaped = text[i + 1];
        if (escaped > 0x7F)
        {
            return false; // only ASCII is quoted with a single backslash
        }

        value = (byte)escaped;
        i += 2;
        return true;
    }

    private static void AppendLabel(StringBuilder builder, ReadOnlySpan<byte> label)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(label);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: printable ASCII stays, every other byte is written as \DDD.
            foreach (var b in label)
            {
                AppendChar(builder, (char)b, b >= 0x80);
            }

            return;
        }

        Span<byte> utf8 = stackalloc byte[2];
        foreach (var c in text)
        {
            if (c >= 0x80 && char.IsControl(c))
            {
                // C1 controls (U+0080..U+009F) are two UTF-8 bytes; \DDD quotes bytes, so write both.
                var count = Encoding.UTF8.GetBytes([c], utf8);
                foreach (var b in utf8[..count])
                {
                    AppendChar(builder, (char)b, forceDecimal: true);
                }
            }
            else
            {
                AppendChar(builder, c, forceDecimal: false);
            }
        }
    }

    private static void AppendChar(StringBuilder builder, char c, bool forceDecimal)
    {
        if (c is '.' or '\\')
        {
            builder.Append('\\').Append(c);
        }
        else if (forceDecimal || char.IsControl(c))
        {
            builder.Append('\\').Append(((int)c).ToString("D3", CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append(c);
        }
    }
}
