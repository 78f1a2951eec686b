using MeshConf.Core.Mesh;
using MeshConf.Core.Wire;

namespace MeshConf.Core.Security;

/// <summary>
/// The second handshake message, sent by each side once it has the other's Hello.
/// </summary>
/// <param name="EncryptedContribution">32 fresh random bytes, RSA-OAEP(SHA-256)-encrypted to the receiver's identity key.</param>
/// <param name="PassphraseProof">HMAC proving knowledge of the session passphrase (see <see cref="Handshake"/>).</param>
/// <param name="Signature">RSA-PSS(SHA-256) by the sender's identity key over the transcript and the two fields above.</param>
internal sealed record AuthMessage(byte[] EncryptedContribution, byte[] PassphraseProof, byte[] Signature)
{
    public const int ProofSize = 32;
    public const int MaxRsaBlockBytes = 512;

    public byte[] Encode() =>
        new WireWriter(900)
            .Byte((byte)ClearMessageKind.Auth)
            .Block16(EncryptedContribution)
            .Fixed(PassphraseProof)
            .Block16(Signature)
            .ToArray();

    public static AuthMessage? TryDecode(ReadOnlySpan<byte> message)
    {
        var reader = new WireReader(message);
        if (reader.ReadByte() != (byte)ClearMessageKind.Auth)
        {
            return null;
        }

        var contribution = reader.ReadBlock16(MaxRsaBlockBytes).ToArray();
        var proof = reader.ReadFixed(ProofSize).ToArray();
        var signature = reader.ReadBlock16(MaxRsaBlockBytes).ToArray();
        return reader.IsCompleteAndValid && contribution.Length > 0 && signature.Length > 0
            ? new AuthMessage(contribution, proof, signature)
            : null;
    }
}
