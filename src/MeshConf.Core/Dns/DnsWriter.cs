using System.Buffers.Binary;

namespace MeshConf.Core.Dns;

/// <summary>
/// Writes a DNS message into the caller's span, compressing names (RFC 1035 §4.1.4). Never throws for lack of
/// room: the first write that does not fit sets <see cref="Overflowed"/> and later writes do nothing.
/// <para>
/// Compression allocates nothing: instead of a dictionary of suffixes, the writer remembers where each label of
/// each name it wrote begins (in a caller-provided span, usually stackalloc'd) together with how many labels
/// follow from there, and compares a suffix against the message already written. A full table or an offset past
/// the 14-bit pointer range only means less compression. Matching is exact, byte for byte: a pointer never
/// changes the case of the name it stands for.
/// </para>
/// </summary>
internal ref struct DnsWriter
{
    /// <summary>Compression pointers hold 14 bits of offset.</summary>
    private const int MaxPointerOffset = 0x3FFF;

    private readonly Span<byte> _buffer;

    /// <summary>Each entry: offset in the low 16 bits, label count from there in the high 16 bits.</summary>
    private readonly Span<int> _targets;

    private int _targetCount;

    /// <param name="buffer">Where the message goes.</param>
    /// <param name="targets">Scratch for the compression table; empty to write every name in full (uncompressed rdata).</param>
    public DnsWriter(Span<byte> buffer, Span<int> targets)
    {
        _buffer = buffer;
        _targets = targets;
        _targetCount = 0;
        Position = 0;
        Overflowed = false;
    }

    public int Position { get; private set; }

    public bool Overflowed { get; private set; }

    public void WriteByte(byte value)
    {
        if (Reserve(1) is { Length: 1 } span)
        {
            span[0] = value;
        }
    }

    public void WriteUInt16(ushort value)
    {
        if (Reserve(2) is { Length: 2 } span)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
    }

    public void WriteUInt32(uint value)
    {
        if (Reserve(4) is { Length: 4 } span)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (Reserve(bytes.Length) is { IsEmpty: false } span)
        {
            bytes.CopyTo(span);
        }
    }

    /// <summary>Room for <paramref name="length"/> bytes, to be filled in place (empty when it does not fit).</summary>
    public Span<byte> Reserve(int length)
    {
        if (Overflowed || length > _buffer.Length - Position)
        {
            Overflowed = true;
            return default;
        }

        var span = _buffer.Slice(Position, length);
        Position += length;
        return span;
    }

    /// <summary>Overwrites a 16-bit field written earlier (a record's rdlength once its rdata is known).</summary>
    public readonly void PatchUInt16(int at, ushort value)
    {
        if (!Overflowed)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(at, 2), value);
        }
    }

    /// <summary>
    /// Writes <paramref name="name"/>, replacing its longest suffix already in the message by a pointer, and
    /// remembers its own labels as targets for later names.
    /// </summary>
    public void WriteName(DnsName name)
    {
        var wire = name.WireBytes;
        var labels = name.LabelCount;
        var offset = 0; // into wire
        for (var index = 0; index < labels; index++)
        {
            var pointer = FindSuffix(wire[offset..], labels - index);
            if (pointer >= 0)
            {
                // The labels before this suffix are already written, each remembered as it went.
                WriteUInt16((ushort)(0xC000 | pointer));
                return;
            }

            var start = Position;
            WriteBytes(wire.Slice(offset, 1 + wire[offset]));
            Remember(start, labels - index);
            offset += 1 + wire[offset];
        }

        WriteByte(0);
    }

    private void Remember(int offset, int labelCount)
    {
        if (!Overflowed && offset <= MaxPointerOffset && _targetCount < _targets.Length)
        {
            _targets[_targetCount++] = offset | (labelCount << 16);
        }
    }

    /// <summary>The offset of a name already written equal to <paramref name="suffix"/> (wire form), or -1.</summary>
    private readonly int FindSuffix(ReadOnlySpan<byte> suffix, int labelCount)
    {
        if (Overflowed)
        {
            return -1;
        }

        for (var i = 0; i < _targetCount; i++)
        {
            var entry = _targets[i];
            if (entry >> 16 == labelCount && MatchesAt(entry & 0xFFFF, suffix))
            {
                return entry & 0xFFFF;
            }
        }

        return -1;
    }

    /// <summary>
    /// Whether the name written at <paramref name="offset"/> spells <paramref name="suffix"/>, following the
    /// pointers this writer wrote (always backward, so this terminates).
    /// </summary>
    private readonly bool MatchesAt(int offset, ReadOnlySpan<byte> suffix)
    {
        var at = 0;
        while (true)
        {
            var length = _buffer[offset];
            if ((length & 0xC0) == 0xC0)
            {
                offset = ((length & 0x3F) << 8) | _buffer[offset + 1];
                continue;
            }

            if (length != suffix[at])
            {
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            if (!_buffer.Slice(offset + 1, length).SequenceEqual(suffix.Slice(at + 1, length)))
            {
                return false;
            }

            offset += 1 + length;
            at += 1 + length;
        }
    }
}
