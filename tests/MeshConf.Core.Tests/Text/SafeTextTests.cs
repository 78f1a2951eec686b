using System.Globalization;
using System.Text;
using MeshConf.Core.Text;

namespace MeshConf.Core.Tests.Text;

public sealed class SafeTextTests
{
    private const int Wide = 100;

    [Fact]
    public void Given_every_BMP_char_alone_When_sanitised_Then_at_most_one_inert_char_comes_out()
    {
        var changed = new Dictionary<char, char>();
        for (var code = 0; code <= 0xFFFF; code++)
        {
            var c = (char)code;
            var result = SafeText.Sanitize(c.ToString(), Wide);

            Assert.True(result.Length <= 1, $"U+{code:X4} gave {result.Length} chars");
            Assert.True(SafeText.IsInert(result), $"U+{code:X4}");
            Assert.Equal(SafeText.IsInert(c) && c != ' ', result == c.ToString());

            if (result.Length == 1 && result[0] != c && result[0] != SafeText.Replacement)
            {
                changed.Add(c, result[0]);
            }
        }

        // Only the canonical singletons change into another char (NFC): the ohm, Kelvin and angstrom signs, the
        // Greek question mark and ano teleia, the polytonic oxia forms...
        Assert.Equal('\u03A9', changed['\u2126']);
        Assert.Equal('K', changed['\u212A']);
        Assert.Equal('\u00C5', changed['\u212B']);
        Assert.Equal(';', changed['\u037E']);
        Assert.Equal('\u00B7', changed['\u0387']);
        Assert.Equal('\u03AC', changed['\u1F71']);
        Assert.InRange(changed.Count, 5, 40);
    }

    [Fact]
    public void Given_every_BMP_char_When_classified_Then_controls_formats_marks_and_wide_chars_are_not_inert()
    {
        var kept = 0;
        for (var code = 0; code <= 0xFFFF; code++)
        {
            var c = (char)code;
            var category = char.GetUnicodeCategory(c);
            var result = SafeText.Sanitize(c.ToString(), Wide);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                Assert.False(SafeText.IsInert(c), $"U+{code:X4} ({category})");
                Assert.NotEqual(c.ToString(), result);
            }

            if (char.IsWhiteSpace(c))
            {
                // A lone space is blank, so trimmed away.
                Assert.Equal(string.Empty, result);
            }

            if (result == c.ToString())
            {
                kept++;
            }
        }

