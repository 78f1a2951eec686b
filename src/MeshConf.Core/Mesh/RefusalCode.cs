namespace MeshConf.Core.Mesh;

/// <summary>Why a node refused a link. Values are wire protocol: never renumber.</summary>
internal enum RefusalCode : byte
{
    Other = 0,
    ProtocolVersion = 1,
    SessionMismatch = 2,
    PassphraseRequired = 3,
    WrongPassphrase = 4,
    KeyChanged = 5,
    BadSignature = 6,
    Malformed = 7,
    Busy = 8,
    Self = 9,
    Leaving = 10,
}
