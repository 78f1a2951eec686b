using System.Diagnostics;
using System.Text.Json;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>`meshconf join --headless` as separate processes on 127.0.0.1: the mesh as users run it.</summary>
public sealed class JoinHeadlessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    private static string Transcript(IEnumerable<JsonLinesProcess> processes) =>
        string.Join("\n---\n", processes.Select(p => string.Join('\n', p.Lines.Where(l => l.GetProperty("event").GetString() != "stats").Select(l => l.GetRawText())) + "\nstderr: " + p.StandardError));

    [Fact]
    public async Task Given_five_processes_told_only_the_first_When_started_Then_a_full_mesh_forms_survives_a_kill_and_heals()
    {
        using var nodes = new HeadlessNodes();
        var config = nodes.NewConfigDir();
        var first = nodes.Start("five", "node0", config);
        var firstPort = await HeadlessNodes.PortAsync(first, Startup);
        var peer = new[] { "--peer", $"127.0.0.1:{firstPort}" };
        var all = new List<JsonLinesProcess> { first };
        for (var i = 1; i < 5; i++)
        {
            all.Add(nodes.Start("five", $"node{i}", config, peer));
        }

        var readies = new List<JsonElement>();
        foreach (var process in all)
        {
            readies.Add(await process.WaitForEventAsync("ready", Startup));
        }

        var ids = readies.Select(HeadlessNodes.Id).ToList();
        var formed = Stopwatch.StartNew();
        await Eventually.TrueAsync(
            () => all.Select((p, i) => HeadlessNodes.Members(p).SetEquals(ids.Where((_, j) => j != i))).All(x => x),
            TimeSpan.FromSeconds(3),
            () => "no full mesh within 3 s of the last ready:\n" + Transcript(all));
        TestContext.Current.TestOutputHelper?.WriteLine($"full mesh {formed.ElapsedMilliseconds} ms after the last ready");

        // SIGKILL node 3: no Bye, so the others must notice by timeout.
        var victim = all[3];
        victim.Signal(JsonLinesProcess.SigKill);
        var killedAt = Stopwatch.StartNew();
        var survivors = all.Where(p => p != victim).ToList();
        await Eventually.TrueAsync(
            () => survivors.All(p => !HeadlessNodes.Members(p).Contains(ids[3])),
            TimeSpan.FromSeconds(6),
            () => "the killed node was not reported left within 6 s:\n" + Transcript(survivors));
        TestContext.Current.TestOutputHelper?.WriteLine($"kill noticed by all after {killedAt.ElapsedMilliseconds} ms");
        foreach (var survivor in survivors)
        {
            var left = await survivor.WaitForEventAsync("peer_left", TimeSpan.Zero, l => l.GetProperty("id").GetString() == ids[3]);
            Assert.Equal("timeout", left.GetProperty("reason").GetString());
        }

        // Restarted (a new run, so a new id), it is told the first node again and rejoins everyone.
        var restarted = nodes.Start("five", "node3", config, peer);
        var newId = HeadlessNodes.Id(await restarted.WaitForEventAsync("ready", Startup));
        var rejoin = Stopwatch.StartNew();
        all[3] = restarted;
        ids[3] = newId;
        await Eventually.TrueAsync(
            () => all.Select((p, i) => HeadlessNodes.Members(p).SetEquals(ids.Where((_, j) => j != i))).All(x => x),
            TimeSpan.FromSeconds(3),
            () => "the restarted node did not rejoin within 3 s:\n" + Transcript(all));
        TestContext.Current.TestOutputHelper?.WriteLine($"rejoined {rejoin.ElapsedMilliseconds} ms after its ready");

        // SIGTERM: a graceful leave, reported as bye at once, and a clean exit.
        all[4].Signal(JsonLinesProcess.SigTerm);
        Assert.True(all[4].WaitForExit(TimeSpan.FromSeconds(10)), "SIGTERM did not end the process");
        Assert.Equal(0, all[4].ExitCode);
        foreach (var process in all.Take(4))
        {
            var left = await process.WaitForEventAsync("peer_left", TimeSpan.FromSeconds(2), l => l.GetProperty("id").GetString() == ids[4]);
            Assert.Equal("bye", left.GetProperty("reason").GetString());
        }

        // Stats name every member with link figures (a line printed from now on, not one from while the mesh formed).
        var since = first.Lines.Count;
        bool IsSettledStats(JsonElement l) => l.GetProperty("event").GetString() == "stats" && l.GetProperty("peers").GetArrayLength() == 3;
        await Eventually.TrueAsync(() => first.Lines.Skip(since).Any(IsSettledStats), TimeSpan.FromSeconds(3), () => "no stats line with 3 peers");
        var stats = first.Lines.Skip(since).First(IsSettledStats);
        foreach (var peerStats in stats.GetProperty("peers").EnumerateArray())
        {
            Assert.True(peerStats.GetProperty("rtt_ms").GetDouble() >= 0);
            Assert.True(peerStats.GetProperty("channels").GetProperty("control").GetProperty("packets_in").GetInt64() > 0);
            Assert.Equal(0, peerStats.GetProperty("dropped").GetProperty("bad_tag").GetInt64());
        }
    }

    [Fact]
    public async Task Given_a_node_of_another_session_When_it_dials_Then_both_sides_report_the_refusal()
    {
        using var nodes = new HeadlessNodes();
        var config = nodes.NewConfigDir();
        var a = nodes.Start("alpha", "a", config);
        var port = await HeadlessNodes.PortAsync(a, Startup);
        var b = nodes.Start("beta", "b", config, ["--peer", $"127.0.0.1:{port}"]);

        var atA = await a.WaitForEventAsync("refused", Startup);
        var atB = await b.WaitForEventAsync("refused", Startup);
        Assert.Contains("session", atA.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Contains("beta", atA.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Contains("session", atB.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Contains("alpha", atB.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Empty(HeadlessNodes.Members(a));
        Assert.Empty(HeadlessNodes.Members(b));
    }

    [Fact]
    public async Task Given_a_wrong_passphrase_When_it_dials_Then_both_sides_refuse_with_that_reason()
    {
        using var nodes = new HeadlessNodes();
        var config = nodes.NewConfigDir();
        var a = nodes.Start("s", "a", config, ["--passphrase", "right one"]);
        var port = await HeadlessNodes.PortAsync(a, Startup);
        var b = nodes.Start("s", "b", config, ["--peer", $"127.0.0.1:{port}"], new Dictionary<string, string> { ["MESHCONF_PASSPHRASE"] = "wrong one" });

        var atA = await a.WaitForEventAsync("refused", Startup);
        var atB = await b.WaitForEventAsync("refused", Startup);
        Assert.Contains("passphrase", atA.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Contains("passphrase", atB.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.DoesNotContain("right one", atB.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong one", atA.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(HeadlessNodes.Members(a));
    }

    [Fact]
    public async Task Given_a_known_name_with_a_new_key_When_it_joins_Then_it_is_refused_loudly_on_both_sides()
    {
        using var nodes = new HeadlessNodes();
        var bobConfig = nodes.NewConfigDir();
        var bob = nodes.Start("s", "bob", bobConfig);
        var port = await HeadlessNodes.PortAsync(bob, Startup);
        var peer = new[] { "--peer", $"127.0.0.1:{port}" };

        var alice = nodes.Start("s", "alice", nodes.NewConfigDir(), peer);
        await bob.WaitForEventAsync("peer_joined", Startup, l => l.GetProperty("name").GetString() == "alice");
        alice.Signal(JsonLinesProcess.SigTerm);
        await bob.WaitForEventAsync("peer_left", TimeSpan.FromSeconds(10));

        // Someone else calls themselves alice, with another key (another config dir).
        var impostor = nodes.Start("s", "alice", nodes.NewConfigDir(), peer);
        var atBob = await bob.WaitForEventAsync("refused", Startup);
        var atImpostor = await impostor.WaitForEventAsync("refused", Startup);
        Assert.Contains("KEY CHANGED", atBob.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Contains("alice", atBob.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Contains("different key", atImpostor.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Equal(1, bob.Lines.Count(l => l.GetProperty("event").GetString() == "peer_joined"));
    }

    [Fact]
    public async Task Given_an_unreachable_peer_When_joining_Then_it_is_retried_and_reported_without_ending_the_run()
    {
        using var nodes = new HeadlessNodes();
        using var placeholder = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        placeholder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var silentPort = ((System.Net.IPEndPoint)placeholder.LocalEndPoint!).Port;

        var a = nodes.Start("s", "a", nodes.NewConfigDir(), ["--peer", $"127.0.0.1:{silentPort}", "--duration", "30"]);
        var first = await a.WaitForEventAsync("unreachable", TimeSpan.FromSeconds(20));
        Assert.Equal(1, first.GetProperty("attempt").GetInt32());
        Assert.True(first.GetProperty("retry_in_ms").GetInt64() > 0);
        Assert.False(a.HasExited);
    }

    [Theory]
    [InlineData("--peer", "nonsense", "host:port")]
    [InlineData("--peer", "127.0.0.1:99999", "port")]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--bind", "::1", "IPv4")]
    [InlineData("--video", "webcam", "camera, camera:DEVICE, file:PATH, pattern or none")]
    [InlineData("--video", "file:", "needs a path")]
    [InlineData("--color", "sepia", "auto, truecolor, 256, 16 or mono")]
    public void Given_bad_options_When_joining_Then_one_line_and_usage_exit(string option, string value, string expected)
    {
        using var nodes = new HeadlessNodes();
        var result = MeshConfProcess.Run(["join", "s", "--headless", "--no-mdns", option, value], new Dictionary<string, string> { ["MESHCONF_CONFIG_DIR"] = nodes.NewConfigDir() });

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("meshconf: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_port_in_use_When_joining_Then_one_line_and_exit_1()
    {
        using var nodes = new HeadlessNodes();
        using var taken = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        taken.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)taken.LocalEndPoint!).Port;

        var result = MeshConfProcess.Run(["join", "s", "--headless", "--no-mdns", "--video", "none", "--audio", "none", "--audio-out", "none", "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["MESHCONF_CONFIG_DIR"] = nodes.NewConfigDir() });

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.Contains("created identity", StringComparison.Ordinal));
        Assert.StartsWith("meshconf: ", line, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.EndsWith("the port is in use, or the address is not this machine's (--port 0 picks a free port)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_headless_flag_When_joining_alone_for_a_second_Then_plain_lines_say_what_happened()
    {
        using var nodes = new HeadlessNodes();
        var result = MeshConfProcess.Run(["join", "quiet", "--name", "solo", "--no-mdns", "--video", "none", "--audio", "none", "--audio-out", "none", "--bind", "127.0.0.1", "--duration", "1.5"],
            new Dictionary<string, string> { ["MESHCONF_CONFIG_DIR"] = nodes.NewConfigDir() });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("joined session 'quiet' as 'solo' on UDP port", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("your fingerprint: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("waiting for peers", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("left the session (duration)", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("{", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_video_file_that_is_not_there_When_joining_Then_a_notice_and_the_call_goes_on_without_video()
    {
        using var nodes = new HeadlessNodes();
        var missing = Path.Combine(Path.GetTempPath(), "meshconf-no-such-clip-" + Guid.NewGuid().ToString("N") + ".mp4");
        var a = nodes.Start("notice", "a", nodes.NewConfigDir(), ["--video", "file:" + missing]);

        var notice = await a.WaitForEventAsync("notice", TimeSpan.FromSeconds(30));
        Assert.Equal($"file not found: {missing}; joining without video", notice.GetProperty("message").GetString());
        await a.WaitForEventAsync("ready", TimeSpan.FromSeconds(30));
        await a.WaitForEventAsync("stats", TimeSpan.FromSeconds(10));
        Assert.False(a.HasExited);
    }
}
