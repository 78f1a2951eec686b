using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.PortAudio;

/// <summary>
/// One private PulseAudio daemon for every test that touches PortAudio in this process. It must be up, and
/// its address in the native environment, before PortAudio first initialises.
/// </summary>
public sealed class PulseAudioFixture : IDisposable
{
    public PulseAudioFixture()
    {
        Server = PulseAudioServer.TryStart(out var problem);
        Problem = problem;
        Server?.UseInThisProcess();
    }

    public PulseAudioServer? Server { get; }

    public string Problem { get; }

    /// <summary>Skips (fails under CI) when the daemon could not be started.</summary>
    public void Require() => SystemPiece.Require(Server is not null, Problem);

    public void Dispose() => Server?.Dispose();
}

// Run alone: the leak tests in it read process-wide memory and descriptor counts.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PortAudioCollection : ICollectionFixture<PulseAudioFixture>
{
    public const string Name = "PortAudio through a private PulseAudio";
}
