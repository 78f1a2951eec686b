using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshConf.Core.Wire;

/// <summary>
/// Writes big-endian fields of a control message. Control messages are rare (handshakes, rosters), so this
/// writes into a growable buffer; per-packet media paths use spans directly instead.
/// </summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public WireWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public WireWriter Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public WireWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public WireWriter UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public WireWriter Fixed(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public WireWriter Block16(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException("block longer than 65535 bytes", nameof(bytes));
        }

        UInt16((ushort)bytes.Length);
        return Fixed(bytes);
    }

    /// <summary>UTF-8 text with an 8-bit length; the caller has checked it fits (see <see cref="Utf8Length"/>).</summary>
    public WireWriter String8(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        if (count > byte.MaxValue)
        {
            throw new ArgumentException("text longer than 255 UTF-8 bytes", nameof(text));
        }

        Byte((byte)count);
        Encoding.UTF8.GetBytes(text, _buffer.GetSpan(count));
        _buffer.Advance(count);
        return this;
    }

    public WireWriter EndPoint(IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        Byte(address.AddressFamily == AddressFamily.InterNetwork ? (byte)4 : (byte)6);
        var span = _buffer.GetSpan(16);
        address.TryWriteBytes(span, out var written);
        _buffer.Advance(written);
        return UInt16((ushort)endPoint.Port);
    }

    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);
}
