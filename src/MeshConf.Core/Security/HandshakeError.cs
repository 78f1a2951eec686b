namespace MeshConf.Core.Security;

/// <summary>How a handshake step went. Anything but <see cref="None"/> ends the link.</summary>
internal enum HandshakeError
{
    None,

    /// <summary>The message did not parse, or a key in it is not acceptable.</summary>
    Malformed,

    /// <summary>The peer speaks another protocol version.</summary>
    ProtocolVersion,

    /// <summary>A message arrived in the wrong state (an Auth before the Hello, a second Hello, ...).</summary>
    OutOfOrder,

    /// <summary>The signature does not verify with the peer's identity key: not the key holder, or a replay.</summary>
    BadSignature,

    /// <summary>The peer's passphrase proof does not match ours: the passphrases differ.</summary>
    WrongPassphrase,

    /// <summary>The key contribution could not be decrypted with our identity key.</summary>
    UndecryptableContribution,
}
