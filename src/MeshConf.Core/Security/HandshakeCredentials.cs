using System.Security.Cryptography;
using System.Text;

namespace MeshConf.Core.Security;

/// <summary>
/// The local side's long-lived handshake inputs: who we are in which session, our identity key, and the key
/// derived from the session passphrase. One per node; shared by all its handshakes. The RSA key is borrowed,
/// not owned, and private-key operations on it are serialised (OpenSSL key objects are not documented as
/// thread-safe, and several nodes in one process may share one identity).
/// </summary>
internal sealed class HandshakeCredentials
{
    /// <summary>PBKDF2 work factor for the passphrase (OWASP 2023 guidance for PBKDF2-HMAC-SHA256 is 600k; a
    /// passphrase is derived once per run, and 210k keeps start-up under ~100 ms on our 2-core machines).</summary>
    public const int PassphraseIterations = 210_000;

    public HandshakeCredentials(string session, ulong nodeId, string name, ushort listenPort, RSA identity, string? passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(session);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(identity);
        Session = session;
        NodeId = nodeId;
        Name = name;
        ListenPort = listenPort;
        Identity = identity;
        IdentityPublicKey = identity.ExportSubjectPublicKeyInfo();
        HasPassphrase = !string.IsNullOrEmpty(passphrase);
        PassphraseKey = DerivePassphraseKey(passphrase, session);
    }

    public string Session { get; }

    public ulong NodeId { get; }

    public string Name { get; }

    public ushort ListenPort { get; }

    public RSA Identity { get; }

    /// <summary>Our identity public key, SubjectPublicKeyInfo DER.</summary>
    public byte[] IdentityPublicKey { get; }

    public bool HasPassphrase { get; }

    /// <summary>32 bytes: PBKDF2 of the passphrase salted with the session name, or all zero without one.</summary>
    public byte[] PassphraseKey { get; }

    /// <summary>
    /// Stretches the passphrase so that guessing it from a captured proof costs a PBKDF2 per guess. The salt
    /// binds the session name, so one passphrase gives unrelated keys in different sessions.
    /// </summary>
    public static byte[] DerivePassphraseKey(string? passphrase, string session)
    {
        if (string.IsNullOrEmpty(passphrase))
        {
            return new byte[32];
        }

        var salt = Encoding.UTF8.GetBytes("meshconf/1 passphrase\0" + session);
        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, PassphraseIterations, HashAlgorithmName.SHA256, 32);
    }

    internal byte[] Sign(ReadOnlySpan<byte> data)
    {
        lock (Identity)
        {
            return Identity.SignData(data.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
    }

    internal bool TryDecrypt(byte[] data, out byte[] plaintext)
    {
        try
        {
            lock (Identity)
            {
                plaintext = Identity.Decrypt(data, RSAEncryptionPadding.OaepSHA256);
            }

            return true;
        }
        catch (CryptographicException)
        {
            plaintext = [];
            return false;
        }
    }
}
