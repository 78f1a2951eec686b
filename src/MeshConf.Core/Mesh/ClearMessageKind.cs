namespace MeshConf.Core.Mesh;

/// <summary>
/// First byte of every message on a link. Handshake messages travel in clear (they carry only public keys,
/// nonces, encrypted key contributions and signatures); everything after the handshake is a sealed packet
/// whose kind byte is 0x80. Values are wire protocol: never renumber.
/// </summary>
internal enum ClearMessageKind : byte
{
    Hello = 0x01,
    Auth = 0x02,
    Refuse = 0x03,
}
