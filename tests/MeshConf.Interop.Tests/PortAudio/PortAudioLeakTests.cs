using MeshConf.Interop.Native;
using MeshConf.Interop.PortAudio;
using MeshConf.Interop.Tests.Native;
using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.PortAudio;

[Collection(PortAudioCollection.Name)]
public sealed class PortAudioLeakTests
{
    public PortAudioLeakTests(PulseAudioFixture pulse)
    {
        SystemPiece.RequireLibrary(NativeDependency.PortAudio);
        pulse.Require();
    }

    [Fact]
    public void Ten_thousand_stream_open_write_close_cycles_do_not_grow_memory_or_descriptors()
    {
        using var session = new PortAudioSession();
        var device = session.FindDevice("pulse", capture: false)!.Index;
        var options = new AudioStreamOptions(Device: device, FramesPerBuffer: 480);
        var block = new short[480];

        // Each cycle also takes and drops a Pa_Initialize reference (every stream holds one).
        var growth = ProcessMemory.MeasureGrowth(() =>
        {
            using var output = session.OpenOutput(options);
            output.Write(block);
        }, cycles: 10_000, warmup: 200);

        LeakLimits.AssertNoGrowth(growth);
    }

    [Fact]
    public void Sessions_opened_while_one_is_alive_share_its_initialisation_and_do_not_grow_memory()
    {
        // A full Pa_Initialize/Pa_Terminate leaks about 12 KB inside alsa-lib on Debian 12 (measured from C
        // with mallinfo2, no MeshConf code involved), so MeshConf initialises PortAudio once per process and
        // every later session or stream only takes a reference, which this checks costs nothing.
        using var keeper = new PortAudioSession();

        var growth = ProcessMemory.MeasureGrowth(() =>
        {
            using var session = new PortAudioSession();
            Assert.NotNull(session.DefaultOutput);
        }, cycles: 10_000, warmup: 200);

        LeakLimits.AssertNoGrowth(growth);
    }
}
