using MeshConf.Core.Security;

namespace MeshConf.Core.Tests.Security;

/// <summary>One direction of a link for tests: a sealer and the opener that mirrors it, from the same secret.</summary>
internal sealed class SealedLink : IDisposable
{
    public const ulong SenderId = 0x0102030405060708;
    public const ulong ReceiverId = 0x1112131415161718;
    public const byte Direction = 1;

    public SealedLink(int rekeyShift = PacketSealer.DefaultRekeyShift, byte[]? secret = null)
    {
        Secret = secret ?? Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray();
        Sealer = new PacketSealer(Secret, SenderId, ReceiverId, Direction, rekeyShift);
        Opener = new PacketOpener(Secret, SenderId, ReceiverId, Direction, rekeyShift);
    }

    public byte[] Secret { get; }

    public PacketSealer Sealer { get; }

    public PacketOpener Opener { get; }

    public byte[] Seal(byte channel, ReadOnlySpan<byte> plaintext, byte messageType = 0x21)
    {
        var packet = new byte[plaintext.Length + SealedPacket.Overhead];
        Assert.True(Sealer.TrySeal(channel, messageType, plaintext, packet, out var written));
        Assert.Equal(packet.Length, written);
        return packet;
    }

    public OpenResult Open(byte channel, ReadOnlySpan<byte> packet) => Open(Opener, channel, packet, out _, out _);

    public static OpenResult Open(PacketOpener opener, byte channel, ReadOnlySpan<byte> packet, out byte messageType, out byte[] plaintext)
    {
        var destination = new byte[Math.Max(0, packet.Length - SealedPacket.Overhead)];
        var result = opener.TryOpen(channel, packet, destination, out messageType, out var written);
        plaintext = destination[..written];
        return result;
    }

    public void Dispose()
    {
        Sealer.Dispose();
        Opener.Dispose();
    }
}
