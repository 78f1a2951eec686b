using System.Globalization;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Audio;

/// <summary>
/// One private PulseAudio daemon (null sinks spk and mic) for every test in this process that touches
/// PortAudio. It is up, and its address in the native environment, before PortAudio first initialises.
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

    /// <summary>Runs pactl against this server; throws with its stderr when it fails.</summary>
    public string Pactl(params string[] arguments) => Server!.Pactl(arguments);

    /// <summary>Unloads the null sink <paramref name="name"/> (and so its monitor source): its streams die.</summary>
    public void UnloadSink(string name) => Server!.UnloadNullSink(name);

    /// <summary>Loads the null sink <paramref name="name"/> again; spk becomes the default sink and its monitor the default source.</summary>
    public void LoadSink(string name)
    {
        Server!.LoadNullSink(name);
        if (name == "spk")
        {
            Pactl("set-default-sink", "spk");
            Pactl("set-default-source", "spk.monitor");
        }
    }

    public void Dispose() => Server?.Dispose();

    /// <summary>The pulse device's index as a string, for --mic/--speaker.</summary>
    public static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);
}

// Run alone: the daemon's sinks are unloaded and loaded again by some of these tests.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AudioDeviceCollection : ICollectionFixture<PulseAudioFixture>
{
    public const string Name = "Audio devices through a private PulseAudio";
}
