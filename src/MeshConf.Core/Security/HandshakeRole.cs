namespace MeshConf.Core.Security;

/// <summary>The side of a link: the initiator dialled it. The role orders the transcript and names the directions.</summary>
internal enum HandshakeRole : byte
{
    Initiator = (byte)'I',
    Responder = (byte)'R',
}
