using System.Runtime.CompilerServices;

namespace MeshConf.Core.Video;

/// <summary>
/// A binary range coder with adaptive probabilities (the scheme LZMA uses: a 32-bit range, carries propagated through a
/// cached byte): each bit costs about -log2 of the probability its model gave it. A model is a 12-bit probability of
/// a 0 and, in its top 4 bits, how many bits it has seen: it moves half the way towards its first bit, a third... and
/// from the fifth on a sixteenth, so a model learns from its first few bits (every frame starts its models afresh)
/// and then settles. A model starts at one half (<see cref="Half"/>).
/// </summary>
internal ref struct RangeEncoder
{
    public const int ProbabilityBits = 12;
    public const ushort Half = 1 << (ProbabilityBits - 1);

    private const int ProbabilityMask = (1 << ProbabilityBits) - 1;
    private const int SettledShift = 4;

    private const uint TopValue = 1 << 24;

    private readonly Span<byte> _destination;
    private ulong _low;
    private uint _range;
    private byte _cache;
    private long _cacheSize;
    private int _position;

    public RangeEncoder(Span<byte> destination)
    {
        _destination = destination;
        _range = uint.MaxValue;
        _cacheSize = 1;
    }

    /// <summary>True once more was written than the destination holds (the output is then useless).</summary>
    public bool Overflowed { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Encode(ref ushort model, int bit)
    {
        var bound = (_range >> ProbabilityBits) * (uint)(model & ProbabilityMask);
        if (bit == 0)
        {
            _range = bound;
        }
        else
        {
            _low += bound;
            _range -= bound;
        }

        Adapt(ref model, bit);

        while (_range < TopValue)
        {
            _range <<= 8;
            ShiftLow();
        }
    }

    /// <summary>Moves a model towards <paramref name="bit"/>: fast while it is young, then by a sixteenth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Adapt(ref ushort model, int bit)
    {
        var seen = model >> ProbabilityBits;
        var probability = model & ProbabilityMask;
        var shift = Math.Min(seen + 1, SettledShift);
        probability = bit == 0 ? probability + (((1 << ProbabilityBits) - probability) >> shift) : probability - (probability >> shift);
        model = (ushort)((Math.Min(seen + 1, 15) << ProbabilityBits) | Math.Clamp(probability, 1, ProbabilityMask));
    }

    /// <summary>The low <paramref name="count"/> bits of <paramref name="value"/>, high first, each at one half.</summary>
    public void EncodeDirect(uint value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            _range >>= 1;
            if (((value >> i) & 1) != 0)
            {
                _low += _range;
            }

            while (_range < TopValue)
            {
                _range <<= 8;
                ShiftLow();
            }
        }
    }

    /// <summary>Writes what is pending and returns the bytes written.</summary>
    public int Finish()
    {
        for (var i = 0; i < 5; i++)
        {
            ShiftLow();
        }

        return _position;
    }

    private void ShiftLow()
    {
        if ((uint)_low < 0xFF000000u || (_low >> 32) != 0)
        {
            var carry = (byte)(_low >> 32);
            var pending = _cache;
            do
            {
                Write((byte)(pending + carry));
                pending = 0xFF;
            }
            while (--_cacheSize != 0);

            _cache = (byte)(_low >> 24);
        }

        _cacheSize++;
        _low = (_low & 0x00FFFFFF) << 8;
    }

    private void Write(byte value)
    {
        if (_position < _destination.Length)
        {
            _destination[_position++] = value;
        }
        else
        {
            Overflowed = true;
        }
    }
}

/// <summary>The decoder of <see cref="RangeEncoder"/>: past the end of its input it reads zeros, and counts them.</summary>
internal ref struct RangeDecoder
{
    private const uint TopValue = 1 << 24;

    private readonly ReadOnlySpan<byte> _source;
    private uint _range;
    private uint _code;
    private int _position;

    public RangeDecoder(ReadOnlySpan<byte> source)
    {
        _source = source;
        _range = uint.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            _code = (_code << 8) | Next();
        }
    }

    /// <summary>Bytes read past the end of the input: more than the encoder's flush means the input was cut or forged.</summary>
    public int Overrun { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(ref ushort model)
    {
        var bound = (_range >> RangeEncoder.ProbabilityBits) * (uint)(model & ((1 << RangeEncoder.ProbabilityBits) - 1));
        int bit;
        if (_code < bound)
        {
            _range = bound;
            bit = 0;
        }
        else
        {
            _code -= bound;
            _range -= bound;
            bit = 1;
        }

        RangeEncoder.Adapt(ref model, bit);

        while (_range < TopValue)
        {
            _range <<= 8;
            _code = (_code << 8) | Next();
        }

        return bit;
    }

    public uint DecodeDirect(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            _range >>= 1;
            var bit = _code >= _range ? 1u : 0u;
            if (bit != 0)
            {
                _code -= _range;
            }

            value = (value << 1) | bit;
            while (_range < TopValue)
            {
                _range <<= 8;
                _code = (_code << 8) | Next();
            }
        }

        return value;
    }

    private uint Next()
    {
        if (_position < _source.Length)
        {
            return _source[_position++];
        }

        Overrun++;
        return 0;
    }
}
