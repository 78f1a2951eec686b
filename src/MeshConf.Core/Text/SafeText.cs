using System.Collections.Frozen;
using System.Globalization;

namespace MeshConf.Core.Text;

/// <summary>
/// Makes text a peer sent (a display name, a chat line) inert on anyone's terminal: nothing in it can start an
/// escape sequence, move the cursor, reorder the line or take other than exactly one terminal column.
/// </summary>
/// <remarks>
/// <para>The policy, applied to each user-perceived character (extended grapheme cluster, UAX #29):</para>
/// <list type="bullet">
/// <item>Whitespace (tab, LF, CR, VT, FF, NEL, U+2028/2029, every space separator) becomes one space; runs of
/// spaces collapse to one, and leading and trailing spaces go: a peer cannot pad its name or line to push text
/// about the screen.</item>
/// <item>A cluster whose NFC is a single char that <see cref="IsInert(char)"/> accepts is that char: decomposed
/// "Jose\u0301" becomes "José", the ohm sign becomes Ω.</item>
/// <item>Every other cluster becomes one '?': C0 and C1 controls, DEL and so ESC (which starts CSI, OSC 8/52,
/// DCS and title sequences), the 8-bit CSI U+009B, bidi controls (U+061C, U+200E/F, U+202A-202E, U+2066-2069)
/// and every other format char (category Cf: zero-width space and joiners, U+2060, U+FEFF, soft hyphen),
/// unpaired surrogates, noncharacters and unassigned code points, private use, combining marks NFC could not
/// fold into their base, East Asian wide and fullwidth chars, and everything outside the BMP (emoji, flags).</item>
/// </list>
/// <para>Why one column per char: the call screen's buffer holds one char per cell. A wide char drawn in one
/// cell would push the rest of its row, and the tile beside it, one column right; a zero-width one would pull it
/// left; a surrogate pair needs two cells for one glyph. A '?' keeps the line's shape and shows something was
/// there. Ambiguous-width chars (Greek, Cyrillic, '…') count as one column, as terminals outside CJK locales
/// draw them.</para>
/// <para>NFC is done here rather than with <see cref="string.Normalize()"/>: with InvariantGlobalization (our
/// build setting) .NET has no normalisation data and returns non-ASCII text unchanged. The tables
/// (SafeText.Tables.cs) hold what one-cell results need: every BMP canonical decomposition and the combining
/// classes of its marks; a cluster composes when its canonically ordered decomposition is that of one char.</para>
/// </remarks>
internal static partial class SafeText
{
    /// <summary>What a cluster that cannot be shown inertly in one column becomes.</summary>
    public const char Replacement = '?';

    /// <summary>Ends a result that was cut to its maximum length.</summary>
    public const char Ellipsis = '…';

    // Longer clusters (a base with dozens of stacked marks, "Zalgo" text) never compose to one char.
    private const int MaxClusterChars = 16;
    private const int MaxDecomposedChars = 4;

    /// <summary>
    /// <paramref name="text"/> as a terminal shows it inertly, one column per char, at most
    /// <paramref name="maxChars"/> chars (cut with '…' when longer). Null, empty or blank text gives "".
    /// </summary>
    public static string Sanitize(string? text, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // Every cluster is at least one char and gives at most one (and a space before it), so the output is no
        // longer than the input; reading stops once it is known to be longer than maxChars.
        var capacity = Math.Min(text.Length, maxChars) + 2;
        var output = capacity <= 256 ? stackalloc char[capacity] : new char[capacity];
        var written = 0;
        var spaceBefore = false;
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty && written <= maxChars)
        {
            var length = StringInfo.GetNextTextElementLength(remaining);
            var cell = CellOf(remaining[..length]);
            remaining = remaining[length..];
            if (cell == ' ')
            {
                spaceBefore = written > 0;
                continue;
            }

            if (spaceBefore)
            {
                output[written++] = ' ';
                spaceBefore = false;
            }

            output[written++] = cell;
        }

