using MeshConf.Core.Audio;
using MeshConf.Node.Audio;

namespace MeshConf.Node.Tests.Audio;

public sealed class SampleRingTests
{
    [Fact]
    public void Given_writes_and_reads_across_the_end_When_read_Then_samples_come_out_in_order_as_pcm16()
    {
        var ring = new SampleRing(6);
        Span<short> out3 = stackalloc short[3];

        Assert.Equal(8, ring.Capacity);
        ring.Write([0.5f, -0.5f, 1f, -1f, 0f]);
        Assert.Equal(3, ring.Read(out3));
        Assert.Equal([16384, -16384, short.MaxValue], out3.ToArray());
        ring.Write([0.25f, 0.125f, 2f, -2f, 0.75f]);
        Assert.Equal(7, ring.Count);

        var rest = new short[10];
        Assert.Equal(7, ring.Read(rest));
        Assert.Equal(new short[] { -32768, 0, 8192, 4096, short.MaxValue, short.MinValue, 24576 }, rest.Take(7));
        Assert.Equal(0, ring.Count);
        Assert.Equal(0, ring.Read(rest));
    }

    [Fact]
    public void Given_a_full_ring_When_written_Then_the_excess_is_dropped_and_counted_and_skip_drops_the_oldest()
    {
        var ring = new SampleRing(4);
        ring.Write([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f]);

        Assert.Equal(2, ring.Overruns);
        Assert.Equal(4, ring.Count);
        Assert.Equal(3, ring.Skip(3));
        var one = new short[4];
        Assert.Equal(1, ring.Read(one));
        Assert.Equal(SampleConversion.ToPcm16(0.4f), one[0]);
        Assert.Equal(0, ring.Skip(5));
    }

    [Fact(Timeout = 60_000)]
    public void Given_a_writer_and_a_reader_on_two_threads_When_a_counting_sequence_is_sent_Then_it_arrives_whole_and_in_order()
    {
        const int total = 500_000;
        var ring = new SampleRing(1024);
        var writer = new Thread(() =>
        {
            var chunk = new float[97];
            var next = 0;
            while (next < total)
            {
                var n = Math.Min(Math.Min(chunk.Length, total - next), ring.Capacity - ring.Count);
                for (var i = 0; i < n; i++)
                {
                    chunk[i] = ((next + i) % 30000) / 32768f;
                }

                ring.Write(chunk.AsSpan(0, n));
                next += n;
            }
        });
        writer.Start();

        var received = 0;
        var wrong = -1;
        var buffer = new short[61];
        var deadline = DateTime.UtcNow.AddSeconds(50);
        while (received < total && DateTime.UtcNow < deadline)
        {
            var n = ring.Read(buffer);
            for (var i = 0; i < n && wrong < 0; i++)
            {
                wrong = buffer[i] == (received + i) % 30000 ? -1 : received + i;
            }

            received += n;
        }

        writer.Join();
        Assert.Equal(-1, wrong);
        Assert.Equal(total, received);
        Assert.Equal(0, ring.Overruns);
    }
}
