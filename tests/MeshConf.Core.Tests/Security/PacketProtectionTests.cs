using System.Buffers.Binary;
using System.Security.Cryptography;
using MeshConf.Core.Security;

namespace MeshConf.Core.Tests.Security;

public sealed class PacketProtectionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(1200)]
    [InlineData(60000)]
    public void Given_a_plaintext_When_sealed_and_opened_Then_it_round_trips_with_its_message_type(int size)
    {
        using var link = new SealedLink();
        var plaintext = new byte[size];
        new Random(size).NextBytes(plaintext);

        var packet = link.Seal(5, plaintext, messageType: 0x37);
        var result = SealedLink.Open(link.Opener, 5, packet, out var messageType, out var opened);

        Assert.Equal(size + SealedPacket.Overhead, packet.Length);
        Assert.Equal(OpenResult.Ok, result);
        Assert.Equal(0x37, messageType);
        Assert.Equal(plaintext, opened);
        Assert.Equal(1, link.Opener.Counters.Opened);
        Assert.Equal(0, link.Opener.Counters.Dropped);
        if (size >= 16)
        {
            Assert.NotEqual(plaintext, packet.AsSpan(SealedPacket.HeaderSize, size).ToArray());
        }
    }

    [Fact]
    public void Given_fixed_inputs_When_sealed_Then_the_bytes_match_an_independent_computation_and_the_recorded_vector()
    {
        // Fixed secret 00..1f, ids, direction 1, channel 3, message type 0x42, counter 5 with rekeyShift 2 (epoch 1,
        // so the rekey derivation is covered). The hex was computed with Python's `cryptography` (HKDFExpand,
        // AESGCM) from the layout in SealedPacket, independently of this code base.
        const string Recorded = "80420000000000000005a0522da6e3f15ea9cfd45c4f8fb21da4df5885225903a0db27356b8130e6a3f74b1e1c8016";
        var secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var plaintext = "meshconf known answer"u8.ToArray();
        using var sealer = new PacketSealer(secret, 0x0102030405060708, 0x1112131415161718, direction: 1, rekeyShift: 2);
        var scratch = new byte[64];
        for (var i = 0; i < 5; i++)
        {
            Assert.True(sealer.TrySeal(3, 0x42, plaintext, scratch, out _));
        }

        var packet = new byte[plaintext.Length + SealedPacket.Overhead];
        Assert.True(sealer.TrySeal(3, 0x42, plaintext, packet, out _));

        Assert.Equal(Recorded, Convert.ToHexStringLower(packet));
        Assert.Equal(Recorded, Convert.ToHexStringLower(IndependentSeal(secret, plaintext)));
    }

    [Fact]
    public void Given_a_small_packet_When_any_bit_of_any_byte_is_flipped_Then_it_fails_the_tag_or_the_kind_check()
    {
        // rekeyShift 63 keeps every flipped counter within epochs 0 and 1, so counter bits reach the tag check too.
        using var link = new SealedLink(rekeyShift: 63);
        var packet = link.Seal(2, [1, 2, 3, 4, 5]);

        for (var position = 0; position < packet.Length; position++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var tampered = (byte[])packet.Clone();
                tampered[position] ^= (byte)(1 << bit);

                var expected = position == 0 ? OpenResult.Malformed : OpenResult.BadTag;
                Assert.Equal(expected, link.Open(2, tampered));
            }
        }

        Assert.Equal(8, link.Opener.Counters.Malformed);
        Assert.Equal((packet.Length - 1) * 8, link.Opener.Counters.BadTag);
        Assert.Equal(OpenResult.Ok, link.Open(2, packet));
    }

    [Fact]
    public void Given_a_packet_When_opened_on_another_channel_Then_the_tag_fails()
    {
        using var link = new SealedLink();
        var packet = link.Seal(1, [9, 9, 9]);

        Assert.Equal(OpenResult.BadTag, link.Open(2, packet));
        Assert.Equal(OpenResult.Ok, link.Open(1, packet));
    }

    [Fact]
    public void Given_a_packet_When_opened_with_swapped_sender_and_receiver_ids_Then_the_tag_fails()
    {
        using var link = new SealedLink();
        using var swapped = new PacketOpener(link.Secret, SealedLink.ReceiverId, SealedLink.SenderId, SealedLink.Direction);
        var packet = link.Seal(0, [1, 2, 3]);

        Assert.Equal(OpenResult.BadTag, SealedLink.Open(swapped, 0, packet, out _, out _));
        Assert.Equal(1, swapped.Counters.BadTag);
    }

    [Fact]
    public void Given_a_packet_When_opened_as_the_other_direction_Then_the_tag_fails()
    {
        using var link = new SealedLink();
        using var otherDirection = new PacketOpener(link.Secret, SealedLink.SenderId, SealedLink.ReceiverId, 0);

        Assert.Equal(OpenResult.BadTag, SealedLink.Open(otherDirection, 0, link.Seal(0, [1]), out _, out _));
    }

    [Fact]
    public void Given_a_packet_When_opened_with_another_traffic_secret_Then_the_tag_fails()
    {
        using var link = new SealedLink();
        var otherSecret = (byte[])link.Secret.Clone();
        otherSecret[31] ^= 1;
        using var wrongKey = new PacketOpener(otherSecret, SealedLink.SenderId, SealedLink.ReceiverId, SealedLink.Direction);

        Assert.Equal(OpenResult.BadTag, SealedLink.Open(wrongKey, 0, link.Seal(0, [1, 2]), out _, out _));
    }

    [Fact]
    public void Given_a_packet_When_its_message_type_is_changed_Then_the_tag_fails()
    {
        using var link = new SealedLink();
        var packet = link.Seal(0, [1, 2, 3], messageType: 4);
        packet[1] = 5;

        Assert.Equal(OpenResult.BadTag, link.Open(0, packet));
    }

    [Fact]
    public void Given_an_accepted_packet_When_it_arrives_again_Then_it_is_a_replay()
    {
        using var link = new SealedLink();
        var packet = link.Seal(3, [1, 2, 3]);

        Assert.Equal(OpenResult.Ok, link.Open(3, packet));
        Assert.Equal(OpenResult.Replay, link.Open(3, packet));
        Assert.Equal(OpenResult.Replay, link.Open(3, packet));
        Assert.Equal(2, link.Opener.Counters.Replay);
    }

    [Fact]
    public void Given_every_length_below_the_overhead_When_opened_Then_each_is_malformed()
    {
        using var link = new SealedLink();
        var packet = link.Seal(0, []);

        for (var length = 0; length < SealedPacket.Overhead; length++)
        {
            Assert.Equal(OpenResult.Malformed, link.Open(0, packet.AsSpan(0, length)));
        }

        Assert.Equal(SealedPacket.Overhead, link.Opener.Counters.Malformed);
        Assert.Equal(OpenResult.Ok, link.Open(0, packet));
    }

    [Fact]
    public void Given_a_channel_out_of_range_or_a_small_destination_When_opened_Then_it_is_malformed()
    {
        using var link = new SealedLink();
        var packet = link.Seal(0, [1, 2, 3, 4]);

        Assert.Equal(OpenResult.Malformed, link.Opener.TryOpen(SealedPacket.MaxChannels, packet, new byte[4], out _, out _));
        Assert.Equal(OpenResult.Malformed, link.Opener.TryOpen(0, packet, new byte[3], out _, out var written));
        Assert.Equal(0, written);
        Assert.Equal(OpenResult.Ok, link.Opener.TryOpen(0, packet, new byte[4], out _, out written));
        Assert.Equal(4, written);
    }

    [Fact]
    public void Given_bad_arguments_When_sealing_Then_it_returns_false_and_writes_nothing()
    {
        using var link = new SealedLink();
        var destination = new byte[SealedPacket.Overhead + 3];

        Assert.False(link.Sealer.TrySeal(SealedPacket.MaxChannels, 0, [1], destination, out var written));
        Assert.False(link.Sealer.TrySeal(0, 0, [1, 2, 3, 4], destination, out written));
        Assert.Equal(0, written);
        Assert.All(destination, b => Assert.Equal(0, b));
        Assert.Equal(0UL, link.Sealer.PacketsSealed(0));
    }

    [Fact]
    public void Given_a_window_full_of_newer_packets_When_an_old_one_arrives_Then_it_is_stale_at_exactly_the_window_edge()
    {
        using var link = new SealedLink();
        var packets = Enumerable.Range(0, 1100).Select(i => link.Seal(0, [(byte)i])).ToArray();

        Assert.Equal(OpenResult.Ok, link.Open(0, packets[1099]));

        Assert.Equal(OpenResult.Stale, link.Open(0, packets[0]));
        Assert.Equal(OpenResult.Stale, link.Open(0, packets[1099 - ReplayWindow.Size]));
        Assert.Equal(OpenResult.Ok, link.Open(0, packets[1099 - ReplayWindow.Size + 1]));
        Assert.Equal(2, link.Opener.Counters.Stale);
    }

    [Fact]
    public void Given_packets_reordered_inside_the_window_When_opened_Then_each_opens_once()
    {
        using var link = new SealedLink();
        var packets = Enumerable.Range(0, 300).Select(i => link.Seal(6, [(byte)i, (byte)(i >> 8)])).ToArray();
        var order = Enumerable.Range(0, 300).ToArray();
        new Random(42).Shuffle(order);

        foreach (var i in order)
        {
            Assert.Equal(OpenResult.Ok, SealedLink.Open(link.Opener, 6, packets[i], out _, out var plaintext));
            Assert.Equal([(byte)i, (byte)(i >> 8)], plaintext);
        }

        foreach (var i in order)
        {
            Assert.Equal(OpenResult.Replay, link.Open(6, packets[i]));
        }
    }

    [Fact]
    public void Given_channels_When_each_seals_Then_their_counters_are_independent()
    {
        using var link = new SealedLink();
        var first = link.Seal(0, [1]);
        link.Seal(0, [2]);
        var otherChannel = link.Seal(1, [3]);

        Assert.True(SealedPacket.TryReadHeader(first, out _, out var firstCounter));
        Assert.True(SealedPacket.TryReadHeader(otherChannel, out _, out var otherCounter));
        Assert.Equal(0UL, firstCounter);
        Assert.Equal(0UL, otherCounter);
        Assert.Equal(2UL, link.Sealer.PacketsSealed(0));
        Assert.Equal(1UL, link.Sealer.PacketsSealed(1));
        Assert.Equal(OpenResult.Ok, link.Open(1, otherChannel));
        Assert.Equal(OpenResult.Ok, link.Open(0, first));
    }

    [Fact]
    public void Given_seeded_garbage_When_opened_Then_nothing_throws_nothing_opens_and_every_packet_is_counted()
    {
        using var link = new SealedLink(rekeyShift: 4);
        var random = new Random(20240601);
        var legit = link.Seal(0, new byte[40]);
        var destination = new byte[512];
        const int Count = 20_000;

        for (var i = 0; i < Count; i++)
        {
            byte[] packet;
            switch (i % 3)
            {
                case 0: // pure noise
                    packet = new byte[random.Next(0, 300)];
                    random.NextBytes(packet);
                    break;
                case 1: // the right kind and a small counter, so it reaches the tag check
                    packet = new byte[random.Next(SealedPacket.Overhead, 300)];
                    random.NextBytes(packet);
                    packet[0] = SealedPacket.Kind;
                    BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(2), (ulong)random.Next(0, 40));
                    break;
                default: // a legitimate packet with a few random bytes changed, or cut short
                    packet = (byte[])legit.Clone();
                    for (var n = random.Next(1, 4); n > 0; n--)
                    {
                        packet[random.Next(1, packet.Length)] ^= (byte)random.Next(1, 256);
                    }

                    packet = packet[..random.Next(0, packet.Length + 1)];
                    break;
            }

            var result = link.Opener.TryOpen((byte)random.Next(0, 10), packet, destination, out _, out _);

            Assert.NotEqual(OpenResult.Ok, result);
        }

        var counters = link.Opener.Counters;
        Assert.Equal(Count, counters.Dropped);
        Assert.True(counters.BadTag > Count / 4, $"only {counters.BadTag} reached the tag check");
        Assert.True(counters.Malformed > Count / 4, $"only {counters.Malformed} malformed");
        Assert.Equal(OpenResult.Ok, link.Open(0, legit));
    }

    [Fact]
    public void Given_a_forged_packet_with_a_far_counter_When_it_fails_Then_the_window_has_not_moved()
    {
        using var link = new SealedLink();
        var packets = Enumerable.Range(0, 10).Select(i => link.Seal(0, [(byte)i])).ToArray();
        Assert.Equal(OpenResult.Ok, link.Open(0, packets[0]));

        // Same epoch, 5000 ahead: reaches the tag check and fails it.
        var forged = (byte[])packets[1].Clone();
        BinaryPrimitives.WriteUInt64BigEndian(forged.AsSpan(2), 5000);
        Assert.Equal(OpenResult.BadTag, link.Open(0, forged));

        // Next epoch: a candidate key is derived, but the epoch is not committed.
        BinaryPrimitives.WriteUInt64BigEndian(forged.AsSpan(2), 1UL << PacketSealer.DefaultRekeyShift);
        Assert.Equal(OpenResult.BadTag, link.Open(0, forged));

        // A huge counter: too many epochs ahead to be legitimate.
        BinaryPrimitives.WriteUInt64BigEndian(forged.AsSpan(2), ulong.MaxValue - 1);
        Assert.Equal(OpenResult.Malformed, link.Open(0, forged));

        for (var i = 1; i < packets.Length; i++)
        {
            Assert.Equal(OpenResult.Ok, link.Open(0, packets[i]));
        }
    }

    [Fact]
    public void Given_a_forged_next_epoch_packet_When_it_fails_Then_current_epoch_packets_still_open()
    {
        using var link = new SealedLink(rekeyShift: 4);
        var packets = Enumerable.Range(0, 20).Select(i => link.Seal(0, [(byte)i])).ToArray();
        var forged = (byte[])packets[17].Clone();
        forged[^1] ^= 1;

        Assert.Equal(OpenResult.Ok, link.Open(0, packets[0]));
        Assert.Equal(OpenResult.BadTag, link.Open(0, forged));
        for (var i = 1; i < 16; i++)
        {
            Assert.Equal(OpenResult.Ok, link.Open(0, packets[i]));
        }

        for (var i = 16; i < 20; i++)
        {
            Assert.Equal(OpenResult.Ok, link.Open(0, packets[i]));
        }
    }

    [Fact]
    public void Given_the_first_packets_of_a_new_epoch_are_lost_When_later_ones_arrive_Then_the_link_follows_the_rekey()
    {
        using var link = new SealedLink(rekeyShift: 4);
        var packets = Enumerable.Range(0, 48).Select(i => link.Seal(0, [(byte)i])).ToArray();
        var lost = new HashSet<int> { 14, 16, 17, 18, 19 };

        for (var i = 0; i < 40; i++)
        {
            if (!lost.Contains(i))
            {
                Assert.Equal(OpenResult.Ok, link.Open(0, packets[i]));
            }
        }

        // Epoch 2 (32..47) is current now: a late packet of epoch 1 opens with the previous key...
        Assert.Equal(OpenResult.Ok, link.Open(0, packets[17]));

        // ...but epoch 0's key is gone, though counter 14 is still inside the replay window.
        Assert.Equal(OpenResult.Stale, link.Open(0, packets[14]));

        for (var i = 40; i < 48; i++)
        {
            Assert.Equal(OpenResult.Ok, link.Open(0, packets[i]));
        }
    }

    [Fact]
    public void Given_a_counter_about_to_wrap_When_sealing_Then_the_last_counter_is_used_once_and_then_sealing_fails()
    {
        using var link = new SealedLink(rekeyShift: 62);
        link.Sealer.FastForward(4, ulong.MaxValue - 1);
        var destination = new byte[SealedPacket.Overhead + 1];

        Assert.True(link.Sealer.TrySeal(4, 0, [1], destination, out _));
        Assert.True(SealedPacket.TryReadHeader(destination, out _, out var counter));
        Assert.Equal(ulong.MaxValue - 1, counter);
        Assert.True(link.Sealer.TrySeal(4, 0, [1], destination, out _));
        Assert.True(SealedPacket.TryReadHeader(destination, out _, out counter));
        Assert.Equal(ulong.MaxValue, counter);
        var last = destination.ToArray();

        Assert.False(link.Sealer.TrySeal(4, 0, [1], destination, out var written));
        Assert.False(link.Sealer.TrySeal(4, 0, [1], destination, out _));
        Assert.Equal(0, written);
        Assert.Equal(ulong.MaxValue, link.Sealer.PacketsSealed(4));
        Assert.True(link.Sealer.TrySeal(5, 0, [1], destination, out _));

        // Epoch 3 with the opener still at epoch 0: too far ahead to be real.
        Assert.Equal(OpenResult.Malformed, link.Open(4, last));
    }

    [Fact]
    public void Given_a_disposed_sealer_When_sealing_Then_it_returns_false()
    {
        var link = new SealedLink();
        link.Dispose();

        Assert.False(link.Sealer.TrySeal(0, 0, [1], new byte[64], out _));
    }

    [Fact]
    public void Given_several_threads_sealing_on_one_channel_When_all_are_opened_Then_every_counter_was_used_exactly_once()
    {
        using var link = new SealedLink();
        const int Threads = 4;
        const int PerThread = 5000;
        var packets = new byte[Threads][][];

        Parallel.For(0, Threads, t =>
        {
            packets[t] = new byte[PerThread][];
            for (var i = 0; i < PerThread; i++)
            {
                var packet = new byte[SealedPacket.Overhead + 4];
                Assert.True(link.Sealer.TrySeal(0, 1, BitConverter.GetBytes((t * PerThread) + i), packet, out _));
                packets[t][i] = packet;
            }
        });

        var counters = packets.SelectMany(p => p).Select(p => BinaryPrimitives.ReadUInt64BigEndian(p.AsSpan(2))).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, Threads * PerThread).Select(i => (ulong)i), counters);
        Assert.All(packets.SelectMany(p => p).OrderBy(p => BinaryPrimitives.ReadUInt64BigEndian(p.AsSpan(2))), p => Assert.Equal(OpenResult.Ok, link.Open(0, p)));
    }

    [Fact]
    public void Given_a_traffic_secret_of_the_wrong_size_When_constructing_Then_it_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PacketSealer(new byte[16], 1, 2, 0));
        Assert.Throws<ArgumentException>(() => new PacketOpener(new byte[33], 1, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketSealer(new byte[32], 1, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketSealer(new byte[32], 1, 2, 0, rekeyShift: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketSealer(new byte[32], 1, 2, 0, rekeyShift: 64));
    }

    /// <summary>The layout of SealedPacket, written out again from the primitives.</summary>
    private static byte[] IndependentSeal(byte[] secret, byte[] plaintext)
    {
        const ulong Counter = 5;
        const byte Channel = 3;
        var key0 = HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, "meshconf/1 key"u8.ToArray());
        var key1 = HKDF.Expand(HashAlgorithmName.SHA256, key0, 32, "meshconf/1 rekey"u8.ToArray());

        var header = new byte[10];
        header[0] = 0x80;
        header[1] = 0x42;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), Counter);
        var nonce = new byte[12];
        nonce[0] = 1;
        nonce[1] = Channel;
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), Counter);
        var associatedData = new byte[27];
        header.CopyTo(associatedData, 0);
        BinaryPrimitives.WriteUInt64BigEndian(associatedData.AsSpan(10), 0x0102030405060708);
        BinaryPrimitives.WriteUInt64BigEndian(associatedData.AsSpan(18), 0x1112131415161718);
        associatedData[26] = Channel;

        var packet = new byte[10 + plaintext.Length + 16];
        header.CopyTo(packet, 0);
        using var aes = new AesGcm(key1, 16);
        aes.Encrypt(nonce, plaintext, packet.AsSpan(10, plaintext.Length), packet.AsSpan(10 + plaintext.Length), associatedData);
        return packet;
    }
}
