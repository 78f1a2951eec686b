using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using MeshConf.Core.Chat;
using MeshConf.Core.Text;
using MeshConf.Node.Chat;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;
using MeshConf.Node.Security;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>
/// Two people in tmux and a hostile peer: keys on one screen show on the other, chat goes both ways, and what the
/// hostile peer chose (its name, its chat) cannot reach anyone's terminal as escape sequences. The call is recorded
/// and the recording replays.
/// </summary>
public sealed partial class CallKeysTests
{
    // Control characters in a name fail the handshake (see the test below); these get through the wire and are
    // what the screen must defuse: a bidi override, a zero-width space, a wide char and a combining mark.
    private const string HostileName = "mal\u202Elory\u200B\u65E5e\u0301";
    private const string HostileChat = "\u001b]2;pwned\u0007\u001b[2J\u001b[31mred\u009b1;1Hx\u202Eevil\u001bP+q\u001b\\";
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 240_000)]
    public async Task Given_two_people_in_tmux_and_a_hostile_peer_When_keys_are_pressed_Then_mute_chat_stats_and_help_show_and_hostile_text_stays_inert()
    {
        using var mallory = new HostileNode(HostileName);
        var shownName = SafeText.Sanitize(HostileName, 64);
        Assert.StartsWith("mal?lory?", shownName, StringComparison.Ordinal);
        using var nodes = new HeadlessNodes();
        var recording = Path.Combine(nodes.NewConfigDir() + "-cast", "call.cast");
        Directory.CreateDirectory(Path.GetDirectoryName(recording)!);
        try
        {
            using var bob = StartPerson(nodes, "bob", mallory.Port, string.Empty);
            using var carol = StartPerson(nodes, "carol", mallory.Port, $"--record {recording}");
            var bobTitle = bob.Title();

            // Both see three tiles; the hostile peer's name is drawn, made inert.
            await ScreenShowsAsync(bob, "carol", shownName, "bob (you)", "2 peers");
            await ScreenShowsAsync(carol, "bob", shownName, "carol (you)", "2 peers", "| REC");

            // Its chat full of escape sequences: shown as text; no title change, no cleared screen.
            mallory.Say(HostileChat);
            var bobScreen = await ScreenShowsAsync(bob, "?]2;pwned??[2J?[31mred?1;1Hx?evil?P+q?\\", "carol", "bob (you)");
            Assert.Equal(bobTitle, bob.Title());
            Assert.DoesNotContain(bobScreen, line => line.Contains("pwned", StringComparison.Ordinal) && !line.Contains("?]2;pwned", StringComparison.Ordinal));

            // m on carol's screen: "muted" on her tile at bob's.
            carol.Press("m");
            await ScreenShowsAsync(bob, "carol [muted]");
            await ScreenShowsAsync(carol, "(muted)");

            // Enter, a line, Enter: bob and mallory get it.
            carol.Press("Enter");
            carol.Type("hello from carol", enter: false);
            await ScreenShowsAsync(carol, "> hello from carol");
            carol.Press("Enter");
            await ScreenShowsAsync(bob, "carol: hello from carol");
            await Eventually.TrueAsync(() => mallory.Heard.Contains("hello from carol"), TimeSpan.FromSeconds(10), () => "mallory heard: " + string.Join(" | ", mallory.Heard));

            // s: the statistics of both peers; ? over it: the keys.
            carol.Press("s");
            // The box may be caught half drawn: wait for the rows, not just the header.
            var stats = await ScreenShowsAsync(carol, "rtt ms", "loss %", "fingerprint", mallory.Fingerprint);
            await Eventually.TrueAsync(
                () => (stats = carol.Screen()).Any(line => line.Contains(" bob ", StringComparison.Ordinal) && FingerprintPattern().IsMatch(line)),
                Startup, () => "no stats row for bob:\n" + string.Join('\n', stats));
            carol.Press("?");
            await ScreenShowsAsync(carol, "mute / unmute", "camera on / off", "cycle colour mode", "grid or speaker layout");
            carol.Press("Escape");

            // v: the camera off, and bob sees no video from carol.
            carol.Press("v");
            await ScreenShowsAsync(bob, "carol [muted] - no video");

            // q: gone, with a clean prompt and the recording written.
            carol.Press("q");
            var after = await ScreenShowsAsync(carol, "left session 'keys' (quit)", $"recorded to {recording}");
            TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', after));
            bob.Press("q");
            await ScreenShowsAsync(bob, "left session 'keys' (quit)");

            CheckRecording(recording);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(recording)!, recursive: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_peer_named_with_escape_sequences_When_it_joins_Then_its_handshake_is_refused_as_malformed_and_its_name_never_shown()
    {
        using var mallory = new HostileNode("\u001b[2Jmal\u0007lory\u009b31m");
        using var nodes = new HeadlessNodes();
        var bob = nodes.Start("keys", "bob", nodes.NewConfigDir(), ["--peer", $"127.0.0.1:{mallory.Port}"]);

        var refused = await bob.WaitForEventAsync("refused", Startup);

        Assert.Equal("Malformed", refused.GetProperty("code").GetString());
        Assert.DoesNotContain(bob.Lines, line => line.GetProperty("event").GetString() == "peer_joined");
    }

    /// <summary>The .cast file: a header, then JSON event lines in time order; asciinema replays it.</summary>
    private static void CheckRecording(string path)
    {
        var lines = File.ReadAllLines(path);
        using var header = JsonDocument.Parse(lines[0]);
        Assert.Equal(2, header.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(120, header.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(36, header.RootElement.GetProperty("height").GetInt32());
        var shown = new StringBuilder();
        var last = 0.0;
        foreach (var line in lines.Skip(1))
        {
            using var e = JsonDocument.Parse(line);
            var time = e.RootElement[0].GetDouble();
            Assert.True(time >= last, $"time went back: {line}");
            last = time;
            if (e.RootElement[1].GetString() == "o")
            {
                shown.Append(e.RootElement[2].GetString());
            }
        }

        Assert.True(lines.Length > 20, $"only {lines.Length} lines recorded");
        var text = shown.ToString();
        Assert.Contains("carol (you)", text, StringComparison.Ordinal);
        Assert.Contains("hello from carol", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b]2;", text, StringComparison.Ordinal);

        var asciinema = SystemPiece.RequireProgram("asciinema", "asciinema");
        var script = SystemPiece.RequireProgram("script", "bsdutils");
        var home = Path.Combine(Path.GetDirectoryName(path)!, "home");
        Directory.CreateDirectory(home);
        var replay = ExternalProgram.Run(script, ["-q", "-e", "-c", $"'{asciinema}' cat '{path}'", "/dev/null"],
            new Dictionary<string, string> { ["HOME"] = home, ["XDG_CONFIG_HOME"] = home, ["XDG_STATE_HOME"] = home, ["LC_ALL"] = "C.UTF-8" },
            TimeSpan.FromSeconds(60));
        Assert.True(replay.ExitCode == 0, $"asciinema cat failed: {replay.StandardError}");
        Assert.Contains("hello from carol", replay.StandardOutput, StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}")]
    private static partial System.Text.RegularExpressions.Regex FingerprintPattern();

    private static TmuxServer StartPerson(HeadlessNodes nodes, string name, int port, string extra)
    {
        var tmux = TmuxServer.Start(120, 36, new Dictionary<string, string>
        {
            ["MESHCONF_CONFIG_DIR"] = nodes.NewConfigDir(),
            ["DOTNET_NOLOGO"] = "1",
            ["TERM"] = "xterm-256color",
        });
        tmux.Type($"dotnet {MeshConfProcess.DllPath} join keys --name {name} --no-mdns --port 0 --bind 127.0.0.1 --peer 127.0.0.1:{port} --video pattern --color 256 --audio tone:440 --audio-out none {extra}");
        return tmux;
    }

    private static async Task<string[]> ScreenShowsAsync(TmuxServer tmux, params string[] texts)
    {
        string[] screen = [];
        await Eventually.TrueAsync(
            () =>
            {
                screen = tmux.Screen();
                var all = string.Join('\n', screen);
                return texts.All(t => all.Contains(t, StringComparison.Ordinal));
            },
            Startup,
            () => $"the screen does not show '{string.Join("', '", texts)}':\n" + string.Join('\n', screen));
        return screen;
    }

    /// <summary>
    /// A member built in-process, as a modified client would be: a name no `meshconf` accepts, and chat it sends
    /// raw. Everything else about it is a proper member (real handshake, sealed packets).
    /// </summary>
    private sealed class HostileNode : IDisposable
    {
        private readonly EnetTransport _transport;
        private readonly MeshNode _node;
        private readonly ChatRoom _chat;
        private readonly IdentityKey _identity = IdentityKey.Generate();
        private readonly Task _events;

        public HostileNode(string name)
        {
            _transport = EnetTransport.Start(new EnetTransportOptions { BindAddress = IPAddress.Loopback, PeerTimeout = TimeSpan.FromSeconds(5) });
            _node = new MeshNode(_transport, new MeshNodeOptions
            {
                Session = "keys",
                Name = name,
                Identity = _identity,
                KnownPeers = KnownPeers.InMemory(),
                Peers = [],
            });
            _chat = new ChatRoom(_node, TimeProvider.System);
            _chat.Received = (_, line) => Heard.Add(line.Text);
            _node.MessageReceived = (peer, channel, type, payload) =>
            {
                if (type == ChatMessageType.Line)
                {
                    _chat.OnMessage(peer, channel, payload);
                }
            };
            _node.Start();
            _events = Task.Run(async () =>
            {
                await foreach (var _ in _node.Events.ReadAllAsync())
                {
                }
            });
        }

        public int Port => _transport.LocalEndPoint.Port;

        public string Fingerprint => _node.Fingerprint.Short;

        public ConcurrentBag<string> Heard { get; } = [];

        public void Say(string text) => Assert.NotNull(_chat.Send(text));

        public void Dispose()
        {
            _node.Leave();
            _node.Dispose();
            _transport.Dispose();
            _events.Wait(TimeSpan.FromSeconds(2));
            _identity.Dispose();
        }
    }
}
