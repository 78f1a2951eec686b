using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using MeshConf.Core.Wire;

namespace MeshConf.Core.Chat;

/// <summary>
/// One chat line a node sends to each peer (<see cref="ChatMessageType.Line"/>, control channel). Wire, big-endian
/// as every mesh control message: sequence (u32, per sender, from 1), sent (i64, Unix milliseconds by the
/// sender's clock), text length (u16, 1 to <see cref="MaxTextBytes"/>), then the text as strict UTF-8.
/// </summary>
/// <remarks>
/// The text is taken as the sender wrote it; it is whatever a peer chose to send, so it is shown only through
/// <see cref="ChatLog"/>, which sanitises it.
/// </remarks>
internal readonly record struct ChatLine(uint Sequence, long SentUnixMs, string Text)
{
    /// <summary>The longest text, in UTF-8 bytes; a sender cuts longer lines with <see cref="Fit"/>.</summary>
    public const int MaxTextBytes = 512;

    /// <summary>The bytes before the text.</summary>
    public const int HeaderSize = 4 + 8 + 2;

    /// <summary>The longest message.</summary>
    public const int MaxSize = HeaderSize + MaxTextBytes;

    /// <summary>The message size of a line with <paramref name="text"/> (unpaired surrogates count as U+FFFD).</summary>
    public static int SizeOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return HeaderSize + Encoding.UTF8.GetByteCount(text);
    }

    /// <summary>
    /// Writes the message and returns its length. Throws for an empty or over-long text (a sender fits it
    /// first) or a destination shorter than <see cref="SizeOf"/>.
    /// </summary>
    public int Write(Span<byte> destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(Text);
        var textBytes = Encoding.UTF8.GetByteCount(Text);
        if (textBytes > MaxTextBytes)
        {
            throw new ArgumentException($"a chat line holds at most {MaxTextBytes} UTF-8 bytes, not {textBytes}: cut it with Fit");
        }

        if (destination.Length < HeaderSize + textBytes)
        {
            throw new ArgumentException($"a chat line of {textBytes} text bytes needs {HeaderSize + textBytes} bytes", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Sequence);
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], SentUnixMs);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], (ushort)textBytes);
        Encoding.UTF8.GetBytes(Text, destination[HeaderSize..]);
        return HeaderSize + textBytes;
    }

    /// <summary>
    /// Reads a message; false (never an exception) for a wrong length, an empty or over-long text, or text that
    /// is not valid UTF-8 (overlong forms, encoded surrogates, truncated sequences).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out ChatLine line)
    {
        line = default;
        if (body.Length <= HeaderSize || body.Length > MaxSize)
        {
            return false;
        }

        var reader = new WireReader(body);
        var sequence = reader.ReadUInt32();
        var sent = (long)reader.ReadUInt64();
        var text = reader.ReadBlock16(MaxTextBytes);
        if (!reader.IsCompleteAndValid || text.IsEmpty)
        {
            return false;
        }

        // UTF-8 never gives more UTF-16 chars than it has bytes.
        Span<char> chars = stackalloc char[MaxTextBytes];
        if (Utf8.ToUtf16(text, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return false;
        }

        line = new ChatLine(sequence, sent, new string(chars[..written]));
        return true;
    }

    /// <summary>
    /// <paramref name="text"/> cut to at most <see cref="MaxTextBytes"/> UTF-8 bytes, between two scalar values
    /// (a surrogate pair stays whole); text that fits comes back as it is.
    /// </summary>
    public static string Fit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = 0;
        var index = 0;
        while (index < text.Length)
        {
            // An unpaired surrogate decodes as U+FFFD, which is also what the encoder writes for it.
            Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            if (bytes + rune.Utf8SequenceLength > MaxTextBytes)
            {
                return text[..index];
            }

            bytes += rune.Utf8SequenceLength;
            index += consumed;
        }

        return text;
    }
}