        // Latin, Greek, Cyrillic, Arabic, Indic letters, symbols...: most of the narrow BMP survives.
        Assert.InRange(kept, 10_000, 30_000);
    }

    public static TheoryData<string, string> Attacks => new()
    {
        { "\e[2J\e[Hgotcha", "?[2J?[Hgotcha" },
        { "a\e]52;c;cm0gLXJmIH4=\ab", "a?]52;c;cm0gLXJmIH4=?b" },
        { "\e]8;;https://evil.example/\e\\click\e]8;;\e\\", "?]8;;https://evil.example/?\\click?]8;;?\\" },
        { "\eP+q544e\e\\x", "?P+q544e?\\x" },
        { "\e]0;pwned\a", "?]0;pwned?" },
        { "\e]2;title\e\\", "?]2;title?\\" },
        { "x\u009B31mred", "x?31mred" },
        { "\u009D0;title\u009C", "?0;title?" },
        { "evil\u202Etxt.exe", "evil?txt.exe" },
        { "\u2066a\u2067b\u2068c\u2069\u061C\u200E\u200F", "?a?b?c????" },
        { "zero\u200Bwidth\u2060joiner\uFEFF", "zero?width?joiner?" },
        { "del\u007Fete", "del?ete" },
        { "nul\0byte", "nul?byte" },
        { "bell\a!", "bell?!" },
        { "back\bspace", "back?space" },
        { "cursor\e[10;10Hmove", "cursor?[10;10Hmove" },
        { "non\uFFFEchar\uFDD0", "non?char?" },
        { "private\uE000use", "private?use" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Given_an_attack_string_When_sanitised_Then_no_escape_or_control_survives(string attack, string expected)
    {
        var result = SafeText.Sanitize(attack, Wide);

        Assert.Equal(expected, result);
        Assert.True(SafeText.IsInert(result));
        Assert.DoesNotContain('\e', result);
        Assert.False(SafeText.IsInert(attack));
    }

    [Fact]
    public void Given_unpaired_surrogates_When_sanitised_Then_each_is_a_question_mark()
    {
        // Not theory data: xunit passes theory strings through UTF-8, which turns a lone surrogate into U+FFFD.
        Assert.Equal("lone?high", SafeText.Sanitize("lone\uD800high", Wide));
        Assert.Equal("lone?low", SafeText.Sanitize("lone\uDC00low", Wide));
        Assert.Equal("??", SafeText.Sanitize("\uDC00\uD800", Wide));
        Assert.Equal("end?", SafeText.Sanitize("end\uD83D", Wide));
        Assert.False(SafeText.IsInert("\uD800"));
    }

    public static TheoryData<string, string> Names => new()
    {
        { "José", "José" },
        { "Jose\u0301", "José" },
        { "Zoë", "Zoë" },
        { "Zoe\u0308", "Zoë" },
        { "Ωmega", "Ωmega" },
        { "\u2126mega", "Ωmega" },
        { "Nguye\u0302\u0303n", "Nguyễn" },
        { "Nguye\u0303\u0302n", "Nguy?n" },
        { "A\u030A ngstr\u00F6m", "Å ngström" },
        { "q\u0323\u0307", "?" },
        { "Ирина", "Ирина" },
        { "Σωκράτης", "Σωκράτης" },
        { "ﾊﾝｶｸ", "ﾊﾝｶｸ" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Given_a_name_When_sanitised_Then_it_is_kept_in_composed_form(string name, string expected)
    {
        var result = SafeText.Sanitize(name, Wide);

        Assert.Equal(expected, result);
        Assert.True(SafeText.IsInert(result));
    }

    [Fact]
    public void Given_marks_in_non_canonical_order_When_sanitised_Then_they_compose_as_NFC_does()
    {
        // U+1EA0 is A with dot below: NFD "A\u0323"; with a circumflex, U+1EAC (dot below 220 sorts before circumflex 230).
        Assert.Equal("\u1EAC", SafeText.Sanitize("A\u0302\u0323", Wide));
        Assert.Equal("\u1EAC", SafeText.Sanitize("A\u0323\u0302", Wide));
        Assert.Equal("\u1EAC", SafeText.Sanitize("\u00C2\u0323", Wide));
        Assert.Equal("\u1EAC", SafeText.Sanitize("\u1EA0\u0302", Wide));
    }

    public static TheoryData<string, string> WideOrZeroWidth => new()
    {
        { "日本語", "???" },
        { "ＡＢ", "??" },
        { "한국", "??" },
        { "\u1100\u1161", "?" },
        { "hi 😀!", "hi ?!" },
        { "family 👨‍👩‍👧 ok", "family ? ok" },
        { "flag 🇫🇷", "flag ?" },
        { "heart ❤\uFE0F", "heart ?" },
        { "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301x", "?x" },
        { "\u0301start", "?start" },
        { "𝐀bold", "?bold" },
        { "ㅤblank", "?blank" },
        { "\u231Awatch", "?watch" },
    };

    [Theory]
    [MemberData(nameof(WideOrZeroWidth))]
    public void Given_chars_that_are_not_one_column_When_sanitised_Then_each_user_perceived_char_is_one_question_mark(string text, string expected)
    {
        Assert.Equal(expected, SafeText.Sanitize(text, Wide));
    }

    [Theory]
    [InlineData("  padded  name  ", "padded name")]
    [InlineData("tab\tnew\nline\r\ncr\rend", "tab new line cr end")]
    [InlineData("\u00A0nbsp\u3000ideographic\u2028line\u2029para\u0085nel", "nbsp ideographic line para nel")]
    [InlineData("   \t\r\n  ", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a \u200B b", "a ? b")]
    public void Given_whitespace_When_sanitised_Then_it_becomes_single_spaces_and_is_trimmed(string? text, string expected)
    {
        Assert.Equal(expected, SafeText.Sanitize(text, Wide));
    }

    [Theory]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdefg", 6, "abcde…")]
    [InlineData("abcd efgh", 6, "abcd…")]
    [InlineData("abcd   efgh", 6, "abcd…")]
    [InlineData("ab", 1, "…")]
    [InlineData("a", 1, "a")]
    [InlineData("Jose\u0301 Jose\u0301", 9, "José José")]
    [InlineData("abc      ", 3, "abc")]
    public void Given_a_maximum_When_the_result_is_longer_Then_it_is_cut_with_an_ellipsis(string text, int max, string expected)
    {
        var result = SafeText.Sanitize(text, max);

        Assert.Equal(expected, result);
        Assert.True(result.Length <= max);
        Assert.True(SafeText.IsInert(result));
    }

    [Fact]
    public void Given_a_huge_hostile_text_When_sanitised_Then_the_result_is_cut_and_inert()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            builder.Append("\e[31m").Append((char)(i % 0x3000)).Append('\u202E');
        }

        var result = SafeText.Sanitize(builder.ToString(), 80);

        Assert.Equal(80, result.Length);
        Assert.EndsWith("…", result, StringComparison.Ordinal);
        Assert.True(SafeText.IsInert(result));
    }

    [Fact]
    public void Given_random_strings_When_sanitised_Then_results_are_inert_bounded_and_stable()
    {
        var random = new Random(7);
        var buffer = new char[40];
        for (var i = 0; i < 50_000; i++)
        {
            var length = random.Next(buffer.Length);
            for (var j = 0; j < length; j++)
            {
                // Mostly around the interesting ranges: ASCII, Latin-1, combining marks, bidi, surrogates.
                buffer[j] = random.Next(6) switch
                {
                    0 => (char)random.Next(0x00, 0x80),
                    1 => (char)random.Next(0x80, 0x180),
                    2 => (char)random.Next(0x300, 0x370),
                    3 => (char)random.Next(0x2000, 0x2070),
                    4 => (char)random.Next(0xD800, 0xE000),
                    _ => (char)random.Next(0x10000),
                };
            }

            var text = new string(buffer, 0, length);
            var max = random.Next(1, 30);
            var result = SafeText.Sanitize(text, max);

            Assert.True(result.Length <= max, text);
            Assert.True(SafeText.IsInert(result), text);
            Assert.False(result.StartsWith(' ') || result.EndsWith(' ') || result.Contains("  ", StringComparison.Ordinal), text);
            if (!result.EndsWith(SafeText.Ellipsis))
            {
                Assert.Equal(result, SafeText.Sanitize(result, max));
            }
        }
    }

    [Fact]
    public void Given_inert_and_other_text_When_checked_Then_IsInert_tells_them_apart()
    {
        Assert.True(SafeText.IsInert("plain text, 100% (ok) …?"));
        Assert.True(SafeText.IsInert(string.Empty));
        Assert.False(SafeText.IsInert("two  spaces\t"));
        Assert.False(SafeText.IsInert("wide 日"));
        Assert.False(SafeText.IsInert("e\u0301"));
        Assert.False(SafeText.IsInert("\u00A0"));
        Assert.True(SafeText.IsWide('日'));
        Assert.True(SafeText.IsWide('\uFF01'));
        Assert.False(SafeText.IsWide('A'));
        Assert.False(SafeText.IsWide('\uFF61'));
    }
}
