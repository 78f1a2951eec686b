using System.Globalization;
using System.Text;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>
/// The names a responder tries after conflicts (RFC 6762 §9, RFC 6763 §4.1.1 and Appendix D): the instance
/// <c>darker (a1b2)</c> becomes <c>darker (a1b2) (2)</c>, <c>(3)</c>...; the host <c>darker-a1b2</c> becomes
/// <c>darker-a1b2-2</c>, <c>-3</c>... The base is shortened when the suffix would push the label past 63 bytes.
/// </summary>
internal static class MdnsNames
{
    /// <param name="baseLabel">The label first proposed.</param>
    /// <param name="attempt">1 for the base itself, 2 for the first rename, and so on.</param>
    public static string InstanceLabel(string baseLabel, int attempt) =>
        WithSuffix(baseLabel, attempt, string.Create(CultureInfo.InvariantCulture, $" ({attempt})"), ' ');

    public static string HostLabel(string baseLabel, int attempt) =>
        WithSuffix(baseLabel, attempt, string.Create(CultureInfo.InvariantCulture, $"-{attempt}"), '-');

    /// <summary>The longest prefix of <paramref name="text"/> that is at most <paramref name="maxBytes"/> bytes of UTF-8, cut between characters.</summary>
    public static string TruncateUtf8(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = 0;
        var index = 0;
        while (index < text.Length)
        {
            var length = char.IsSurrogatePair(text, index) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(index, length));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            index += length;
        }

        return text[..index];
    }

    /// <summary>The base, shortened to leave room for the suffix (without a dangling separator where it was cut), then the suffix.</summary>
    private static string WithSuffix(string baseLabel, int attempt, string suffix, char separator)
    {
        ArgumentNullException.ThrowIfNull(baseLabel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        if (attempt == 1)
        {
            return baseLabel;
        }

        var room = DnsName.MaxLabelLength - Encoding.UTF8.GetByteCount(suffix);
        var kept = TruncateUtf8(baseLabel, room);
        return (kept.Length < baseLabel.Length ? kept.TrimEnd(separator) : kept) + suffix;
    }
}
