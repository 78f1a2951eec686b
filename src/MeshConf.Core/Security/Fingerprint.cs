using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace MeshConf.Core.Security;

/// <summary>
/// Names a node's identity key: SHA-256 of its public key as SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7), the
/// same bytes whatever tool exports the key. Written as 64 lowercase hex digits, or as <see cref="Short"/> for people
/// comparing two screens.
/// </summary>
public readonly struct Fingerprint : IEquatable<Fingerprint>
{
    /// <summary>Bytes in a SHA-256 hash.</summary>
    public const int Size = 32;

    // Four big-endian words rather than an array: a value type with value equality and no allocation.
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private Fingerprint(ReadOnlySpan<byte> hash)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(hash);
        _b = BinaryPrimitives.ReadUInt64BigEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(hash[24..]);
    }

    /// <summary>The first 8 bytes as four dash-separated groups of 4 hex digits, e.g. "a1b2-c3d4-e5f6-0718".</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The short form of a fingerprint, as people say it.")]
    public string Short
    {
        get
        {
            var hex = _a.ToString("x16", CultureInfo.InvariantCulture);
            return $"{hex[..4]}-{hex[4..8]}-{hex[8..12]}-{hex[12..]}";
        }
    }

    /// <summary>The fingerprint of a public key given as SubjectPublicKeyInfo DER.</summary>
    public static Fingerprint Of(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[Size];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        return new Fingerprint(hash);
    }

    /// <summary>A fingerprint from its 32 bytes, e.g. as received on the wire.</summary>
    public static Fingerprint FromBytes(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != Size)
        {
            throw new ArgumentException($"a fingerprint is {Size} bytes, not {hash.Length}", nameof(hash));
        }

        return new Fingerprint(hash);
    }

    /// <summary>Parses the full form: 64 hex digits, either case, surrounding white space ignored.</summary>
    public static bool TryParse(string? text, out Fingerprint fingerprint)
    {
        fingerprint = default;
        var hex = text.AsSpan().Trim();
        if (hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[Size];
        if (Convert.FromHexString(hex, hash, out _, out var written) != OperationStatus.Done || written != Size)
        {
            return false;
        }

        fingerprint = new Fingerprint(hash);
        return true;
    }

    /// <summary>Writes the 32 bytes into <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>The 32 bytes of the hash.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>64 lowercase hex digits.</summary>
    public override string ToString()
    {
        Span<byte> hash = stackalloc byte[Size];
        WriteTo(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <inheritdoc/>
    public bool Equals(Fingerprint other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fingerprint other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>Same hash.</summary>
    public static bool operator ==(Fingerprint left, Fingerprint right) => left.Equals(right);

    /// <summary>Different hashes.</summary>
    public static bool operator !=(Fingerprint left, Fingerprint right) => !left.Equals(right);
}
