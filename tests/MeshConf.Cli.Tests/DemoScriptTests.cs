using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>`scripts/demo.sh` in a terminal (tmux), run as a newcomer would, with its fixed duration.</summary>
public sealed class DemoScriptTests
{
    private static readonly string[] Tiles = ["alice", "bob", "carol (you)"];

    [Fact(Timeout = 240_000)]
    public async Task Given_the_demo_with_a_duration_When_run_in_a_terminal_Then_three_named_moving_tiles_show_and_it_ends_cleanly_leaving_nothing_running()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "demo.sh");
        using var tmux = TmuxServer.Start(120, 40, new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
        tmux.Type($"{script} --duration 25 --color mono; echo DEMO-EXIT-$?");

        // setup.sh and an incremental build first, then the call.
        string[] screen = [];
        await Eventually.TrueAsync(
            () =>
            {
                screen = tmux.Screen();
                return screen.Any(l => l.Contains("demo | 2 peers | ?: keys  q: leave", StringComparison.Ordinal))
                    && Tiles.All(name => InteractiveCallTests.PictureOf(screen, name).Any(line => line.Trim().Length > 0));
            },
            TimeSpan.FromSeconds(120),
            () => "no call screen with three pictures:\n" + string.Join('\n', screen));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', screen));
        var running = ChildProcesses.Of(tmux.ShellPid());
        Assert.NotEmpty(running);

        foreach (var name in Tiles)
        {
            var before = InteractiveCallTests.PictureOf(tmux.Screen(), name);
            await Eventually.TrueAsync(() => !InteractiveCallTests.PictureOf(tmux.Screen(), name).SequenceEqual(before), TimeSpan.FromSeconds(5), () => $"{name}'s picture did not move");
        }

        await Eventually.TrueAsync(() => (screen = tmux.Screen()).Any(l => l == "DEMO-EXIT-0"), TimeSpan.FromSeconds(60),
            () => "the demo did not end cleanly:\n" + string.Join('\n', screen));
        Assert.Contains(screen, l => l == "demo: call over");
        Assert.Empty(ChildProcesses.Of(tmux.ShellPid()));
    }

    [Fact(Timeout = 240_000)]
    public async Task Given_the_demo_When_m_and_then_q_are_pressed_Then_the_others_see_carol_muted_and_the_prompt_comes_back_clean()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "demo.sh");
        var logs = Directory.CreateTempSubdirectory("meshconf-demo-logs-");
        try
        {
            using var tmux = TmuxServer.Start(120, 40, new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
            tmux.Type($"{script} --duration 120 --color 256 --logs {logs.FullName}; echo DEMO-EXIT-$?");
            string[] screen = [];
            await Eventually.TrueAsync(
                () => (screen = tmux.Screen()).Any(l => l.Contains("demo | 2 peers | ?: keys  q: leave", StringComparison.Ordinal))
                    && Tiles.All(name => InteractiveCallTests.PictureOf(screen, name).Any(line => line.Trim().Length > 0)),
                TimeSpan.FromSeconds(120),
                () => "no call screen with three pictures:\n" + string.Join('\n', screen));

            tmux.Press("m");
            await Eventually.TrueAsync(() => (screen = tmux.Screen()).Any(l => l.Contains("you: carol", StringComparison.Ordinal) && l.Contains("(muted)", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), () => "carol's status line does not say muted:\n" + string.Join('\n', screen));
            foreach (var other in new[] { "alice", "bob" })
            {
                // The others are headless here: their JSON lines say what their tiles would (carol muted).
                var log = Path.Combine(logs.FullName, other + ".log");
                await Eventually.TrueAsync(() => CarolMutedAt(log), TimeSpan.FromSeconds(10), () => $"{other} never saw carol muted");
            }

            tmux.Press("q");
            await Eventually.TrueAsync(() => (screen = tmux.Screen()).Any(l => l == "DEMO-EXIT-0"), TimeSpan.FromSeconds(30),
                () => "the demo did not end cleanly:\n" + string.Join('\n', screen));
            Assert.Contains(screen, l => l == "left session 'demo' (quit)");
            Assert.Equal("0", tmux.Format("#{alternate_on}"));
            Assert.Equal("1", tmux.Format("#{cursor_flag}"));
            tmux.Type("stty -a | tr ' ' '\\n' | grep -xE -- '-?(echo|icanon)' | tr '\\n' ' '; echo STTY-DONE");
            await Eventually.TrueAsync(() => (screen = tmux.Screen()).Any(l => l.EndsWith("STTY-DONE", StringComparison.Ordinal) && !l.StartsWith("prompt$", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), () => string.Join('\n', screen));
            Assert.Contains(screen, l => l.StartsWith("icanon echo STTY-DONE", StringComparison.Ordinal));
            Assert.Empty(ChildProcesses.Of(tmux.ShellPid()));
        }
        finally
        {
            logs.Delete(recursive: true);
        }
    }

    private static bool CarolMutedAt(string log)
    {
        if (!File.Exists(log))
        {
            return false;
        }

        string[] lines;
        using (var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            lines = reader.ReadToEnd().Split('\n');
        }

        // The last line may still be being written: only whole stats lines count.
        return lines.Where(l => l.StartsWith("{\"event\":\"stats\"", StringComparison.Ordinal) && l.EndsWith('}')).Select(l =>
        {
            using var stats = System.Text.Json.JsonDocument.Parse(l);
            return stats.RootElement.GetProperty("peers").EnumerateArray()
                .Any(p => p.GetProperty("name").GetString() == "carol" && p.TryGetProperty("muted", out var muted) && muted.GetBoolean());
        }).LastOrDefault();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MeshConf.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no MeshConf.sln above {AppContext.BaseDirectory}");
    }
}
