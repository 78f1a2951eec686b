using System.Text;
using MeshConf.Core.Chat;
using MeshConf.Core.Net;

namespace MeshConf.Core.Tests.Chat;

public sealed class ChatLineTests
{
    public static TheoryData<uint, long, string> Lines => new()
    {
        { 1, 1_767_225_600_000, "hello" },
        { 0, 0, "x" },
        { uint.MaxValue, long.MaxValue, "José, Zoë and Ωmega: 日本語 😀" },
        { 0x8000_0000, long.MinValue, "\e[2J not our business here: ChatLog sanitises" },
        { 42, -1, new string('a', ChatLine.MaxTextBytes) },
        { 7, 123, string.Concat(Enumerable.Repeat("é", ChatLine.MaxTextBytes / 2)) },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Given_a_line_When_written_and_read_Then_it_comes_back_whole(uint sequence, long sent, string text)
    {
        var line = new ChatLine(sequence, sent, text);
        var buffer = new byte[ChatLine.MaxSize + 10];

        var length = line.Write(buffer);

        Assert.Equal(ChatLine.SizeOf(text), length);
        Assert.True(ChatLine.TryRead(buffer.AsSpan(0, length), out var read));
        Assert.Equal(line, read);
    }

    [Fact]
    public void Given_a_known_line_Then_its_bytes_are_the_documented_big_endian_layout()
    {
        var line = new ChatLine(0x01020304, 0x05060708_090A0B0C, "hé");
        var buffer = new byte[ChatLine.SizeOf(line.Text)];

        line.Write(buffer);

        Assert.Equal(
            new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 3, (byte)'h', 0xC3, 0xA9 },
            buffer);
        Assert.Equal(0x40, ChatMessageType.Line);
    }

    [Fact]
    public void Given_a_valid_message_When_cut_short_anywhere_Then_no_truncation_reads()
    {
        var line = new ChatLine(9, 99, "a line with é and 😀 in it");
        var message = new byte[ChatLine.SizeOf(line.Text)];
        line.Write(message);

        for (var length = 0; length < message.Length; length++)
        {
            Assert.False(ChatLine.TryRead(message.AsSpan(0, length), out var read), $"{length} bytes");
            Assert.Equal(default, read);
        }

        var longer = new byte[message.Length + 1];
        message.CopyTo(longer, 0);
        Assert.False(ChatLine.TryRead(longer, out _), "a byte too many");
    }

    [Fact]
    public void Given_malformed_text_When_read_Then_it_is_refused()
    {
        Assert.False(ChatLine.TryRead(Message([]), out _), "empty text");
        Assert.False(ChatLine.TryRead(Message(new byte[ChatLine.MaxTextBytes + 1]), out _), "over-long text");
        Assert.True(ChatLine.TryRead(Message(new byte[ChatLine.MaxTextBytes]), out _), "NULs are valid UTF-8; the log sanitises them");

        byte[][] invalid =
        [
            [0x80],                   // a lone continuation byte
            [0xC3],                   // a truncated two-byte sequence
            [0xC0, 0xAF],             // an overlong '/'
            [0xE0, 0x80, 0xAF],       // an overlong three-byte form
            [0xED, 0xA0, 0x80],       // an encoded high surrogate (CESU-8)
            [0xF4, 0x90, 0x80, 0x80], // past U+10FFFF
            [0xFF],
            [(byte)'o', (byte)'k', 0xE2, 0x82], // valid, then truncated at the end
        ];
        foreach (var text in invalid)
        {
            Assert.False(ChatLine.TryRead(Message(text), out _), Convert.ToHexString(text));
        }

        // A length field that disagrees with the body.
        var message = Message("abc"u8.ToArray());
        message[13] = 4;
        Assert.False(ChatLine.TryRead(message, out _));
        message[13] = 2;
        Assert.False(ChatLine.TryRead(message, out _));
        message[12] = 1;
        message[13] = 3;
        Assert.False(ChatLine.TryRead(message, out _));
    }

    [Fact]
    public void Given_lines_a_sender_must_not_send_When_written_Then_it_throws()
    {
        var buffer = new byte[ChatLine.MaxSize * 2];

        Assert.Throws<ArgumentException>(() => new ChatLine(1, 1, string.Empty).Write(buffer));
        Assert.Throws<ArgumentException>(() => new ChatLine(1, 1, new string('a', ChatLine.MaxTextBytes + 1)).Write(buffer));
        Assert.Throws<ArgumentException>(() => new ChatLine(1, 1, "abc").Write(new byte[ChatLine.HeaderSize + 2]));
    }

