using System.Net;
using MeshConf.Interop.Enet;
using MeshConf.Interop.Native;
using MeshConf.Interop.Opus;
using MeshConf.Interop.SpeexDsp;
using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.Native;

/// <summary>10,000 create/use/destroy cycles of each binding, watching resident memory and descriptors.</summary>
[Collection(LeakMeasurements.Name)]
public sealed class BindingLeakTests
{
    private const int Cycles = 10_000;
    private const int Warmup = 500;

    [Fact]
    public unsafe void The_measurement_catches_a_native_leak_of_100_bytes_a_cycle()
    {
        var leaked = new List<IntPtr>();
        try
        {
            var growth = ProcessMemory.MeasureGrowth(() => leaked.Add((IntPtr)System.Runtime.InteropServices.NativeMemory.Alloc(100)), Cycles, Warmup);

            Assert.True(growth.NativeHeapGrowthBytes >= Cycles * LeakLimits.MaxNativeHeapGrowthPerCycle, growth.ToString());
        }
        finally
        {
            foreach (var p in leaked)
            {
                System.Runtime.InteropServices.NativeMemory.Free((void*)p);
            }
        }
    }

    [Fact]
    public void Opus_encoder_and_decoder_cycles_do_not_leak()
    {
        SystemPiece.RequireLibrary(NativeDependency.Opus);
        var pcm = new short[960];
        var packet = new byte[1275];

        var growth = ProcessMemory.MeasureGrowth(() =>
        {
            using var encoder = new OpusEncoder(48000, 1, OpusApplication.Voip) { Bitrate = 24000, InbandFec = true };
            using var decoder = new OpusDecoder(48000, 1);
            var length = encoder.Encode(pcm, 960, packet);
            decoder.Decode(packet.AsSpan(0, length), pcm, 960);
            decoder.DecodeMissing(pcm, 960);
        }, Cycles, Warmup);

        LeakLimits.AssertNoGrowth(growth);
    }

    [Fact]
    public void Opus_handles_left_to_the_finalizer_do_not_leak()
    {
        SystemPiece.RequireLibrary(NativeDependency.Opus);

        // Forgetting Dispose must still free native state: the SafeHandle's finalizer does it. Collect now and
        // then, as a running program's GC would, so freed memory is reused rather than piling up unfinalized.
        var count = 0;
        var growth = ProcessMemory.MeasureGrowth(() =>
        {
            _ = new OpusEncoder(48000, 1, OpusApplication.Voip);
            if (++count % 100 == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }, Cycles, Warmup);

        LeakLimits.AssertNoGrowth(growth);
    }

    [Fact]
    public void Enet_host_connect_send_receive_destroy_cycles_do_not_leak()
    {
        SystemPiece.RequireLibrary(NativeDependency.Enet);
        using var server = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), peerLimit: 4, channelLimit: 2);
        var payload = new byte[3000];

        var growth = ProcessMemory.MeasureGrowth(() =>
        {
            using var client = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), peerLimit: 2, channelLimit: 2);
            var peer = client.Connect(server.LocalEndPoint, 2);
            // Queued on a peer that is still connecting: ENet refuses it and the binding frees it.
            peer.Send(0, payload, EnetDelivery.Reliable);
            client.Service(0, out _);
            server.Service(0, out _);
            client.Broadcast(1, payload, EnetDelivery.UnreliableFragment);
            client.Flush();
        }, Cycles, Warmup);

        LeakLimits.AssertNoGrowth(growth);
    }

    [Fact]
    public void Enet_received_packets_are_destroyed_by_the_host()
    {
        SystemPiece.RequireLibrary(NativeDependency.Enet);
        using var pair = new Enet.EnetPair();
        var payload = new byte[4000];
        var sent = 0;
        var received = 0;

        var growth = ProcessMemory.MeasureGrowth(() =>
        {
            pair.ClientSide.Send(1, payload, EnetDelivery.Reliable);
            sent++;
            received += pair.ReceiveOnServer(1, TimeSpan.FromSeconds(2)).Count;
        }, Cycles, Warmup);

        Assert.Equal(sent, received);
        LeakLimits.AssertNoGrowth(growth);
    }

    [Fact]
    public void Speexdsp_echo_and_preprocessor_cycles_do_not_leak()
    {
        SystemPiece.RequireLibrary(NativeDependency.SpeexDsp);
        var frame = new short[480];
        var output = new short[480];

        var growth = ProcessMemory.MeasureGrowth(() =>
        {
            using var echo = new SpeexEchoCanceller(480, 2400, 48000);
            using var pre = new SpeexPreprocessor(480, 48000) { Denoise = true };
            pre.AttachEchoCanceller(echo);
            echo.Cancel(frame, frame, output);
            pre.Run(output);
        }, Cycles, Warmup);

        LeakLimits.AssertNoGrowth(growth);
    }
}
