using System.Buffers.Binary;

namespace MeshConf.Core.Dns;

/// <summary>
/// Reads a DNS message front to back. Never throws: the first bad field records an error from
/// <see cref="DnsReadErrors"/>, and every later read returns a default value, so a parser checks
/// <see cref="Failed"/> where it matters. Names are read with the whole packet in view, since compression
/// pointers refer to earlier offsets of the message (RFC 1035 §4.1.4).
/// </summary>
internal ref struct DnsReader
{
    public const int HeaderSize = 12;

    private readonly ReadOnlySpan<byte> _packet;

    public DnsReader(ReadOnlySpan<byte> packet)
    {
        _packet = packet;
        Position = 0;
        Error = null;
    }

    public int Position { get; private set; }

    public readonly int Length => _packet.Length;

    public string? Error { get; private set; }

    public readonly bool Failed => Error is not null;

    public readonly int Remaining => _packet.Length - Position;

    /// <summary>Keeps the first error: it is the cause, later ones are consequences.</summary>
    public void Fail(string error) => Error ??= error;

    public ushort ReadUInt16(string error) =>
        Take(2, error) is { Length: 2 } span ? BinaryPrimitives.ReadUInt16BigEndian(span) : (ushort)0;

    public uint ReadUInt32(string error) =>
        Take(4, error) is { Length: 4 } span ? BinaryPrimitives.ReadUInt32BigEndian(span) : 0u;

    public byte ReadByte(string error) => Take(1, error) is { Length: 1 } span ? span[0] : (byte)0;

    public ReadOnlySpan<byte> ReadBytes(int length, string error) => Take(length, error);

    /// <summary>
    /// A possibly compressed name. The bytes in place must end before <paramref name="end"/> (the end of the
    /// rdata it sits in, or of the packet); a pointer must point into the message body, before the start of
    /// the labels that led to it, which makes every chain strictly backward and so rules out loops; the name
    /// must fit in <see cref="DnsName.MaxWireLength"/>. Labels of the reserved types 0x40 and 0x80 are refused.
    /// </summary>
    public DnsName? ReadName(int end)
    {
        if (Failed)
        {
            return null;
        }

        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        var length = 0;
        var labels = 0;
        var position = Position;
        var limit = end;
        var segmentStart = position;
        var resume = -1; // where the reader continues: after the first pointer, or after the terminating zero
        while (true)
        {
            if (position >= limit)
            {
                Fail(DnsReadErrors.TruncatedName);
                return null;
            }

            var first = _packet[position];
            switch (first & 0xC0)
            {
                case 0xC0:
                    if (position + 1 >= limit)
                    {
                        Fail(DnsReadErrors.TruncatedName);
                        return null;
                    }

                    var target = ((first & 0x3F) << 8) | _packet[position + 1];
                    if (target >= _packet.Length)
                    {
                        Fail(DnsReadErrors.PointerOutOfBounds);
                        return null;
                    }

                    if (target >= segmentStart)
                    {
                        Fail(DnsReadErrors.PointerNotBackward);
                        return null;
                    }

                    if (target < HeaderSize)
                    {
                        Fail(DnsReadErrors.PointerIntoHeader);
                        return null;
                    }

                    if (resume < 0)
                    {
                        resume = position + 2;
                    }

                    position = target;
                    segmentStart = target;
                    limit = _packet.Length; // the earlier name may run on past where this one started
                    break;

                case 0x00 when first == 0:
                    wire[length++] = 0;
                    Position = resume < 0 ? position + 1 : resume;
                    return new DnsName(wire[..length].ToArray(), labels);

                case 0x00:
                    // The label, its length byte and a terminating zero still have to fit.
                    if (length + 1 + first + 1 > DnsName.MaxWireLength)
                    {
                        Fail(DnsReadErrors.NameTooLong);
                        return null;
                    }

                    if (position + 1 + first > limit)
                    {
                        Fail(DnsReadErrors.TruncatedName);
                        return null;
                    }

                    _packet.Slice(position, 1 + first).CopyTo(wire[length..]);
                    length += 1 + first;
                    labels++;
                    position += 1 + first;
                    break;

                default:
                    Fail(DnsReadErrors.LabelType);
                    return null;
            }
        }
    }

    private ReadOnlySpan<byte> Take(int length, string error)
    {
        if (Failed)
        {
            return default;
        }

        if (length < 0 || length > Remaining)
        {
            Fail(error);
            return default;
        }

        var span = _packet.Slice(Position, length);
        Position += length;
        return span;
    }
}