    [Fact]
    public void Given_100k_random_and_mutated_messages_When_read_Then_none_throws_and_accepted_ones_round_trip()
    {
        var random = new Xoshiro256StarStar(0x63686174_66757A7A); // "chatfuzz"
        var seeds = new[] { "hello", "José 😀", new string('x', ChatLine.MaxTextBytes), "é" }
            .Select(text =>
            {
                var bytes = new byte[ChatLine.SizeOf(text)];
                new ChatLine(3, 1_767_225_600_000, text).Write(bytes);
                return bytes;
            })
            .ToArray();
        var buffer = new byte[ChatLine.MaxSize + 64];
        var rewritten = new byte[ChatLine.MaxSize];
        var accepted = 0;

        for (var i = 0; i < 100_000; i++)
        {
            var length = Mutate(ref random, seeds, buffer);
            var span = buffer.AsSpan(0, length);
            bool ok;
            ChatLine line;
            try
            {
                ok = ChatLine.TryRead(span, out line);
            }
            catch (Exception exception)
            {
                Assert.Fail($"message {i} threw {exception}\n{Convert.ToHexString(span)}");
                return;
            }

            if (ok)
            {
                accepted++;
                Assert.True(Encoding.UTF8.GetByteCount(line.Text) is > 0 and <= ChatLine.MaxTextBytes);
                var written = line.Write(rewritten);
                Assert.True(span.SequenceEqual(rewritten.AsSpan(0, written)), $"message {i} did not write back the same");
            }
        }

        // Mutations keep some messages valid (a changed sequence, timestamp or ASCII byte): both ways are exercised.
        Assert.InRange(accepted, 1_000, 90_000);
    }

    [Fact]
    public void Given_texts_of_every_shape_When_fitted_Then_the_result_fits_is_a_prefix_and_splits_no_pair()
    {
        Assert.Equal("short", ChatLine.Fit("short"));
        var exact = new string('a', ChatLine.MaxTextBytes);
        Assert.Same(exact, ChatLine.Fit(exact));
        Assert.Equal(exact, ChatLine.Fit(exact + "b"));

        // 😀 is 4 UTF-8 bytes and 2 chars: 510 bytes of 'a' leave room for no emoji.
        var nearly = new string('a', ChatLine.MaxTextBytes - 2) + "😀😀";
        Assert.Equal(new string('a', ChatLine.MaxTextBytes - 2), ChatLine.Fit(nearly));

        var random = new Random(11);
        string[] pieces = ["a", "é", "€", "😀", "\uD800", "\uDC00", "日"];
        for (var i = 0; i < 2_000; i++)
        {
            var builder = new StringBuilder();
            var count = random.Next(100, 400);
            for (var j = 0; j < count; j++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = builder.ToString();
            var fitted = ChatLine.Fit(text);

            Assert.StartsWith(fitted, text, StringComparison.Ordinal);
            Assert.True(ChatLine.SizeOf(fitted) <= ChatLine.MaxSize);
            Assert.False(fitted.Length > 0 && char.IsHighSurrogate(fitted[^1]) && fitted.Length < text.Length && char.IsLowSurrogate(text[fitted.Length]), "split a pair");
            if (fitted.Length < text.Length)
            {
                // Cut as late as possible: the next scalar would not have fitted.
                var next = char.IsSurrogatePair(text, fitted.Length) ? 2 : 1;
                Assert.True(ChatLine.SizeOf(text[..(fitted.Length + next)]) > ChatLine.MaxSize);
            }
            else
            {
                Assert.True(ChatLine.SizeOf(text) <= ChatLine.MaxSize);
            }
        }
    }

    private static byte[] Message(byte[] text)
    {
        var message = new byte[ChatLine.HeaderSize + text.Length];
        message[0] = 1;
        message[12] = (byte)(text.Length >> 8);
        message[13] = (byte)text.Length;
        text.CopyTo(message, ChatLine.HeaderSize);
        return message;
    }

    private static int Mutate(ref Xoshiro256StarStar random, byte[][] seeds, byte[] buffer)
    {
        var choice = random.NextUInt64() % 8;
        if (choice == 0)
        {
            // Pure noise of any length up to beyond the largest message.
            var noise = (int)(random.NextUInt64() % (ulong)buffer.Length);
            for (var i = 0; i < noise; i++)
            {
                buffer[i] = (byte)random.NextUInt64();
            }

            return noise;
        }

        var seed = seeds[random.NextUInt64() % (ulong)seeds.Length];
        seed.CopyTo(buffer, 0);
        var length = seed.Length;
        var edits = 1 + (int)(random.NextUInt64() % 4);
        for (var e = 0; e < edits; e++)
        {
            var at = (int)(random.NextUInt64() % (ulong)length);
            switch (random.NextUInt64() % 5)
            {
                case 0:
                    buffer[at] ^= (byte)(1 << (int)(random.NextUInt64() % 8));
                    break;
                case 1:
                    buffer[at] = (byte)random.NextUInt64();
                    break;
                case 2:
                    length = Math.Max(0, length - 1 - (int)(random.NextUInt64() % 8));
                    break;
                case 3:
                    if (length < buffer.Length)
                    {
                        buffer[length++] = (byte)random.NextUInt64();
                    }

                    break;
                default:
                    // Keep the length field honest after a text change, so UTF-8 validation is what decides.
                    var textLength = Math.Max(0, length - ChatLine.HeaderSize);
                    if (length >= ChatLine.HeaderSize)
                    {
                        buffer[12] = (byte)(textLength >> 8);
                        buffer[13] = (byte)textLength;
                        buffer[ChatLine.HeaderSize + (at % Math.Max(1, textLength))] = (byte)(0x80 | random.NextUInt64());
                    }

                    break;
            }

            if (length == 0)
            {
                break;
            }
        }

        return length;
    }
}
