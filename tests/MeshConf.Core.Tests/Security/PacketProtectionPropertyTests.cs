using System.Buffers.Binary;
using System.Security.Cryptography;
using MeshConf.Core.Security;

namespace MeshConf.Core.Tests.Security;

public sealed class PacketProtectionPropertyTests
{
    private const int RekeyShift = 4;
    private const int PacketCount = 100_000;
    private const int Channels = 3;

    [Theory]
    [InlineData(1, 0.0, 1)]
    [InlineData(2, 0.05, 8)]
    [InlineData(3, 0.2, 8)]
    public void Given_100k_packets_on_3_channels_with_a_rekey_every_16_When_sealed_Then_every_key_and_nonce_pair_is_unique_and_every_delivered_packet_opens(
        int seed, double loss, int reorderBlock)
    {
        using var link = new SealedLink(RekeyShift);
        var random = new Random(seed);
        var sent = new List<(byte Channel, byte[] Packet, int Payload)>(PacketCount);
        for (var i = 0; i < PacketCount; i++)
        {
            var channel = (byte)(random.Next(Channels) * 2); // channels 0, 2, 4
            var payload = new byte[4 + random.Next(0, 60)];
            BinaryPrimitives.WriteInt32BigEndian(payload, i);
            sent.Add((channel, link.Seal(channel, payload, (byte)(i % 200)), i));
        }

        AssertEveryKeyAndNonceIsUniqueAndWasReallyUsed(link.Secret, sent);

        // The impaired network: seeded loss, then shuffling inside blocks of reorderBlock packets.
        var delivered = sent.Where(_ => random.NextDouble() >= loss).ToList();
        for (var start = 0; start < delivered.Count; start += reorderBlock)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(delivered).Slice(start, Math.Min(reorderBlock, delivered.Count - start)));
        }

        foreach (var (channel, packet, index) in delivered)
        {
            var result = SealedLink.Open(link.Opener, channel, packet, out var messageType, out var plaintext);

            Assert.True(result == OpenResult.Ok, $"packet {index} on channel {channel}: {result}");
            Assert.Equal(index, BinaryPrimitives.ReadInt32BigEndian(plaintext));
            Assert.Equal((byte)(index % 200), messageType);
        }

        Assert.Equal(delivered.Count, link.Opener.Counters.Opened);
        Assert.Equal(0, link.Opener.Counters.Dropped);
        Assert.True(sent.Count(p => p.Channel == 0) >> RekeyShift > 1000, "expected over a thousand rekeys per channel");
    }

    [Fact]
    public void Given_a_warmed_up_link_When_sealing_and_opening_thousands_of_packets_Then_nothing_is_allocated()
    {
        using var link = new SealedLink();
        var small = new byte[64];
        var large = new byte[1200];
        var packet = new byte[large.Length + SealedPacket.Overhead];
        var opened = new byte[large.Length];
        for (var i = 0; i < 200; i++)
        {
            SealAndOpen(link, small, packet, opened);
            SealAndOpen(link, large, packet, opened);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5000; i++)
        {
            SealAndOpen(link, small, packet, opened);
            SealAndOpen(link, large, packet, opened);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_400, link.Opener.Counters.Opened);
    }

    private static void SealAndOpen(SealedLink link, byte[] plaintext, byte[] packet, byte[] opened)
    {
        if (!link.Sealer.TrySeal(7, 1, plaintext, packet, out var written)
            || link.Opener.TryOpen(7, packet.AsSpan(0, written), opened, out _, out _) != OpenResult.Ok)
        {
            Assert.Fail("seal and open failed");
        }
    }

    /// <summary>
    /// Re-derives the key chain from the secret, independently of the sealer, and opens every packet with the key
    /// and nonce the layout says it must use: so the set of (key, nonce) pairs checked is the set really used.
    /// </summary>
    private static void AssertEveryKeyAndNonceIsUniqueAndWasReallyUsed(byte[] secret, List<(byte Channel, byte[] Packet, int Payload)> sent)
    {
        var keys = new List<byte[]> { HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, "meshconf/1 key"u8.ToArray()) };
        var ciphers = new Dictionary<int, AesGcm>();
        var pairs = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var (channel, packet, _) in sent)
            {
                var counter = BinaryPrimitives.ReadUInt64BigEndian(packet.AsSpan(2));
                var epoch = (int)(counter >> RekeyShift);
                while (keys.Count <= epoch)
                {
                    keys.Add(HKDF.Expand(HashAlgorithmName.SHA256, keys[^1], 32, "meshconf/1 rekey"u8.ToArray()));
                }

                if (!ciphers.TryGetValue(epoch, out var aes))
                {
                    aes = new AesGcm(keys[epoch], 16);
                    ciphers.Add(epoch, aes);
                }

                var nonce = new byte[12];
                nonce[0] = SealedLink.Direction;
                nonce[1] = channel;
                BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), counter);
                var associatedData = new byte[27];
                packet.AsSpan(0, 10).CopyTo(associatedData);
                BinaryPrimitives.WriteUInt64BigEndian(associatedData.AsSpan(10), SealedLink.SenderId);
                BinaryPrimitives.WriteUInt64BigEndian(associatedData.AsSpan(18), SealedLink.ReceiverId);
                associatedData[26] = channel;
                var length = packet.Length - 26;
                aes.Decrypt(nonce, packet.AsSpan(10, length), packet.AsSpan(10 + length), new byte[length], associatedData);

                Assert.True(pairs.Add(Convert.ToHexString(keys[epoch]) + Convert.ToHexString(nonce)), $"key and nonce reused at channel {channel} counter {counter}");
            }
        }
        finally
        {
            foreach (var aes in ciphers.Values)
            {
                aes.Dispose();
            }
        }

        Assert.Equal(sent.Count, pairs.Count);
    }
}
