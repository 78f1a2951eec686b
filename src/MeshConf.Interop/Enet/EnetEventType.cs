namespace MeshConf.Interop.Enet;

/// <summary><c>ENetEventType</c>.</summary>
public enum EnetEventType
{
    None = 0,
    Connect = 1,
    Disconnect = 2,
    Receive = 3,
}
