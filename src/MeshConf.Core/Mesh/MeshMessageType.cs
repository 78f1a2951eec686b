namespace MeshConf.Core.Mesh;

/// <summary>
/// The message type of a sealed packet, authenticated with it. Values are wire protocol: never renumber.
/// Types from <see cref="FirstApplication"/> up belong to the layers above the mesh (media, chat, tests).
/// </summary>
internal enum MeshMessageType : byte
{
    /// <summary>The sender's view of the session's members, so a newcomer who knows one member reaches all.</summary>
    Roster = 0x01,

    /// <summary>The sender leaves the session now.</summary>
    Bye = 0x02,

    /// <summary>The first type handed to the layers above the mesh.</summary>
    FirstApplication = 0x10,
}
