using System.Text.Json;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>Starts `meshconf join --headless` processes on loopback and follows their JSON lines.</summary>
internal sealed class HeadlessNodes : IDisposable
{
    private readonly List<JsonLinesProcess> _processes = [];
    private readonly List<string> _directories = [];

    public string NewConfigDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "meshconf-test-" + Guid.NewGuid().ToString("N"));
        _directories.Add(dir);
        return dir;
    }

    public JsonLinesProcess Start(string session, string name, string configDir, IEnumerable<string>? extra = null, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["DOTNET_NOLOGO"] = "1",
            ["MESHCONF_CONFIG_DIR"] = configDir,
        };
        // Never a real camera, microphone or speaker in tests: none unless the test chooses a source.
        string[] video = extra?.Contains("--video") == true ? [] : ["--video", "none"];
        string[] audio = extra?.Contains("--audio") == true ? [] : ["--audio", "none"];
        string[] audioOut = extra?.Contains("--audio-out") == true ? [] : ["--audio-out", "none"];
        // Network safety: no mDNS on the machine's interfaces from a test (discovery is tested in namespaces).
        string[] arguments = [MeshConfProcess.DllPath, "join", session, "--name", name, "--headless", "--no-mdns", "--port", "0", "--bind", "127.0.0.1", .. video, .. audio, .. audioOut, .. extra ?? []];
        var process = JsonLinesProcess.Start("dotnet", arguments, env);
        _processes.Add(process);
        return process;
    }

    public static async Task<int> PortAsync(JsonLinesProcess process, TimeSpan timeout) =>
        (await process.WaitForEventAsync("ready", timeout)).GetProperty("port").GetInt32();

    public static string Id(JsonElement ready) => ready.GetProperty("id").GetString()!;

    /// <summary>
    /// One peer's entry in a stats line, or null when it is not there (or has no <paramref name="having"/> field
    /// yet: a peer's video or audio figures appear once its first frame or packet arrived).
    /// </summary>
    public static JsonElement? PeerOf(JsonElement stats, string id, string? having = null)
    {
        foreach (var p in stats.GetProperty("peers").EnumerateArray())
        {
            if (p.GetProperty("id").GetString() == id && (having is null || p.TryGetProperty(having, out _)))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>The ids a node currently counts as members, from its joined/left events.</summary>
    public static HashSet<string> Members(JsonLinesProcess process)
    {
        var members = new HashSet<string>();
        foreach (var line in process.Lines)
        {
            var name = line.GetProperty("event").GetString();
            if (name == "peer_joined")
            {
                members.Add(line.GetProperty("id").GetString()!);
            }
            else if (name == "peer_left")
            {
                members.Remove(line.GetProperty("id").GetString()!);
            }
        }

        return members;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        foreach (var dir in _directories)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
