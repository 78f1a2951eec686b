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
    private int _pid;

    private PulseAudioServer(string runtimeDir) => _runtimeDir = runtimeDir;

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
        var server = new PulseAudioServer(dir);
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
