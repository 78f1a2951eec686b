using MeshConf.Interop.Native;

namespace MeshConf.TestSupport;

/// <summary>
/// A private PulseAudio daemon with two null sinks, "spk" and "mic", so tests get real audio devices on a
/// machine with no sound card (TESTBED: PulseAudio null sinks). Playback goes to spk; the default source is
/// spk.monitor, so whatever is played can be captured again. Start it before PortAudio initialises in the
/// process: the server address is put into the native environment that libpulse reads.
/// </summary>
public sealed class PulseAudioServer : IDisposable
{
    private readonly string _runtimeDir;
    private readonly string _pactl;
    private int _pid;

    private PulseAudioServer(string runtimeDir, string pactl)
    {
        _runtimeDir = runtimeDir;
        _pactl = pactl;
    }

    /// <summary>The environment a child process needs to use this server.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["XDG_RUNTIME_DIR"] = _runtimeDir,
        ["XDG_CONFIG_HOME"] = Path.Combine(_runtimeDir, "config"),
        ["PULSE_SERVER"] = "unix:" + Path.Combine(_runtimeDir, "pulse", "native"),
    };

    /// <summary>
    /// Starts the daemon, or returns null with <paramref name="problem"/> set when pulseaudio or pactl is
    /// missing or does not come up.
    /// </summary>
    public static PulseAudioServer? TryStart(out string problem)
    {
        var pulseaudio = SystemPiece.FindProgram("pulseaudio");
        var pactl = SystemPiece.FindProgram("pactl");
        if (pulseaudio is null || pactl is null)
        {
            problem = "PulseAudio (pulseaudio, pulseaudio-utils, libasound2-plugins)";
            return null;
        }

        var dir = Directory.CreateTempSubdirectory("meshconf-pulse-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "config"));
        var server = new PulseAudioServer(dir, pactl);
        var env = new Dictionary<string, string>(server.Environment);
        env.Remove("PULSE_SERVER");
        var start = ExternalProgram.Run(pulseaudio,
        [
            "--daemonize=yes", "--exit-idle-time=-1", "-n", "--use-pid-file=yes", "--disallow-exit",
            $"--log-target=file:{Path.Combine(dir, "pulse.log")}",
            "--load=module-native-protocol-unix",
            "--load=module-null-sink sink_name=spk rate=48000 channels=1",
            "--load=module-null-sink sink_name=mic rate=48000 channels=1",
        ], env);
        var pidFile = Path.Combine(dir, "pulse", "pid");
        if (start.ExitCode != 0 || !File.Exists(pidFile))
        {
            problem = $"a working PulseAudio daemon (exit {start.ExitCode}: {start.StandardError.Trim()})";
            server.Dispose();
            return null;
        }

        server._pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var clientEnv = new Dictionary<string, string>(server.Environment);
        var sink = ExternalProgram.Run(pactl, ["set-default-sink", "spk"], clientEnv);
        var source = ExternalProgram.Run(pactl, ["set-default-source", "spk.monitor"], clientEnv);
        if (sink.ExitCode != 0 || source.ExitCode != 0)
        {
            problem = $"PulseAudio to accept pactl ({sink.StandardError.Trim()} {source.StandardError.Trim()})";
            server.Dispose();
            return null;
        }

        problem = string.Empty;
        return server;
    }

    /// <summary>Runs pactl against this server and returns what it printed; throws with its stderr when it fails.</summary>
    public string Pactl(params string[] arguments)
    {
        var result = ExternalProgram.Run(_pactl, arguments, new Dictionary<string, string>(Environment), TimeSpan.FromSeconds(20));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pactl {string.Join(' ', arguments)}: exit {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// Loads a mono 48 kHz null sink named <paramref name="name"/>: what is played to it can be captured from
    /// its monitor source, <c>NAME.monitor</c>. Returns the module's index.
    /// </summary>
    public int LoadNullSink(string name) =>
        int.Parse(Pactl("load-module", "module-null-sink", $"sink_name={name}", "rate=48000", "channels=1").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Unloads the null sink <paramref name="name"/> (and so its monitor source): its streams die.</summary>
    public void UnloadNullSink(string name)
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

    /// <summary>Makes this server the one native code in THIS process talks to.</summary>
    public void UseInThisProcess()
    {
        foreach (var (key, value) in Environment)
        {
            NativeEnvironment.Set(key, value);
        }
    }

    public void Dispose()
    {
        if (_pid > 0)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(_pid);
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }

            _pid = 0;
        }

        try
        {
            Directory.Delete(_runtimeDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