        if (written <= maxChars)
        {
            return new string(output[..written]);
        }

        var cut = maxChars - 1;
        while (cut > 0 && output[cut - 1] == ' ')
        {
            cut--;
        }

        output[cut] = Ellipsis;
        return new string(output[..(cut + 1)]);
    }

    /// <summary>True when every char of <paramref name="text"/> is one <see cref="IsInert(char)"/> accepts.</summary>
    public static bool IsInert(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!IsInert(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True for a char that is safe on a terminal and takes exactly one column whatever stands beside it: the
    /// space, and the assigned letters, digits, punctuation and symbols of the BMP that are neither wide nor
    /// blank, and that never join a neighbour into one grapheme cluster (so not the spacing marks, such as
    /// Thai sara am, nor the prepended ones, such as Malayalam dot reph), and that are their own NFC (not the
    /// ohm sign, which is Ω). These are exactly the chars <see cref="Sanitize"/> keeps as they are; everything it
    /// returns is made of them, one cluster per char, so sanitising its result again changes nothing.
    /// </summary>
    public static bool IsInert(char c) => (InertChars.Bits[c >> 6] & (1UL << (c & 63))) != 0;

    /// <summary>True for an East Asian wide or fullwidth char (UAX #11), which terminals draw two columns wide.</summary>
    public static bool IsWide(char c)
    {
        var ranges = WideRanges;
        int low = 0, high = (ranges.Length / 2) - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (c < ranges[2 * middle])
            {
                high = middle - 1;
            }
            else if (c > ranges[(2 * middle) + 1])
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Letters (category Lo) a terminal draws as nothing: the Hangul fillers, and the conjoining medial and
    /// final jamo that take no column of their own (blank names are a spoofing trick; zero width breaks rows).
    /// </summary>
    private static bool IsBlankLetter(char c) =>
        c is '\u115F' or '\u3164' or '\uFFA0' or (>= '\u1160' and <= '\u11FF') or (>= '\uD7B0' and <= '\uD7FF');

    /// <summary>The char classes <see cref="IsInert(char)"/> accepts, before asking how it joins neighbours.</summary>
    private static bool IsInertClass(char c)
    {
        if (c == ' ')
        {
            return true;
        }

        switch (char.GetUnicodeCategory(c))
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
            case UnicodeCategory.SpaceSeparator:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                return false;
        }

        return !IsBlankLetter(c) && !IsWide(c);
    }

    /// <summary>The one char a grapheme cluster shows as: a space, its single inert NFC char, or '?'.</summary>
    private static char CellOf(ReadOnlySpan<char> cluster)
    {
        if (IsAllWhiteSpace(cluster))
        {
            return ' ';
        }

        if (cluster.Length == 1 && !Normalization.Decompositions.ContainsKey(cluster[0]))
        {
            return IsInert(cluster[0]) ? cluster[0] : Replacement;
        }

        if (cluster.Length > MaxClusterChars)
        {
            return Replacement;
        }

        Span<char> decomposed = stackalloc char[MaxClusterChars * MaxDecomposedChars];
        var length = 0;
        foreach (var c in cluster)
        {
            if (char.IsSurrogate(c))
            {
                // Outside the BMP (or unpaired): never one char, so never one cell.
                return Replacement;
            }

            if (Normalization.Decompositions.TryGetValue(c, out var decomposition))
            {
                decomposition.CopyTo(decomposed[length..]);
                length += decomposition.Length;
            }
            else
            {
                decomposed[length++] = c;
            }
        }

        decomposed = decomposed[..length];
        Normalization.Reorder(decomposed);
        char result;
        if (length == 1)
        {
            result = decomposed[0];
        }
        else if (!Normalization.Compositions.TryGetValue(decomposed, out result))
        {
            return Replacement;
        }

        return IsInert(result) ? result : Replacement;
    }

    private static bool IsAllWhiteSpace(ReadOnlySpan<char> cluster)
    {
        foreach (var c in cluster)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <see cref="IsInert(char)"/> of every BMP char, one bit each, worked out on first use. Whether a char joins
    /// a neighbour is asked of the runtime's own segmentation (the one <see cref="Sanitize"/> uses), with 'a' on
    /// either side, so the two always agree whatever Unicode version the runtime has.
    /// </summary>
    private static class InertChars
    {
        public static readonly ulong[] Bits = Build();

        private static ulong[] Build()
        {
            var bits = new ulong[(char.MaxValue + 1) / 64];
            Span<char> pair = stackalloc char[2];
            for (var code = 0; code <= char.MaxValue; code++)
            {
                var c = (char)code;
                if (!IsInertClass(c) || !Normalization.IsOwnNfc(c))
                {
                    continue;
                }

                pair[0] = 'a';
                pair[1] = c;
                var joinsBefore = StringInfo.GetNextTextElementLength(pair) != 1;
                pair[0] = c;
                pair[1] = 'a';
                var joinsAfter = StringInfo.GetNextTextElementLength(pair) != 1;
                if (!joinsBefore && !joinsAfter)
                {
                    bits[code >> 6] |= 1UL << (code & 63);
                }
            }

            return bits;
        }
    }

    /// <summary>The lookups built from the generated tables, on first use.</summary>
    private static class Normalization
    {
        /// <summary>A char's full canonical decomposition (NFD), for every BMP char that has one.</summary>
        public static readonly FrozenDictionary<char, string> Decompositions;

        /// <summary>From an NFD back to the one char NFC makes of it (composition exclusions left out).</summary>
        public static readonly FrozenDictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> Compositions;

        private static readonly FrozenDictionary<char, byte> CombiningClasses;

        static Normalization()
        {
            const int EntryChars = 2 + MaxDecomposedChars;
            var table = SafeText.Decompositions;
            var decompositions = new Dictionary<char, string>(table.Length / EntryChars);
            var compositions = new Dictionary<string, char>(table.Length / EntryChars, StringComparer.Ordinal);
            for (var i = 0; i < table.Length; i += EntryChars)
            {
                var entry = table.Slice(i, EntryChars);
                var nfd = entry[2..];
                var end = nfd.IndexOf('\0');
                var decomposition = new string(end < 0 ? nfd : nfd[..end]);
                decompositions.Add(entry[0], decomposition);
                if (entry[1] == '\u0001')
                {
                    compositions.Add(decomposition, entry[0]);
                }
            }

            var classes = new Dictionary<char, byte>();
            var pairs = SafeText.CombiningClasses;
            for (var i = 0; i < pairs.Length; i += 2)
            {
                classes.Add(pairs[i], (byte)pairs[i + 1]);
            }

            Decompositions = decompositions.ToFrozenDictionary();
            Compositions = compositions.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            CombiningClasses = classes.ToFrozenDictionary();
        }

        /// <summary>
        /// The canonical ordering algorithm (Unicode §3.11): adjacent marks swap while the first has the higher
        /// non-zero combining class. A char without a known class counts as a starter; no key holds such a
        /// char, so a cluster containing one does not compose whatever its order.
        /// </summary>
        public static void Reorder(Span<char> text)
        {
            for (var i = 1; i < text.Length; i++)
            {
                for (var j = i; j > 0; j--)
                {
                    var current = ClassOf(text[j]);
                    if (current == 0 || ClassOf(text[j - 1]) <= current)
                    {
                        break;
                    }

                    (text[j - 1], text[j]) = (text[j], text[j - 1]);
                }
            }
        }

        /// <summary>True when NFC leaves <paramref name="c"/> alone (false for the ohm sign, U+0958...).</summary>
        public static bool IsOwnNfc(char c) =>
            !Decompositions.TryGetValue(c, out var decomposition) || (Compositions.TryGetValue(decomposition, out var composed) && composed == c);

        private static byte ClassOf(char c) => CombiningClasses.GetValueOrDefault(c);
    }
}
