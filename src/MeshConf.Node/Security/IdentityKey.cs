using System.Security.Cryptography;
using MeshConf.Core.Security;

namespace MeshConf.Node.Security;

/// <summary>
/// This node's long-term identity: an RSA 3072 key pair. Peers know it by the <see cref="Fingerprint"/> of its
/// public key; the handshake proves possession by signing with it.
/// </summary>
public sealed class IdentityKey : IDisposable
{
    /// <summary>RSA modulus size: 128-bit security (NIST SP 800-57 Part 1, Table 2).</summary>
    public const int KeySizeBits = 3072;

    private readonly RSA _rsa;
    private readonly byte[] _publicKey;

    private IdentityKey(RSA rsa)
    {
        _rsa = rsa;
        _publicKey = rsa.ExportSubjectPublicKeyInfo();
        Fingerprint = Fingerprint.Of(_publicKey);
    }

    /// <summary>The public key as SubjectPublicKeyInfo DER, the form sent to peers and hashed into the fingerprint.</summary>
    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    /// <summary>SHA-256 of <see cref="PublicKey"/>.</summary>
    public Fingerprint Fingerprint { get; }

    /// <summary>A new key pair, in memory only (tests; <see cref="IdentityStore"/> for the persistent one).</summary>
    public static IdentityKey Generate() => new(RSA.Create(KeySizeBits));

    /// <summary>
    /// The key pair itself, for the handshake (which signs with RSA-PSS and decrypts RSA-OAEP contributions;
    /// see Core's Handshake). Borrowed: this object owns and disposes it.
    /// </summary>
    internal RSA Rsa => _rsa;

    /// <summary>Wipes the private key.</summary>
    public void Dispose() => _rsa.Dispose();

    /// <summary>The private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), as stored in identity.pem.</summary>
    internal string ExportPkcs8Pem() => _rsa.ExportPkcs8PrivateKeyPem();

    /// <summary>
    /// Reads a PKCS#8 PEM RSA private key of at least <see cref="KeySizeBits"/> bits; null with a reason otherwise
    /// (a public key, an encrypted key or a PKCS#1 "RSA PRIVATE KEY" are refused too).
    /// </summary>
    internal static IdentityKey? TryImportPkcs8Pem(string pem, out string? problem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            problem = "no PEM block found";
            return null;
        }

        var label = pem.AsSpan()[fields.Label];
        if (!label.SequenceEqual("PRIVATE KEY"))
        {
            problem = $"it holds a \"{label}\" block, not \"PRIVATE KEY\" (PKCS#8)";
            return null;
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var length))
        {
            problem = "its base64 is damaged";
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(der.AsSpan(0, length), out var read);
            if (read != length)
            {
                problem = "trailing bytes after the key";
            }
            else if (rsa.KeySize < KeySizeBits)
            {
                problem = $"it is a {rsa.KeySize}-bit key, at least {KeySizeBits} bits are required";
            }
            else
            {
                problem = null;
                return new IdentityKey(rsa);
            }
        }
        catch (CryptographicException error)
        {
            problem = $"not an RSA private key ({error.Message.TrimEnd('.')})";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }

        rsa.Dispose();
        return null;
    }
}
