using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>`meshconf join --render` in a real terminal (tmux): the peer's picture and the self-view in sextants.</summary>
public sealed class RenderCallTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 120_000)]
    public async Task Given_a_sextant_terminal_When_joining_with_render_sextant_Then_the_peer_and_the_self_view_are_drawn_in_sextants()
    {
        using var nodes = new HeadlessNodes();
        var alice = nodes.Start("render-call", "alice", nodes.NewConfigDir(), ["--video", "pattern", "--fps", "15"]);
        var port = await HeadlessNodes.PortAsync(alice, Startup);

        using var tmux = TmuxServer.Start(120, 40, new Dictionary<string, string>
        {
            ["MESHCONF_CONFIG_DIR"] = nodes.NewConfigDir(),
            ["DOTNET_NOLOGO"] = "1",
            ["LANG"] = "C.UTF-8",
            ["LC_ALL"] = string.Empty,
            ["TERM"] = "xterm-kitty",
            ["COLORTERM"] = "truecolor",
        });
        tmux.Type($"dotnet {MeshConfProcess.DllPath} join render-call --name carol --no-mdns --port 0 --bind 127.0.0.1 --peer 127.0.0.1:{port} --video pattern --render sextant --audio none --audio-out none");

        string[] screen = [];
        await Eventually.TrueAsync(
            () =>
            {
                screen = tmux.Screen();
                // At 120 x 40 alice's tile takes the screen and our own view is an inset in a bottom corner, its
                // label above it: sextants under alice's label, and under ours within the inset's columns.
                var peer = Array.FindIndex(screen, line => line.Contains("alice", StringComparison.Ordinal));
                var self = Array.FindIndex(screen, line => line.Contains("carol (you)", StringComparison.Ordinal));
                if (peer < 0 || self < 0)
                {
                    return false;
                }

                var inset = screen[self].IndexOf("carol (you)", StringComparison.Ordinal);
                var (from, to) = inset < 60 ? (0, 40) : (80, 120);
                return Sextants(screen[..self], peer, 0, 120) > 100 && Sextants(screen, self, from, to) > 50;
            },
            Startup,
            () => "no sextant pictures:\n" + string.Join('\n', screen));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', screen));

        tmux.Type("q", enter: false);
        await Eventually.TrueAsync(() => tmux.Screen().Any(line => line.StartsWith("prompt$", StringComparison.Ordinal) && line.Length < 12 && !line.Contains("dotnet", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), () => "no prompt after q:\n" + string.Join('\n', tmux.Screen()));
    }

    // Characters of the sextant range U+1FB00..U+1FB3B below the label row, in screen columns from .. to - 1 (as
    // runes: a sextant is one column wide).
    private static int Sextants(string[] screen, int labels, int from, int to) =>
        screen.Skip(labels + 1).Sum(line => line.EnumerateRunes().Where((_, column) => column >= from && column < to).Count(rune => rune.Value is >= 0x1FB00 and <= 0x1FB3B));
}
