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
