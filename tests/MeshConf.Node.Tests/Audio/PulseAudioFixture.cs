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
    public string Pactl(params string[] arguments)
    {
        var pactl = SystemPiece.RequireProgram("pactl", "pulseaudio-utils");
        var result = ExternalProgram.Run(pactl, arguments, new Dictionary<string, string>(Server!.Environment), TimeSpan.FromSeconds(20));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pactl {string.Join(' ', arguments)}: exit {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    /// <summary>Unloads the null sink <paramref name="name"/> (and so its monitor source): its streams die.</summary>
    public void UnloadSink(string name)
    {
        foreach (var line in Pactl("list", "short", "modules").Split('\n'))
        {
            var fields = line.Split('\t');
            if (fields.Length >= 3 && fields[1] == "module-null-sink" && fields[2].Contains($"sink_name={name}", StringComparison.Ordinal))
            {
                Pactl("unload-module", fields[0]);
                return;
            }
        }

        throw new InvalidOperationException($"no null sink named {name}");
    }

    /// <summary>Loads the null sink <paramref name="name"/> again; spk becomes the default sink and its monitor the default source.</summary>
    public void LoadSink(string name)
    {
        Pactl("load-module", "module-null-sink", $"sink_name={name}", "rate=48000", "channels=1");
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
