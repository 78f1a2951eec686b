using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MeshConf.Core.Security;

/// <summary>
/// The per-link handshake, run on the reliable control channel by both sides at once:
/// <code>
///   both:  Hello = version, session, node id, name, port, flags, nonce, ephemeral ECDH key, identity key
///   both:  Auth  = RSA-OAEP(peer identity, contribution), passphrase proof, RSA-PSS signature
/// </code>
/// Transcript hash th = SHA-256(label, initiator Hello, responder Hello): it binds both nonces, both
/// ephemeral keys, both identities, the session and the names, so a recorded handshake replayed against a
/// fresh Hello fails its signature.
/// <para>
/// Forward secrecy: each side makes a fresh P-256 ECDH key per handshake and throws it away at the end. The
/// ECDH secret Z goes into every derived key next to the two RSA-transported contributions, so someone who
/// steals an identity key later can decrypt the contributions of a recorded call but not Z, and so not the
/// traffic. The ephemeral keys are authenticated because the signatures cover th, which contains them.
/// </para>
/// <para>
/// Passphrase: proof = HMAC(HKDF(Z, salt = PBKDF2(passphrase, session)), role || th). It reveals nothing to
/// a passive listener (who lacks Z); a wrong passphrase gives a mismatching proof on both sides, so both
/// refuse with that reason. A member who completes the handshake could try guesses offline against the
/// proof at one PBKDF2 per guess: choose passphrases accordingly (a PAKE would remove that; .NET has none).
/// </para>
/// <para>
/// Keys: PRK = HKDF-Extract(salt = passphrase key, Z || contribution(I) || contribution(R)); the traffic
/// secret of each direction is HKDF-Expand(PRK, "meshconf/1 i2r" or "r2i" || th2, 32) where th2 also covers
/// both encrypted contributions. Each Auth is signed over (role, th, its contribution, its proof).
/// </para>
/// </summary>
internal sealed class Handshake : IDisposable
{
    private const int ContributionSize = 32;
    private static readonly byte[] TranscriptLabel = Encoding.ASCII.GetBytes("meshconf/1 transcript");
    private static readonly byte[] AuthLabel = Encoding.ASCII.GetBytes("meshconf/1 auth");
    private static readonly byte[] ProofInfo = Encoding.ASCII.GetBytes("meshconf/1 proof");
    private static readonly byte[] InitiatorToResponder = Encoding.ASCII.GetBytes("meshconf/1 i2r");
    private static readonly byte[] ResponderToInitiator = Encoding.ASCII.GetBytes("meshconf/1 r2i");

    private readonly HandshakeCredentials _local;
    private readonly HandshakeRole _role;
    private readonly ECDiffieHellman _ephemeral;
    private byte[]? _peerHelloBytes;
    private RSA? _peerIdentity;
    private ECDiffieHellman? _peerEphemeral;
    private byte[]? _sharedSecret;
    private byte[]? _transcript;
    private byte[]? _contribution;
    private byte[]? _encryptedContribution;
    private byte[]? _encryptedContributionPending;
    private bool _authReceived;

    public Handshake(HandshakeCredentials local, HandshakeRole role)
    {
        ArgumentNullException.ThrowIfNull(local);
        _local = local;
        _role = role;
        _ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var hello = new HelloMessage(
            HelloMessage.CurrentVersion,
            local.Session,
            local.NodeId,
            local.Name,
            local.ListenPort,
            local.HasPassphrase ? HelloMessage.FlagPassphrase : (byte)0,
            RandomNumberGenerator.GetBytes(HelloMessage.NonceSize),
            _ephemeral.ExportSubjectPublicKeyInfo(),
            local.IdentityPublicKey);
        LocalHello = hello.Encode();
    }

    /// <summary>Our Hello, to send as soon as the link is up.</summary>
    public byte[] LocalHello { get; }

    /// <summary>The peer's Hello once received and valid.</summary>
    public HelloMessage? PeerHello { get; private set; }

    /// <summary>The peer's identity fingerprint, once its Hello was accepted.</summary>
    public Fingerprint? PeerFingerprint { get; private set; }

    /// <summary>True once our Auth was made (after the peer's Hello).</summary>
    public bool AuthSent => _encryptedContribution is not null;

