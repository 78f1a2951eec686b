using System.Globalization;
using System.Text.Json;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>
/// Starts `meshconf join --headless` and `meshconf discover` inside the namespaces of a <see cref="VirtualLan"/>
/// (through <c>ip netns exec</c>), with mDNS on: unlike <see cref="HeadlessNodes"/>, no --no-mdns and no --bind, since
/// the only interfaces these processes see are the namespace's own. Each node gets a fresh config directory.
/// Disposing stops every process started here, each by its own pid, and deletes the directories.
/// </summary>
internal sealed class NamespaceNodes : IDisposable
{
    private readonly List<JsonLinesProcess> _processes = [];
    private readonly List<string> _directories = [];

    /// <summary>`meshconf join SESSION --name NAME --headless` in <paramref name="host"/>'s namespace, no media devices.</summary>
    public JsonLinesProcess Join(VirtualHost host, string session, string name)
    {
        ArgumentNullException.ThrowIfNull(host);
        string[] arguments = [MeshConfProcess.DllPath, "join", session, "--name", name, "--headless", "--video", "none", "--audio", "none", "--audio-out", "none"];
        return Started(host.Namespace.StartJsonLines("dotnet", arguments, Environment()));
    }

    /// <summary>`meshconf discover --watch --json` in <paramref name="host"/>'s namespace: one JSON line per change.</summary>
    public JsonLinesProcess Watch(VirtualHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Started(host.Namespace.StartJsonLines("dotnet", [MeshConfProcess.DllPath, "discover", "--watch", "--json"], Environment()));
    }

    /// <summary>
    /// `meshconf discover --json [--wait SECONDS]` in <paramref name="host"/>'s namespace, to completion: the nodes it
    /// listed. Without <paramref name="waitSeconds"/>, the command's own default wait.
    /// </summary>
    public IReadOnlyList<JsonElement> Discover(VirtualHost host, double? waitSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        string[] wait = waitSeconds is { } seconds ? ["--wait", seconds.ToString(CultureInfo.InvariantCulture)] : [];
        var result = host.Namespace.RunProgram("dotnet", [MeshConfProcess.DllPath, "discover", "--json", .. wait], Environment(), TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"meshconf discover in {host.Namespace}: exit {result.ExitCode}\n{result.StandardError}");
        return [.. result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.Clone();
            })];
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        foreach (var directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private JsonLinesProcess Started(JsonLinesProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private Dictionary<string, string> Environment()
    {
        var directory = Path.Combine(Path.GetTempPath(), "meshconf-test-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return new Dictionary<string, string>
        {
            ["DOTNET_NOLOGO"] = "1",
            ["MESHCONF_CONFIG_DIR"] = directory,
        };
    }
}
