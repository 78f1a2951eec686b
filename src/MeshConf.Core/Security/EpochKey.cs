using System.Security.Cryptography;

namespace MeshConf.Core.Security;

/// <summary>
/// One link of a channel's key chain: the AES-256-GCM key of one epoch and the <see cref="AesGcm"/> that uses it.
/// key(0) = HKDF-Expand(SHA-256, trafficSecret, "meshconf/1 key", 32) and key(e+1) = HKDF-Expand(SHA-256, key(e),
/// "meshconf/1 rekey", 32) (RFC 5869 §2.3; the traffic secret is already a pseudorandom key from the handshake).
/// The chain only runs forward and a disposed link wipes its key, so a key taken from memory later does not open
/// the earlier packets of the call.
/// </summary>
internal sealed class EpochKey : IDisposable
{
    public const int KeySize = 32;

    private readonly byte[] _key = new byte[KeySize];

    private EpochKey(ulong epoch, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> info)
    {
        Epoch = epoch;
        HKDF.Expand(HashAlgorithmName.SHA256, previous, _key, info);
        Cipher = new AesGcm(_key, SealedPacket.TagSize);
    }

    public ulong Epoch { get; }

    public AesGcm Cipher { get; }

    private static ReadOnlySpan<byte> FirstInfo => "meshconf/1 key"u8;

    private static ReadOnlySpan<byte> RekeyInfo => "meshconf/1 rekey"u8;

    /// <summary>The key of epoch 0. The caller keeps (and wipes) the traffic secret.</summary>
    public static EpochKey First(ReadOnlySpan<byte> trafficSecret) => new(0, trafficSecret, FirstInfo);

    /// <summary>The key of the following epoch; this one stays usable until disposed.</summary>
    public EpochKey Next() => new(Epoch + 1, _key, RekeyInfo);

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        Cipher.Dispose();
    }
}
