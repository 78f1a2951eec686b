using System.Text.Json;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>`meshconf join` in a real terminal (tmux), tried as a new user would: watch, resize, quit.</summary>
public sealed class InteractiveCallTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 180_000)]
    public async Task Given_three_nodes_one_interactive_in_tmux_When_watched_resized_and_quit_Then_two_named_moving_tiles_relayout_and_the_prompt_is_clean()
    {
        using var nodes = new HeadlessNodes();
        string[] video = ["--video", "pattern", "--fps", "15", "--video-trace"];
        var alice = nodes.Start("tmux-call", "alice", nodes.NewConfigDir(), video);
        var port = await HeadlessNodes.PortAsync(alice, Startup);
        var bob = nodes.Start("tmux-call", "bob", nodes.NewConfigDir(), ["--peer", $"127.0.0.1:{port}", .. video]);
        await bob.WaitForEventAsync("ready", Startup);

        using var tmux = TmuxServer.Start(120, 40, new Dictionary<string, string>
        {
            ["MESHCONF_CONFIG_DIR"] = nodes.NewConfigDir(),
            ["DOTNET_NOLOGO"] = "1",
        });
        tmux.Type($"dotnet {MeshConfProcess.DllPath} join tmux-call --name carol --no-mdns --port 0 --bind 127.0.0.1 --peer 127.0.0.1:{port} --video pattern --color mono --audio none --audio-out none");

        // Two named tiles with pictures, and our own.
        string[] screen = [];
        await Eventually.TrueAsync(
            () =>
            {
                screen = tmux.Screen();
                var text = string.Join('\n', screen);
                return text.Contains("alice", StringComparison.Ordinal) && text.Contains("bob", StringComparison.Ordinal)
                    && text.Contains("carol (you)", StringComparison.Ordinal) && !text.Contains("connecting", StringComparison.Ordinal)
                    && PictureOf(screen, "alice").Any(line => line.Trim().Length > 0)
                    && PictureOf(screen, "bob").Any(line => line.Trim().Length > 0)
                    && PictureOf(screen, "carol (you)").Any(line => line.Trim().Length > 0);
            },
            Startup,
            () => "no call screen with two pictures:\n" + string.Join('\n', screen));
        Assert.Contains(screen, line => line.Contains("tmux-call | 2 peers | ?: keys  q: leave | you: carol", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', screen));

        // Moving: each picture changes from one look to the next, our own mirrored self-view too.
        foreach (var name in new[] { "alice", "bob", "carol (you)" })
        {
            var before = PictureOf(tmux.Screen(), name);
            await Eventually.TrueAsync(() => !PictureOf(tmux.Screen(), name).SequenceEqual(before), TimeSpan.FromSeconds(5), () => $"{name}'s picture did not move");
        }

        // Resize: a new layout within moments, and the senders are asked for the new size.
        var carolId = (await alice.WaitForEventAsync("peer_joined", Startup, l => l.GetProperty("name").GetString() == "carol")).GetProperty("id").GetString();
        var colsBefore = LastSentCols(alice, carolId!);
        tmux.Resize(80, 24);
        await Eventually.TrueAsync(
            () =>
            {
                screen = tmux.Screen();
                return screen.Length >= 24 && screen[23].Contains("q: leave", StringComparison.Ordinal)
                    && PictureOf(screen, "alice").Any(line => line.Trim().Length > 0);
            },
            TimeSpan.FromSeconds(5),
            () => "no relayout at 80x24:\n" + string.Join('\n', screen));
        Assert.All(screen, line => Assert.True(line.Length <= 80, line));
        await Eventually.TrueAsync(() => LastSentCols(alice, carolId!) < colsBefore, TimeSpan.FromSeconds(5),
            () => $"alice still sends carol {LastSentCols(alice, carolId!)} columns (was {colsBefore})");
        TestContext.Current.TestOutputHelper?.WriteLine($"alice -> carol: {colsBefore} columns, then {LastSentCols(alice, carolId!)}\n" + string.Join('\n', screen));

        // q leaves: the others see a bye, and the shell is back on the normal screen, in its normal mode.
        tmux.Type("q", enter: false);
        await alice.WaitForEventAsync("peer_left", TimeSpan.FromSeconds(10), l => l.GetProperty("name").GetString() == "carol" && l.GetProperty("reason").GetString() == "bye");
        await Eventually.TrueAsync(
            () => (screen = tmux.Screen()).Any(line => line.StartsWith("left session 'tmux-call' (quit)", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            () => "no goodbye line:\n" + string.Join('\n', screen));
        tmux.Type("stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(echo|icanon|opost)' | tr '\\n' ' '; echo MODES-$((6*7))");
        await Eventually.TrueAsync(
            () => (screen = tmux.Screen()).Any(line => line.EndsWith("MODES-42", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            () => "stty did not answer:\n" + string.Join('\n', screen));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', screen));
        var modes = screen.Last(line => line.EndsWith("MODES-42", StringComparison.Ordinal));
        Assert.Equal(["echo", "icanon", "opost"], modes.Replace("MODES-42", string.Empty, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());
        var typed = Array.FindIndex(screen, line => line.Contains("--color mono", StringComparison.Ordinal));
        var left = Array.FindIndex(screen, line => line.StartsWith("left session", StringComparison.Ordinal));
        Assert.True(typed >= 0 && left > typed, "the command line is not above the goodbye: the normal screen was not restored\n" + string.Join('\n', screen));
        Assert.DoesNotContain(screen, line => line.Contains('\u001b') || line.Contains("[?", StringComparison.Ordinal) || line.Contains('\u2580'));
    }

    [Fact(Timeout = 120_000)]
    public async Task Given_an_interactive_call_When_terminated_by_sigterm_Then_it_says_goodbye_and_the_terminal_is_given_back()
    {
        using var nodes = new HeadlessNodes();
        using var tmux = TmuxServer.Start(100, 30, new Dictionary<string, string>
        {
            ["MESHCONF_CONFIG_DIR"] = nodes.NewConfigDir(),
            ["DOTNET_NOLOGO"] = "1",
        });
        tmux.Type($"dotnet {MeshConfProcess.DllPath} join alone --name dave --no-mdns --port 0 --bind 127.0.0.1 --video none --audio none --audio-out none; echo EXIT-$?");
        string[] screen = [];
        await Eventually.TrueAsync(() => (screen = tmux.Screen()).Any(l => l.Contains("alone | 0 peers | ?: keys  q: leave | you: dave", StringComparison.Ordinal)), Startup,
            () => "no call screen:\n" + string.Join('\n', screen));
        Assert.Contains(screen, l => l.Contains("dave (you) - no video", StringComparison.Ordinal));

        var meshconf = ChildProcesses.Of(tmux.ShellPid()).Single();
        ExternalProgram.Run("kill", ["-TERM", meshconf.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        await Eventually.TrueAsync(() => (screen = tmux.Screen()).Any(l => l == "EXIT-0"), TimeSpan.FromSeconds(15),
            () => "meshconf did not end cleanly:\n" + string.Join('\n', screen));
        Assert.Contains(screen, l => l == "left session 'alone' (sigterm)");
        tmux.Type("stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(echo|icanon|opost)' | tr '\\n' ' '; echo MODES-$((6*7))");
        await Eventually.TrueAsync(() => (screen = tmux.Screen()).Any(line => line.EndsWith("MODES-42", StringComparison.Ordinal)), TimeSpan.FromSeconds(10),
            () => "stty did not answer:\n" + string.Join('\n', screen));
        var modes = screen.Last(line => line.EndsWith("MODES-42", StringComparison.Ordinal));
        Assert.Equal(["echo", "icanon", "opost"], modes.Replace("MODES-42", string.Empty, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    /// <summary>The rows under a tile's label, across the label's width plus a margin: part of that tile's picture.</summary>
    internal static string[] PictureOf(string[] screen, string name)
    {
        var row = Array.FindIndex(screen, line => line.Contains(name, StringComparison.Ordinal) && !line.Contains("q: leave", StringComparison.Ordinal));
        if (row < 0)
        {
            return [];
        }

        var col = screen[row].IndexOf(name, StringComparison.Ordinal);
        var from = Math.Max(0, col - 6);
        return [.. screen.Skip(row + 1).Take(6).Select(line => line.Length <= from ? string.Empty : line[from..Math.Min(line.Length, col + name.Length + 6)])];
    }

    private static int LastSentCols(JsonLinesProcess sender, string to)
    {
        var last = sender.Lines.LastOrDefault(l => l.GetProperty("event").GetString() == "video_sent" && l.GetProperty("to").GetString() == to);
        return last.ValueKind == JsonValueKind.Undefined ? 0 : last.GetProperty("cols").GetInt32();
    }
}
