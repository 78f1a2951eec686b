using System.Diagnostics;
using MeshConf.Core.Dns;
using MeshConf.Core.Net;

namespace MeshConf.Core.Tests.Dns;

/// <summary>
/// A million packets mutated from valid ones (bit flips, byte replacements, planted pointers, count changes,
/// truncations, insertions, deletions and splices of two packets) go through <see cref="DnsMessage.TryRead"/>.
/// Nothing may throw, and whatever is accepted must write out and read back to an identical message.
/// Seeded with xoshiro256**, so a failure replays on any runtime.
/// </summary>
public sealed class DnsFuzzTests
{
    private const int PacketCount = 1_000_000;
    private const ulong Seed = 0x6D646E73_66757A7A; // "mdnsfuzz"

    /// <summary>Bytes that mean something to a name parser: ends, the largest label, reserved types, pointers.</summary>
    private static readonly byte[] Interesting = [0x00, 0x01, 0x3F, 0x40, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xFF, 0x0C, 0x2F, 0x21, 0x10];

    [Fact]
    public void Given_a_million_mutated_packets_When_read_Then_none_throws_and_every_accepted_one_survives_a_write_and_read()
    {
        byte[][] seeds =
        [
            DnsSamples.Announcement().ToArray(),
            DnsSamples.Probe().ToArray(),
            DnsSamples.QueryWithKnownAnswer().ToArray(),
            DnsSamples.EchoCapture,
            DnsSamples.MacReverseMappingCapture,
        ];
        foreach (var seed in seeds)
        {
            Assert.True(DnsMessage.TryRead(seed, out _, out var error), error);
        }

        var random = new Xoshiro256StarStar(Seed);
        var packet = new byte[4096];
        var rewritten = new byte[ushort.MaxValue];
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var accepted = 0;
        var stopwatch = Stopwatch.StartNew();

        for (var i = 0; i < PacketCount; i++)
        {
            var length = Mutate(ref random, seeds, packet);
            var span = packet.AsSpan(0, length);
            bool ok;
            DnsMessage? message;
            string? error;
            try
            {
                ok = DnsMessage.TryRead(span, out message, out error);
            }
            catch (Exception exception)
            {
                Assert.Fail($"packet {i} threw {exception}\n{Convert.ToHexString(span)}");
                return;
            }

            if (!ok)
            {
                reasons[error!] = reasons.GetValueOrDefault(error!) + 1;
                continue;
            }

            accepted++;
            if (!message!.TryWrite(rewritten, out var written)
                || !DnsMessage.TryRead(rewritten.AsSpan(0, written), out var again, out error)
                || DnsAssert.Difference(message, again) is not null)
            {
                Assert.Fail($"packet {i} did not survive a write and read ({error}): {Convert.ToHexString(span)}\n{message}");
                return;
            }
        }

        stopwatch.Stop();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{PacketCount} packets in {stopwatch.Elapsed.TotalSeconds:F1} s, {accepted} accepted");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value))
        {
            output?.WriteLine($"  {count,8}  {reason}");
        }

        // The mutations must reach both sides: plenty accepted (re-serialized), and most ways of refusing.
        Assert.InRange(accepted, PacketCount / 50, PacketCount - (PacketCount / 5));
        Assert.True(reasons.Count >= 12, $"only {reasons.Count} distinct reasons: {string.Join(", ", reasons.Keys)}");
    }

    /// <summary>Copies a seed into <paramref name="packet"/>, applies one to four mutations, returns the length.</summary>
    private static int Mutate(ref Xoshiro256StarStar random, byte[][] seeds, byte[] packet)
    {
        var seed = seeds[Next(ref random, seeds.Length)];
        seed.CopyTo(packet, 0);
        var length = seed.Length;
        var mutations = 1 + Next(ref random, 4);
        for (var m = 0; m < mutations && length > 0; m++)
        {
            var at = Next(ref random, length);
            switch (Next(ref random, 9))
            {
                case 0:
                    packet[at] ^= (byte)(1 << Next(ref random, 8));
                    break;
                case 1:
                    packet[at] = (byte)random.NextUInt64();
                    break;
                case 2:
                    packet[at] = Interesting[Next(ref random, Interesting.Length)];
                    break;
                case 3:
                    // A pointer planted anywhere, to anywhere in or just past the packet.
                    if (at + 1 < length)
                    {
                        var target = Next(ref random, length + 16);
                        packet[at] = (byte)(0xC0 | (target >> 8));
                        packet[at + 1] = (byte)target;
                    }

                    break;
                case 4:
                    // A header count nudged up or down.
                    var field = 4 + (2 * Next(ref random, 4));
                    if (field + 1 < length)
                    {
                        packet[field + 1] = (byte)(packet[field + 1] + Next(ref random, 5) - 2);
                    }

                    break;
                case 5:
                    length = at;
                    break;
                case 6:
                    if (length < packet.Length)
                    {
                        packet.AsSpan(at, length - at).CopyTo(packet.AsSpan(at + 1));
                        packet[at] = (byte)random.NextUInt64();
                        length++;
                    }

                    break;
                case 7:
                    packet.AsSpan(at + 1, length - at - 1).CopyTo(packet.AsSpan(at));
                    length--;
                    break;
                default:
                    // The head of this packet and the tail of another (or the same one) from some point on.
                    var other = seeds[Next(ref random, seeds.Length)];
                    var from = Next(ref random, other.Length);
                    var take = Math.Min(other.Length - from, packet.Length - at);
                    other.AsSpan(from, take).CopyTo(packet.AsSpan(at));
                    length = at + take;
                    break;
            }
        }

        return length;
    }

    private static int Next(ref Xoshiro256StarStar random, int bound) => (int)(random.NextUInt64() % (ulong)bound);
}
