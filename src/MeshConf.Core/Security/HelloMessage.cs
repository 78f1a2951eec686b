using MeshConf.Core.Mesh;
using MeshConf.Core.Wire;

namespace MeshConf.Core.Security;

/// <summary>
/// The first handshake message, sent by both sides as soon as a link is up. Everything in it is public, and
/// all of it ends up in the transcript both signatures cover.
/// </summary>
/// <param name="Version">Protocol version (<see cref="CurrentVersion"/>).</param>
/// <param name="Session">The session the sender is in; a mismatch is refused with a reason.</param>
/// <param name="NodeId">The sender's random per-run node id.</param>
/// <param name="Name">The sender's display name.</param>
/// <param name="ListenPort">The port the sender accepts links on, for the roster.</param>
/// <param name="Flags">See <see cref="FlagPassphrase"/>.</param>
/// <param name="Nonce">32 fresh random bytes.</param>
/// <param name="EphemeralKey">A fresh P-256 ECDH public key (SubjectPublicKeyInfo DER), for forward secrecy.</param>
/// <param name="IdentityKey">The sender's long-term RSA public key (SubjectPublicKeyInfo DER).</param>
internal sealed record HelloMessage(
    byte Version,
    string Session,
    ulong NodeId,
    string Name,
    ushort ListenPort,
    byte Flags,
    byte[] Nonce,
    byte[] EphemeralKey,
    byte[] IdentityKey)
{
    public const byte CurrentVersion = 1;
    public const int MaxSessionBytes = 64;
    public const int MaxNameBytes = 64;
    public const int NonceSize = 32;
    public const int MaxEphemeralKeyBytes = 256;
    public const int MaxIdentityKeyBytes = 2048;

    /// <summary>The sender requires a session passphrase (and proves it knows one).</summary>
    public const byte FlagPassphrase = 0x01;

    public bool HasPassphrase => (Flags & FlagPassphrase) != 0;

    public byte[] Encode() =>
        new WireWriter(700)
            .Byte((byte)ClearMessageKind.Hello)
            .Byte(Version)
            .String8(Session)
            .UInt64(NodeId)
            .String8(Name)
            .UInt16(ListenPort)
            .Byte(Flags)
            .Fixed(Nonce)
            .Block16(EphemeralKey)
            .Block16(IdentityKey)
            .ToArray();

    /// <summary>
    /// Parses a Hello, kind byte included. A newer version parses as far as its version byte, so the caller
    /// can refuse it with a precise reason; anything else malformed gives null.
    /// </summary>
    public static HelloMessage? TryDecode(ReadOnlySpan<byte> message)
    {
        var reader = new WireReader(message);
        if (reader.ReadByte() != (byte)ClearMessageKind.Hello)
        {
            return null;
        }

        var version = reader.ReadByte();
        if (reader.Failed)
        {
            return null;
        }

        if (version != CurrentVersion)
        {
            return new HelloMessage(version, string.Empty, 0, string.Empty, 0, 0, [], [], []);
        }

        var session = reader.ReadString8(MaxSessionBytes);
        var nodeId = reader.ReadUInt64();
        var name = reader.ReadString8(MaxNameBytes);
        var port = reader.ReadUInt16();
        var flags = reader.ReadByte();
        var nonce = reader.ReadFixed(NonceSize).ToArray();
        var ephemeral = reader.ReadBlock16(MaxEphemeralKeyBytes).ToArray();
        var identity = reader.ReadBlock16(MaxIdentityKeyBytes).ToArray();
        if (!reader.IsCompleteAndValid || session.Length == 0 || name.Length == 0)
        {
            return null;
        }

        return new HelloMessage(version, session, nodeId, name, port, flags, nonce, ephemeral, identity);
    }
}
