using System.Net;
using MeshConf.Core.Mesh;
using MeshConf.Core.Wire;

namespace MeshConf.Core.Tests.Mesh;

public sealed class MeshMessagesTests
{
    [Fact]
    public void Given_a_roster_When_encoded_and_decoded_Then_entries_survive_in_order()
    {
        RosterEntry[] entries =
        [
            new(1, "alice", new IPEndPoint(IPAddress.Parse("192.168.1.20"), 5000)),
            new(ulong.MaxValue, "Zoë ☕ with a long name", new IPEndPoint(IPAddress.Loopback, 65535)),
            new(7, "v6", new IPEndPoint(IPAddress.Parse("fe80::1"), 1)),
        ];

        Assert.True(RosterMessage.TryDecode(RosterMessage.Encode(entries), out var decoded));
        Assert.Equal(entries, decoded);
    }

    [Fact]
    public void Given_an_empty_roster_When_round_tripped_Then_it_is_empty()
    {
        Assert.True(RosterMessage.TryDecode(RosterMessage.Encode([]), out var decoded));
        Assert.Empty(decoded);
    }

    [Fact]
    public void Given_every_truncation_or_extension_of_a_roster_When_decoded_Then_it_is_rejected()
    {
        var body = RosterMessage.Encode([new RosterEntry(1, "alice", new IPEndPoint(IPAddress.Loopback, 5000)), new RosterEntry(2, "bob", new IPEndPoint(IPAddress.Loopback, 5001))]);
        for (var length = 0; length < body.Length; length++)
        {
            Assert.False(RosterMessage.TryDecode(body.AsSpan(0, length), out var entries));
            Assert.Empty(entries);
        }

        Assert.False(RosterMessage.TryDecode([.. body, 0], out _));
    }

    [Fact]
    public void Given_hostile_rosters_When_decoded_Then_they_are_rejected_without_throwing()
    {
        Assert.False(RosterMessage.TryDecode([200], out _));
        Assert.False(RosterMessage.TryDecode([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0x0A, 5, 127, 0, 0, 1, 0, 1], out _));
        Assert.False(RosterMessage.TryDecode([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, (byte)'a', 9, 127, 0, 0, 1, 0, 1], out _));
        var random = new Random(99);
        var buffer = new byte[64];
        for (var i = 0; i < 10_000; i++)
        {
            random.NextBytes(buffer);
            RosterMessage.TryDecode(buffer.AsSpan(0, random.Next(buffer.Length)), out _);
        }
    }

    [Fact]
    public void Given_a_refusal_When_round_tripped_Then_code_and_reason_survive_and_long_reasons_are_cut()
    {
        var refusal = new RefuseMessage(RefusalCode.SessionMismatch, "session mismatch: 'a' is in 'x'");
        Assert.Equal(refusal, RefuseMessage.TryDecode(refusal.Encode()));

        var longOne = new RefuseMessage(RefusalCode.Other, new string('é', 300));
        var decoded = RefuseMessage.TryDecode(longOne.Encode())!;
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(decoded.Reason) <= RefuseMessage.MaxReasonBytes);
        Assert.Null(RefuseMessage.TryDecode([3, 1]));
        Assert.Null(RefuseMessage.TryDecode([]));
        Assert.Null(RefuseMessage.TryDecode([1, 1, 0]));
    }

    [Fact]
    public void Given_invalid_text_When_read_Then_the_reader_fails_instead_of_throwing()
    {
        var invalidUtf8 = new WireReader([2, 0xC3, 0x28]);
        Assert.Equal(string.Empty, invalidUtf8.ReadString8(64));
        Assert.True(invalidUtf8.Failed);

        var control = new WireReader([1, 0x07]);
        control.ReadString8(64);
        Assert.True(control.Failed);

        var tooLong = new WireReader([5, 1, 2, 3, 4, 5]);
        tooLong.ReadString8(4);
        Assert.True(tooLong.Failed);

        var pastEnd = new WireReader([1]);
        Assert.Equal(0ul, pastEnd.ReadUInt64());
        Assert.True(pastEnd.Failed);
        Assert.Equal(0, pastEnd.ReadByte());
    }

    [Fact]
    public void Given_a_token_bucket_When_drained_Then_it_refills_at_its_rate()
    {
        var bucket = new TokenBucket(burst: 3, ratePerSecond: 2, TimeSpan.Zero);
        Assert.True(bucket.TryTake(TimeSpan.Zero));
        Assert.True(bucket.TryTake(TimeSpan.Zero));
        Assert.True(bucket.TryTake(TimeSpan.Zero));
        Assert.False(bucket.TryTake(TimeSpan.Zero));
        Assert.False(bucket.TryTake(TimeSpan.FromMilliseconds(400)));
        Assert.True(bucket.TryTake(TimeSpan.FromMilliseconds(500)));
        Assert.False(bucket.TryTake(TimeSpan.FromMilliseconds(500)));
        Assert.False(bucket.IsFull(TimeSpan.FromSeconds(1)));
        Assert.True(bucket.IsFull(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(1, 0.5, 1000)]
    [InlineData(2, 0.5, 2000)]
    [InlineData(3, 0.5, 4000)]
    [InlineData(6, 0.5, 30000)]
    [InlineData(50, 0.5, 30000)]
    [InlineData(1, 0.0, 800)]
    [InlineData(1, 1.0, 1200)]
    public void Given_consecutive_failures_When_backing_off_Then_delays_double_up_to_the_cap_with_jitter(int failures, double unit, int expectedMs)
    {
        Assert.Equal(expectedMs, DialBackoff.Delay(failures, unit).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Given_two_links_between_the_same_nodes_When_arbitrated_from_both_ends_Then_both_keep_the_same_one()
    {
        const ulong small = 5, large = 9;
        // Link X dialled by the small node, link Y by the large one; local orders differ at each end.
        var atSmall = LinkArbiter.Prefers(small, 10, large, 3);
        var atLarge = LinkArbiter.Prefers(small, 1, large, 42);
        Assert.True(atSmall);
        Assert.True(atLarge);
        Assert.False(LinkArbiter.Prefers(large, 1, small, 2));
        Assert.True(LinkArbiter.Prefers(small, 1, small, 2));
        Assert.False(LinkArbiter.Prefers(small, 2, small, 1));
    }
}