    /// <summary>
    /// Takes the peer's Hello. On <see cref="HandshakeError.None"/> the caller decides (session, trust,
    /// duplicates) before calling <see cref="CreateAuth"/>.
    /// </summary>
    public HandshakeError ReceiveHello(ReadOnlySpan<byte> message)
    {
        if (PeerHello is not null)
        {
            return HandshakeError.OutOfOrder;
        }

        var hello = HelloMessage.TryDecode(message);
        if (hello is null)
        {
            return HandshakeError.Malformed;
        }

        if (hello.Version != HelloMessage.CurrentVersion)
        {
            PeerHello = hello;
            return HandshakeError.ProtocolVersion;
        }

        if (!TryImportIdentity(hello.IdentityKey, out var identity))
        {
            return HandshakeError.Malformed;
        }

        if (!TryImportEphemeral(hello.EphemeralKey, out var ephemeral))
        {
            identity.Dispose();
            return HandshakeError.Malformed;
        }

        // Encrypt our contribution now: a corrupt modulus can make the public-key operation itself fail, and
        // that is a malformed Hello, not an exception later.
        var contribution = RandomNumberGenerator.GetBytes(ContributionSize);
        try
        {
            _encryptedContributionPending = identity.Encrypt(contribution, RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            CryptographicOperations.ZeroMemory(contribution);
            identity.Dispose();
            ephemeral.Dispose();
            return HandshakeError.Malformed;
        }

        _contribution = contribution;
        _peerIdentity = identity;
        _peerEphemeral = ephemeral;
        _peerHelloBytes = message.ToArray();
        PeerHello = hello;
        PeerFingerprint = Fingerprint.Of(hello.IdentityKey);
        return HandshakeError.None;
    }

    /// <summary>Makes our Auth. Call once, after <see cref="ReceiveHello"/> succeeded.</summary>
    public byte[] CreateAuth()
    {
        if (PeerHello is null || _peerIdentity is null || _peerEphemeral is null || _peerHelloBytes is null)
        {
            throw new InvalidOperationException("Auth needs the peer's Hello first");
        }

        if (_encryptedContribution is not null)
        {
            throw new InvalidOperationException("Auth already made");
        }

        _sharedSecret = _ephemeral.DeriveRawSecretAgreement(_peerEphemeral.PublicKey);
        _transcript = _role == HandshakeRole.Initiator
            ? TranscriptHash(LocalHello, _peerHelloBytes)
            : TranscriptHash(_peerHelloBytes, LocalHello);
        _encryptedContribution = _encryptedContributionPending!;
        var proof = Proof(_role);
        var signature = _local.Sign(AuthSignedData(_role, _encryptedContribution, proof));
        return new AuthMessage(_encryptedContribution, proof, signature).Encode();
    }

    /// <summary>
    /// Takes the peer's Auth: checks its signature, then its passphrase proof, then decrypts its
    /// contribution and derives the traffic secrets.
    /// </summary>
    public HandshakeError ReceiveAuth(ReadOnlySpan<byte> message, out HandshakeKeys? keys)
    {
        keys = null;
        if (_encryptedContribution is null || _peerIdentity is null || _authReceived)
        {
            return HandshakeError.OutOfOrder;
        }

        var auth = AuthMessage.TryDecode(message);
        if (auth is null)
        {
            return HandshakeError.Malformed;
        }

        _authReceived = true;
        var peerRole = _role == HandshakeRole.Initiator ? HandshakeRole.Responder : HandshakeRole.Initiator;
        var signed = AuthSignedData(peerRole, auth.EncryptedContribution, auth.PassphraseProof);
        if (!VerifySignature(_peerIdentity, signed, auth.Signature))
        {
            return HandshakeError.BadSignature;
        }

        if (!CryptographicOperations.FixedTimeEquals(Proof(peerRole), auth.PassphraseProof))
        {
            return HandshakeError.WrongPassphrase;
        }

        if (!_local.TryDecrypt(auth.EncryptedContribution, out var peerContribution) || peerContribution.Length != ContributionSize)
        {
            return HandshakeError.UndecryptableContribution;
        }

        keys = DeriveKeys(peerContribution, auth.EncryptedContribution);
        CryptographicOperations.ZeroMemory(peerContribution);
        return HandshakeError.None;
    }

    public void Dispose()
    {
        _ephemeral.Dispose();
        _peerEphemeral?.Dispose();
        _peerIdentity?.Dispose();
        if (_sharedSecret is not null)
        {
            CryptographicOperations.ZeroMemory(_sharedSecret);
        }

        if (_contribution is not null)
        {
            CryptographicOperations.ZeroMemory(_contribution);
        }
    }

    private HandshakeKeys DeriveKeys(byte[] peerContribution, byte[] peerEncryptedContribution)
    {
        var initiator = _role == HandshakeRole.Initiator;
        var (contributionI, contributionR) = initiator ? (_contribution!, peerContribution) : (peerContribution, _contribution!);
        var (encryptedI, encryptedR) = initiator ? (_encryptedContribution!, peerEncryptedContribution) : (peerEncryptedContribution, _encryptedContribution!);

        var ikm = new byte[_sharedSecret!.Length + (2 * ContributionSize)];
        _sharedSecret.CopyTo(ikm, 0);
        contributionI.CopyTo(ikm, _sharedSecret.Length);
        contributionR.CopyTo(ikm, _sharedSecret.Length + ContributionSize);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, _local.PassphraseKey);
        CryptographicOperations.ZeroMemory(ikm);

        var th2 = Hash(_transcript!, encryptedI, encryptedR);
        var i2r = HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, [.. InitiatorToResponder, .. th2]);
        var r2i = HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, [.. ResponderToInitiator, .. th2]);
        CryptographicOperations.ZeroMemory(prk);
        return initiator ? new HandshakeKeys(i2r, r2i, 0) : new HandshakeKeys(r2i, i2r, 1);
    }

    private static bool VerifySignature(RSA key, byte[] data, byte[] signature)
    {
        try
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private byte[] Proof(HandshakeRole role)
    {
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, _sharedSecret!, _local.PassphraseKey);
        var key = HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, ProofInfo);
        byte[] message = [(byte)role, .. _transcript!];
        var proof = HMACSHA256.HashData(key, message);
        CryptographicOperations.ZeroMemory(prk);
        CryptographicOperations.ZeroMemory(key);
        return proof;
    }

    private byte[] AuthSignedData(HandshakeRole role, byte[] encryptedContribution, byte[] proof) =>
        Hash(AuthLabel, [(byte)role], _transcript!, encryptedContribution, proof);

    private static byte[] TranscriptHash(byte[] initiatorHello, byte[] responderHello) =>
        Hash(TranscriptLabel, initiatorHello, responderHello);

    /// <summary>SHA-256 over length-prefixed parts, so no two different part lists hash the same bytes.</summary>
    private static byte[] Hash(params byte[][] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
            hash.AppendData(length);
            hash.AppendData(part);
        }

        return hash.GetHashAndReset();
    }

    private static bool TryImportIdentity(byte[] spki, out RSA rsa)
    {
        rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read == spki.Length && rsa.KeySize is >= 2048 and <= 4096)
            {
                return true;
            }
        }
        catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException or ArgumentException)
        {
            // Hostile or broken key bytes: refused below like any malformed field.
        }

        rsa.Dispose();
        return false;
    }

    private static bool TryImportEphemeral(byte[] spki, out ECDiffieHellman ecdh)
    {
        // Only P-256 is spoken: the encoding must be exactly our own SubjectPublicKeyInfo header followed by an
        // uncompressed point. Checking the header ourselves keeps odd curves away from the platform importer
        // (which throws PlatformNotSupportedException for unknown ones); the importer still checks the point.
        ecdh = ECDiffieHellman.Create();
        if (spki.Length != P256Header.Length + 64 || !spki.AsSpan(0, P256Header.Length).SequenceEqual(P256Header))
        {
            ecdh.Dispose();
            return false;
        }

        try
        {
            ecdh.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read == spki.Length)
            {
                return true;
            }
        }
        catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException or ArgumentException)
        {
            // Hostile or broken key bytes: refused below like any malformed field.
        }

        ecdh.Dispose();
        return false;
    }

    /// <summary>The DER of a P-256 SubjectPublicKeyInfo up to and including the 0x04 uncompressed-point tag.</summary>
    private static readonly byte[] P256Header = MakeP256Header();

    private static byte[] MakeP256Header()
    {
        using var probe = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var spki = probe.ExportSubjectPublicKeyInfo();
        return spki[..^64];
    }
}
