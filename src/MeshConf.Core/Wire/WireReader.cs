using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace MeshConf.Core.Wire;

/// <summary>
/// Reads big-endian fields from a message that came off the network. Never throws: the first read past the
/// end or of an invalid field sets <see cref="Failed"/>, and every later read returns a default value, so a
/// parser reads all its fields and checks <see cref="Failed"/> once at the end.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Failed = false;
    }

    public bool Failed { get; private set; }

    public readonly int Remaining => _data.Length - _offset;

    /// <summary>True when every byte was read and nothing failed.</summary>
    public readonly bool IsCompleteAndValid => !Failed && _offset == _data.Length;

    public byte ReadByte() => Take(1) is { Length: 1 } span ? span[0] : (byte)0;

    public ushort ReadUInt16() => Take(2) is { Length: 2 } span ? BinaryPrimitives.ReadUInt16BigEndian(span) : (ushort)0;

    public uint ReadUInt32() => Take(4) is { Length: 4 } span ? BinaryPrimitives.ReadUInt32BigEndian(span) : 0u;

    public ulong ReadUInt64() => Take(8) is { Length: 8 } span ? BinaryPrimitives.ReadUInt64BigEndian(span) : 0ul;

    /// <summary>Exactly <paramref name="length"/> bytes, borrowed from the message.</summary>
    public ReadOnlySpan<byte> ReadFixed(int length) => Take(length);

    /// <summary>A block prefixed by its 16-bit length, at most <paramref name="maxLength"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadBlock16(int maxLength)
    {
        var length = ReadUInt16();
        if (length > maxLength)
        {
            Fail();
        }

        return Take(length);
    }

    /// <summary>UTF-8 text prefixed by its 8-bit byte length; invalid UTF-8 or control characters fail.</summary>
    public string ReadString8(int maxBytes)
    {
        var length = ReadByte();
        if (length > maxBytes)
        {
            Fail();
        }

        var bytes = Take(length);
        if (Failed)
        {
            return string.Empty;
        }

        string text;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Fail();
            return string.Empty;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                Fail();
                return string.Empty;
            }
        }

        return text;
    }

    /// <summary>An address: family byte (4 or 6), the address bytes, then a 16-bit port.</summary>
    public IPEndPoint? ReadEndPoint()
    {
        var family = ReadByte();
        var length = family switch { 4 => 4, 6 => 16, _ => -1 };
        if (length < 0)
        {
            Fail();
            return null;
        }

        var bytes = Take(length);
        var port = ReadUInt16();
        return Failed ? null : new IPEndPoint(new IPAddress(bytes), port);
    }

    public void Fail() => Failed = true;

    private ReadOnlySpan<byte> Take(int length)
    {
        if (Failed || length < 0 || length > Remaining)
        {
            Failed = true;
            return default;
        }

        var span = _data.Slice(_offset, length);
        _offset += length;
        return span;
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
