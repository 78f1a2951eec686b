namespace MeshConf.Core.Security;

/// <summary>
/// What a finished handshake gives one side: a traffic secret per direction. The initiator sends on
/// direction 0, the responder on direction 1. The holder wipes the secrets once it has built its ciphers.
/// </summary>
internal sealed class HandshakeKeys(byte[] sendSecret, byte[] receiveSecret, byte sendDirection) : IDisposable
{
    public byte[] SendSecret { get; } = sendSecret;

    public byte[] ReceiveSecret { get; } = receiveSecret;

    public byte SendDirection { get; } = sendDirection;

    public byte ReceiveDirection => (byte)(1 - SendDirection);

    public void Dispose()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(SendSecret);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(ReceiveSecret);
    }
}
