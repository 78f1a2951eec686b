using MeshConf.Interop.Native;
using MeshConf.Node.Net;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Net;

/// <summary>
/// The steady-state message path allocates nothing on any of its threads: the sender (copy into a pooled buffer,
/// struct command), both owner threads (ENet send and receive, pooled receive buffer, struct event) and the
/// reader (TryRead, Release). Each thread is measured with its own allocation counter.
/// </summary>
public sealed class EnetTransportAllocationTests
{
    private const int Batch = 16; // messages in flight at once, well within what the shared array pool keeps
    private const int Warmup = 3000;
    private const int Measured = 6000;

    // Usually 0. ArrayPool<byte>.Shared may still miss now and then (it trims on gen-2 collections, and under CPU
    // load a rent can race the return on another core), costing one fresh array; two 4 KB arrays are allowed.
    // Any allocation per message, even 8 bytes, would be 48 KB or more here.
    private const long PoolRefills = 2 * (4096 + 32);

    public EnetTransportAllocationTests() => SystemPiece.RequireLibrary(NativeDependency.Enet);

    [Fact(Timeout = 20_000)]
    public async Task Given_a_warm_link_When_thousands_of_messages_flow_Then_sender_owner_threads_and_reader_allocate_nothing()
    {
        using var a = new TransportProbe();
        using var b = new TransportProbe(pump: false);
        var link = a.Transport.Connect(b.EndPoint);
        await a.WaitForAsync(e => e.Kind == TransportEventKind.Connected, TimeSpan.FromSeconds(5));
        var flow = new MessageFlow(a.Transport, link, b.Transport);
        var reader = Task.Factory.StartNew(flow.Read, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        using var warmedUp = new SemaphoreSlim(0);
        using var go = new ManualResetEventSlim();
        var sender = RunOnOwnThread(() =>
        {
            // One thread for warm-up and measurement: a thread's first pool use allocates its own caches.
            flow.Send(Warmup);
            warmedUp.Release();
            go.Wait(TestContext.Current.CancellationToken);
            return flow.Send(Measured);
        });

        await warmedUp.WaitAsync(TestContext.Current.CancellationToken);
        await EnetTransportTests.WaitForTickAsync(a.Transport, a.Transport.TickCount);
        await EnetTransportTests.WaitForTickAsync(b.Transport, b.Transport.TickCount);
        var (senderOwnerBefore, receiverOwnerBefore) = (a.Transport.OwnerThreadAllocatedBytes, b.Transport.OwnerThreadAllocatedBytes);
        go.Set();
        var senderBytes = await sender;
        var readerBytes = await reader;
        await EnetTransportTests.WaitForTickAsync(a.Transport, a.Transport.TickCount);
        await EnetTransportTests.WaitForTickAsync(b.Transport, b.Transport.TickCount);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Measured} messages: sender {senderBytes} B, sending owner {a.Transport.OwnerThreadAllocatedBytes - senderOwnerBefore} B, " +
            $"receiving owner {b.Transport.OwnerThreadAllocatedBytes - receiverOwnerBefore} B, reader {readerBytes} B");
        Assert.InRange(senderBytes, 0, PoolRefills);
        Assert.InRange(a.Transport.OwnerThreadAllocatedBytes - senderOwnerBefore, 0, PoolRefills);
        Assert.InRange(b.Transport.OwnerThreadAllocatedBytes - receiverOwnerBefore, 0, PoolRefills);
        Assert.InRange(readerBytes, 0, PoolRefills);
        Assert.Equal(Warmup + Measured, flow.Received);
    }

    private static Task<long> RunOnOwnThread(Func<long> work) =>
        Task.Factory.StartNew(work, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Synchronous sender and reader loops, so each runs start to end on one thread.</summary>
    private sealed class MessageFlow(EnetTransport from, LinkId link, EnetTransport to)
    {
        private readonly byte[] _control = new byte[64];
        private readonly byte[] _audio = new byte[160];
        private readonly byte[] _video = new byte[3000]; // three fragments
        private long _sent;
        private long _received;

        public long Received => Volatile.Read(ref _received);

        /// <summary>Sends in small batches, each after the previous one arrived; returns the bytes this thread allocated.</summary>
        public long Send(int count)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < count; i++)
            {
                var (channel, message) = (i % 3) switch
                {
                    0 => (MeshChannel.Control, _control),
                    1 => (MeshChannel.Audio, _audio),
                    _ => (MeshChannel.Video, _video),
                };
                message[0] = (byte)i;
                Assert.True(from.Send(link, channel, message));
                if (++_sent % Batch == 0)
                {
                    WaitUntilReceived(_sent);
                }
            }

            WaitUntilReceived(_sent);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        /// <summary>Reads until every message arrived; returns the bytes allocated after the warm-up messages.</summary>
        public long Read()
        {
            var start = 0L;
            var spinner = default(SpinWait);
            while (Received < Warmup + Measured)
            {
                if (!to.Events.TryRead(out var e))
                {
                    spinner.SpinOnce();
                    continue;
                }

                if (e.Kind == TransportEventKind.Received && Interlocked.Increment(ref _received) == Warmup)
                {
                    start = GC.GetAllocatedBytesForCurrentThread();
                }

                e.Release();
            }

            return GC.GetAllocatedBytesForCurrentThread() - start;
        }

        private void WaitUntilReceived(long count)
        {
            var deadline = Environment.TickCount64 + 5000;
            var spinner = default(SpinWait);
            while (Received < count)
            {
                if (Environment.TickCount64 > deadline)
                {
                    Assert.Fail($"{Received} of {count} messages arrived"); // formatted only on failure: it allocates
                }

                spinner.SpinOnce();
            }
        }
    }
}
