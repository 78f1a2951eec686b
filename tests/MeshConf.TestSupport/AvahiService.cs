using System.Globalization;
using System.Net;
using System.Text;

namespace MeshConf.TestSupport;

/// <summary>
/// One resolved service as avahi-browse reports it in parsable mode (<c>-p</c>, a line starting with "="):
/// <c>=;veth0;IPv4;My\032Name;_meshconf._udp;local;host.local;10.77.0.1;7001;"k=v" "a=b"</c>.
/// Text is decoded: avahi writes a label's bytes other than letters, digits, '-' and '_' as <c>\DDD</c>
/// (decimal) and escapes '.' and '\' with a backslash; TXT strings are quoted, with '"' and '\' escaped by a
/// backslash and non-printable bytes as <c>\DDD</c>. Byte sequences are then read as UTF-8.
/// </summary>
/// <param name="Interface">The interface it was found on, e.g. "veth0".</param>
/// <param name="Protocol">"IPv4" or "IPv6".</param>
/// <param name="Name">The service instance name, unescaped ("Mesh Conf. Test").</param>
/// <param name="Type">The service type, e.g. "_meshconf._udp".</param>
/// <param name="Domain">Usually "local".</param>
/// <param name="Host">The target host name, e.g. "mc-h1.local".</param>
/// <param name="Address">The host's address.</param>
/// <param name="Port">The service port.</param>
/// <param name="Txt">The TXT strings, in the order avahi printed them (avahi reverses the published order).</param>
public sealed record AvahiService(
    string Interface,
    string Protocol,
    string Name,
    string Type,
    string Domain,
    string Host,
    IPAddress Address,
    int Port,
    IReadOnlyList<string> Txt)
{
    private const int ResolvedFieldCount = 10;

    /// <summary>The resolved services in avahi-browse -p output; other lines ("+", "-", malformed) are skipped.</summary>
    public static IReadOnlyList<AvahiService> ParseAll(string browseOutput)
    {
        ArgumentNullException.ThrowIfNull(browseOutput);
        var services = new List<AvahiService>();
        foreach (var line in browseOutput.Split('\n'))
        {
            if (TryParse(line.TrimEnd('\r'), out var service))
            {
                services.Add(service);
            }
        }

        return services;
    }

    /// <summary>Parses one "=" line; false for any other line or a malformed one.</summary>
    public static bool TryParse(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AvahiService? service)
    {
        service = null;
        if (line is null || !line.StartsWith("=;", StringComparison.Ordinal))
        {
            return false;
        }

        // Labels escape ';' as \059, so only the TXT field (last) can hold a raw ';': split at most 10 ways.
        var fields = line.Split(';', ResolvedFieldCount);
        if (fields.Length != ResolvedFieldCount
            || !IPAddress.TryParse(fields[7], out var address)
            || !int.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > ushort.MaxValue
            || !TryUnescape(fields[3], out var name)
            || !TryUnescape(fields[4], out var type)
            || !TryUnescape(fields[5], out var domain)
            || !TryUnescape(fields[6], out var host)
            || !TryParseTxt(fields[9], out var txt))
        {
            return false;
        }

        service = new AvahiService(fields[1], fields[2], name, type, domain, host, address, port, txt);
        return true;
    }

    /// <summary>Decodes avahi's label escapes (<c>\032</c>, <c>\.</c>, <c>\\</c>) and reads the bytes as UTF-8.</summary>
    public static bool TryUnescape(string escaped, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        text = null;
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (!TryReadByte(escaped, ref i, bytes))
            {
                return false;
            }
        }

        return TryDecodeUtf8(bytes, out text);
    }

    /// <summary>Appends the byte(s) at <paramref name="i"/> (one escape or one plain character), moving past it.</summary>
    private static bool TryReadByte(string s, ref int i, List<byte> bytes)
    {
        if (s[i] != '\\')
        {
            Span<byte> utf8 = stackalloc byte[4];
            var length = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
            var written = Encoding.UTF8.GetBytes(s.AsSpan(i, length), utf8);
            foreach (var b in utf8[..written])
            {
                bytes.Add(b);
            }

            i += length - 1;
            return true;
        }

        if (i + 3 < s.Length && char.IsAsciiDigit(s[i + 1]) && char.IsAsciiDigit(s[i + 2]) && char.IsAsciiDigit(s[i + 3]))
        {
            var value = ((s[i + 1] - '0') * 100) + ((s[i + 2] - '0') * 10) + (s[i + 3] - '0');
            if (value > byte.MaxValue)
            {
                return false;
            }

            bytes.Add((byte)value);
            i += 3;
            return true;
        }

        if (i + 1 < s.Length && s[i + 1] < 0x80)
        {
            bytes.Add((byte)s[i + 1]);
            i += 1;
            return true;
        }

        return false;
    }

    /// <summary>Parses <c>"a=b" "c=d"</c> (or an empty field) into strings.</summary>
    private static bool TryParseTxt(string field, out IReadOnlyList<string> txt)
    {
        var strings = new List<string>();
        txt = strings;
        var i = 0;
        while (true)
        {
            while (i < field.Length && field[i] == ' ')
            {
                i++;
            }

            if (i == field.Length)
            {
                return true;
            }

            if (field[i] != '"')
            {
                return false;
            }

            var bytes = new List<byte>();
            for (i++; ; i++)
            {
                if (i >= field.Length)
                {
                    return false;
                }

                if (field[i] == '"')
                {
                    i++;
                    break;
                }

                if (!TryReadByte(field, ref i, bytes))
                {
                    return false;
                }
            }

            if (!TryDecodeUtf8(bytes, out var text))
            {
                return false;
            }

            strings.Add(text);
        }
    }

    private static bool TryDecodeUtf8(List<byte> bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString([.. bytes]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = null;
            return false;
        }
    }
}
