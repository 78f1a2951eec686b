using System.Diagnostics;
using System.Text.Json;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>
/// LAN discovery as users meet it: `meshconf join` and `meshconf discover` processes in the namespaces of a virtual
/// LAN, with avahi as the peer no one here wrote. mDNS runs only inside the namespaces these tests create.
/// </summary>
[Collection(DiscoveryNamespaceCollection.Name)]
public sealed class DiscoveryNamespaceTests
{
    private const string ServiceType = "_meshconf._udp";
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly DnsName ServiceEnumeration = DnsName.Parse("_services._dns-sd._udp.local");

    [Fact(Timeout = 60_000)]
    public async Task Given_a_node_and_avahi_on_one_lan_When_both_publish_Then_avahi_resolves_ours_and_our_browser_and_discover_find_avahis()
    {
        var cancellation = TestContext.Current.CancellationToken;
        AvahiDaemon.RequirePieces();
        using var lan = VirtualLan.Create(4);
        var (nodeHost, avahiHost, otherHost) = (lan.Hosts[0], lan.Hosts[1], lan.Hosts[2]);
        using var listener = MdnsListener.Open(lan.Hosts[3]);
        using var nodes = new NamespaceNodes();
        var node = nodes.Join(nodeHost, "interop", "Ada Lovelace");
        using var avahi = await AvahiDaemon.StartAsync(avahiHost, "mc-avahi", cancellationToken: cancellation);
        var ready = await node.WaitForEventAsync("ready", Startup);
        var (id, port, fp) = (Text(ready, "id"), ready.GetProperty("port").GetInt32(), Text(ready, "fingerprint_short"));
        var instance = $"Ada Lovelace ({id[..4]})";

        // avahi resolves ours: instance, host, address, port and TXT, streaming (-rp) and in one pass (-rpt).
        var streamed = await avahi.WaitForServiceAsync(ServiceType, s => s.Name == instance, Patience, cancellation);
        var pass = avahi.Browse(ServiceType);
        foreach (var service in new[] { streamed, Assert.Single(pass) })
        {
            Assert.Equal(instance, service.Name);
            Assert.Equal((VirtualLan.LanInterfaceName, "IPv4", "local"), (service.Interface, service.Protocol, service.Domain));
            Assert.Equal($"ada-lovelace-{id[..4]}.local", service.Host);
            Assert.Equal(nodeHost.Address, service.Address);
            Assert.Equal(port, service.Port);
            Assert.Equal(
                [$"fp={fp}", $"id={id}", "s=interop", $"v={Mdns.ProtocolVersion}"],
                service.Txt.Order(StringComparer.Ordinal));
        }

        // avahi-publish: our node's browser reports it (another session, so it is not dialled) ...
        const string AvahiInstance = "Avahi Box";
        string[] txt = [$"v={Mdns.ProtocolVersion}", "s=elsewhere", "id=00000000000000ab", "fp=avahi-fp"];
        using var publication = await avahi.PublishAsync(AvahiInstance, ServiceType, 7001, txt, cancellationToken: cancellation);
        var found = await node.WaitForEventAsync("discovered", Patience, l => Text(l, "instance") == AvahiInstance);
        Assert.Equal(
            ("found", "elsewhere", "00000000000000ab", "avahi-fp", $"{avahiHost.Address}:7001", VirtualLan.LanInterfaceName),
            (Text(found, "change"), Text(found, "session"), Text(found, "id"), Text(found, "fp"), Text(found, "address"), Text(found, "interface")));

        // ... and so does `meshconf discover` from a third namespace, beside our node.
        var discoverFromMs = listener.NowMs;
        var listed = nodes.Discover(otherHost);
        Assert.True(listed.Any(row => Text(row, "name") == AvahiInstance), $"discover (from +{discoverFromMs} ms) listed {string.Join('\n', listed.Select(r => r.GetRawText()))}\n{listener.Transcript}");
        var avahiRow = Assert.Single(listed, row => Text(row, "name") == AvahiInstance);
        Assert.Equal(
            ("found", "elsewhere", "00000000000000ab", "avahi-fp", $"{avahiHost.Address}:7001", $"{avahi.HostName}.local", VirtualLan.LanInterfaceName),
            (Text(avahiRow, "change"), Text(avahiRow, "session"), Text(avahiRow, "id"), Text(avahiRow, "fp"), Text(avahiRow, "address"), Text(avahiRow, "host"), Text(avahiRow, "interface")));
        var ourRow = Assert.Single(listed, row => Text(row, "name") == instance);
        Assert.Equal(
            ("interop", id, fp, $"{nodeHost.Address}:{port}"),
            (Text(ourRow, "session"), Text(ourRow, "id"), Text(ourRow, "fp"), Text(ourRow, "address")));
        Assert.Equal(2, listed.Count);
        Assert.DoesNotContain(node.Lines, l => Event(l) is "peer_joined" or "refused");
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_our_node_announced_When_avahi_publishes_its_instance_name_Then_ours_defends_it_and_avahi_renames()
    {
        var cancellation = TestContext.Current.CancellationToken;
        AvahiDaemon.RequirePieces();
        using var lan = VirtualLan.Create(2);
        using var nodes = new NamespaceNodes();
        var node = nodes.Join(lan.Hosts[0], "conflict", "Grace");
        using var avahi = await AvahiDaemon.StartAsync(lan.Hosts[1], "mc-avahi", cancellationToken: cancellation);
        var id = Text(await node.WaitForEventAsync("ready", Startup), "id");
        var instance = $"Grace ({id[..4]})";
        await avahi.WaitForServiceAsync(ServiceType, s => s.Name == instance, Patience, cancellation);

        // avahi probes for a name ours owns: ours answers the probe (RFC 6762 §8.1), avahi picks "NAME #2".
        using var publication = await avahi.PublishAsync(instance, ServiceType, 7001, ["v=1", "s=squatter"], cancellationToken: cancellation);

        Assert.Equal($"{instance} #2", publication.Name);
        Assert.Contains("collision", publication.Transcript, StringComparison.OrdinalIgnoreCase);
        var ours = await avahi.WaitForServiceAsync(ServiceType, s => s.Name == instance, Patience, cancellation);
        Assert.Contains($"id={id}", ours.Txt);
        Assert.Equal(lan.Hosts[0].Address, ours.Address);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_avahi_announced_our_instance_name_while_cut_off_When_the_lan_heals_Then_ours_renames_and_avahi_keeps_it()
    {
        var cancellation = TestContext.Current.CancellationToken;
        AvahiDaemon.RequirePieces();
        using var lan = VirtualLan.Create(3);
        var (nodeHost, avahiHost) = (lan.Hosts[0], lan.Hosts[1]);
        using var listener = MdnsListener.Open(lan.Hosts[2]);
        using var nodes = new NamespaceNodes();
        var node = nodes.Join(nodeHost, "conflict", "Grace");
        using var avahi = await AvahiDaemon.StartAsync(avahiHost, "mc-avahi", cancellationToken: cancellation);
        var id = Text(await node.WaitForEventAsync("ready", Startup), "id");
        var instance = $"Grace ({id[..4]})";
        var renamed = MdnsNames.InstanceLabel(instance, 2);

        // Ours is quiet only after its last announcement (§8.3): were one still to come after the LAN heals, avahi would
        // hear it first, and avahi would be the one to rename.
        await listener.WaitUntilAsync(
            heard => heard.Count(m => IsAnnouncement(m, nodeHost, instance)) >= MdnsTiming.AnnounceCount,
            Patience,
            $"{MdnsTiming.AnnounceCount} announcements of '{instance}'");

        // Cut avahi's port off the bridge: its probes meet no one, so it establishes the name ours already holds.
        SetBridgePort(lan, port: 2, connected: false);
        AvahiPublication publication;
        try
        {
            publication = await avahi.PublishAsync(instance, ServiceType, 7001, ["v=1", "s=squatter"], cancellationToken: cancellation);
        }
        finally
        {
            SetBridgePort(lan, port: 2, connected: true);
        }

        using (publication)
        {
            var healedMs = listener.NowMs;
            Assert.Equal(instance, publication.Name);

            // Two announced owners of one name (§9): ours hears avahi's records, probes for its name again, avahi
            // defends it, ours renames and announces the new name. Its browser then follows the new own name and
            // reports avahi's service under the old one.
            var reprobe = await listener.WaitForAsync(m => m.AtMs >= healedMs && IsProbe(m, nodeHost, instance), Patience, $"ours probing '{instance}' again");
            var announced = await listener.WaitForAsync(m => m.AtMs >= healedMs && IsAnnouncement(m, nodeHost, renamed), Patience, $"ours announcing '{renamed}'");
            var avahiSeen = await node.WaitForEventAsync("discovered", Patience, l => Text(l, "instance") == instance);
            var renamedSeen = await avahi.WaitForServiceAsync(ServiceType, s => s.Name == renamed, Patience, cancellation);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"after the LAN healed: ours probed '{instance}' again at +{reprobe.AtMs - healedMs} ms, announced '{renamed}' at +{announced.AtMs - healedMs} ms");

            Assert.Equal(("found", "squatter", $"{avahiHost.Address}:7001"), (Text(avahiSeen, "change"), Text(avahiSeen, "session"), Text(avahiSeen, "address")));
            Assert.Contains($"id={id}", renamedSeen.Txt);
            Assert.Equal(nodeHost.Address, renamedSeen.Address);
            Assert.True(publication.IsRunning, publication.Transcript);
            Assert.DoesNotContain("collision", publication.Transcript, StringComparison.OrdinalIgnoreCase);
            var names = avahi.Browse(ServiceType).Select(s => s.Name).Order(StringComparer.Ordinal);
            Assert.Equal([instance, renamed], names);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_three_nodes_of_one_session_and_one_of_another_on_a_lan_When_started_without_peers_Then_a_full_mesh_forms_and_a_leaver_says_goodbye()
    {
        VirtualLan.RequirePieces();
        using var lan = VirtualLan.Create(6);
        using var listener = MdnsListener.Open(lan.Hosts[5]);
        using var nodes = new NamespaceNodes();
        var watch = nodes.Watch(lan.Hosts[4]);
        var members = Enumerable.Range(0, 3).Select(i => nodes.Join(lan.Hosts[i], "lan-party", $"member{i}")).ToList();
        var outsider = nodes.Join(lan.Hosts[3], "elsewhere", "outsider");

        var ids = new List<string>();
        foreach (var member in members)
        {
            ids.Add(Text(await member.WaitForEventAsync("ready", Startup), "id"));
        }

        var readyMs = listener.NowMs;
        var outsiderId = Text(await outsider.WaitForEventAsync("ready", Startup), "id");
        await Eventually.TrueAsync(
            () => members.Select((m, i) => HeadlessNodes.Members(m).SetEquals(ids.Where((_, j) => j != i))).All(x => x),
            TimeSpan.FromSeconds(5),
            () => "no full mesh within 5 s of all three being ready:\n" + Transcript([.. members, outsider]) + "\nmDNS:\n" + listener.Transcript);
        var meshMs = listener.NowMs - readyMs;
        var announcedMs = ids.Select((id, i) => listener.Heard.FirstOrDefault(m => IsAnnouncement(m, lan.Hosts[i], $"member{i} ({id[..4]})"))?.AtMs - readyMs).Max();

        // The outsider is discovered by every member, with its session, and it finds them; nobody dials across sessions.
        foreach (var member in members)
        {
            var seen = await member.WaitForEventAsync("discovered", Patience, l => TextOrNull(l, "id") == outsiderId);
            Assert.Equal("elsewhere", Text(seen, "session"));
        }

        foreach (var memberId in ids)
        {
            await outsider.WaitForEventAsync("discovered", Patience, l => TextOrNull(l, "id") == memberId);
        }

        // Graceful leave: SIGTERM, goodbyes on the LAN, then the watcher and the members drop the leaver. Each must have
        // found it first: a node that started listening just after the leaver's first announcement learns of it only
        // from the next one, a second later (its answer to the latecomer's query waits out the 1 s limit of §6.2).
        var leaver = members[2];
        await watch.WaitForAsync(l => TextOrNull(l, "id") == ids[2] && Text(l, "change") == "found", Patience, "the watcher finding the leaver");
        foreach (var member in members.Take(2))
        {
            await member.WaitForEventAsync("discovered", Patience, l => TextOrNull(l, "id") == ids[2] && Text(l, "change") == "found");
        }

        var stoppedAt = Stopwatch.StartNew();
        var signalledMs = listener.NowMs;
        leaver.Signal(JsonLinesProcess.SigTerm);
        bool IsLeaverRemoved(JsonElement l) => TextOrNull(l, "id") == ids[2] && Text(l, "change") == "removed";
        long watcherMs = -1, member0Ms = -1, member1Ms = -1;
        await Eventually.TrueAsync(
            () =>
            {
                watcherMs = watcherMs < 0 && watch.Lines.Any(IsLeaverRemoved) ? stoppedAt.ElapsedMilliseconds : watcherMs;
                member0Ms = member0Ms < 0 && members[0].Lines.Any(l => Event(l) == "discovered" && IsLeaverRemoved(l)) ? stoppedAt.ElapsedMilliseconds : member0Ms;
                member1Ms = member1Ms < 0 && members[1].Lines.Any(l => Event(l) == "discovered" && IsLeaverRemoved(l)) ? stoppedAt.ElapsedMilliseconds : member1Ms;
                return watcherMs >= 0 && member0Ms >= 0 && member1Ms >= 0;
            },
            TimeSpan.FromSeconds(2),
            () => $"the leaver was not removed everywhere within 2 s of SIGTERM (watcher {watcherMs} ms, member0 {member0Ms} ms, member1 {member1Ms} ms):\n"
                + "watcher:\n" + string.Join('\n', watch.Lines.Select(l => l.GetRawText())) + "\n" + Transcript(members) + "\nmDNS:\n" + listener.Transcript);
        var goodbye = await listener.WaitForAsync(m => m.AtMs >= signalledMs && IsGoodbye(m, lan.Hosts[2], $"member2 ({ids[2][..4]})"), TimeSpan.Zero, "the leaver's goodbye");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"full mesh {meshMs} ms after all three were ready (the last member's first announcement at {announcedMs} ms); "
            + $"goodbye on the wire {goodbye.AtMs - signalledMs} ms after SIGTERM, removed {watcherMs} ms after SIGTERM by discover --watch, {member0Ms} / {member1Ms} ms by the members");

        Assert.True(leaver.WaitForExit(TimeSpan.FromSeconds(10)), "SIGTERM did not end the leaver");
        Assert.Equal(0, leaver.ExitCode);
        foreach (var member in members.Take(2))
        {
            var left = await member.WaitForEventAsync("peer_left", TimeSpan.FromSeconds(2), l => Text(l, "id") == ids[2]);
            Assert.Equal("bye", Text(left, "reason"));
        }

        // Seconds after meeting it, still no one has dialled the outsider or been dialled by it.
        foreach (var process in members.Append(outsider))
        {
            Assert.DoesNotContain(process.Lines, l => Event(l) == "refused" || (Event(l) == "peer_joined" && (Text(l, "id") == outsiderId || process == outsider)));
        }
    }

    private static void SetBridgePort(VirtualLan lan, int port, bool connected)
    {
        var bridge = lan.Bridge ?? throw new InvalidOperationException("a loopback-only LAN has no bridge");
        string[] change = connected ? ["master", "br0"] : ["nomaster"];
        var result = ExternalProgram.Run(SystemPiece.FindProgram("ip") ?? "ip", ["-n", bridge.Name, "link", "set", $"p{port}", .. change], timeout: TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, $"ip link set p{port} {string.Join(' ', change)}: {result.StandardError}");
    }

    /// <summary>An unsolicited response from <paramref name="host"/> with the instance's SRV and the service-type enumeration PTR (RFC 6763 §9): an announcement, not an answer.</summary>
    private static bool IsAnnouncement(HeardMessage heard, VirtualHost host, string instance) =>
        heard.Source.Address.Equals(host.Address)
        && heard.Message is { IsResponse: true } message
        && message.Answers.Any(r => r.Type == DnsType.Srv && r.Ttl > 0 && r.Name.LabelCount > 0 && r.Name.GetLabelText(0) == instance)
        && message.Answers.Any(r => r.Type == DnsType.Ptr && r.Name.Equals(ServiceEnumeration));

    /// <summary>A response from <paramref name="host"/> withdrawing the instance's SRV with TTL 0: a goodbye (RFC 6762 §10.1).</summary>
    private static bool IsGoodbye(HeardMessage heard, VirtualHost host, string instance) =>
        heard.Source.Address.Equals(host.Address)
        && heard.Message is { IsResponse: true } message
        && message.Answers.Any(r => r.Type == DnsType.Srv && r.Ttl == 0 && r.Name.LabelCount > 0 && r.Name.GetLabelText(0) == instance);

    /// <summary>A query from <paramref name="host"/> proposing an SRV for the instance in its authority section: a probe (RFC 6762 §8.1).</summary>
    private static bool IsProbe(HeardMessage heard, VirtualHost host, string instance) =>
        heard.Source.Address.Equals(host.Address)
        && heard.Message is { IsResponse: false } message
        && message.Authorities.Any(r => r.Type == DnsType.Srv && r.Name.LabelCount > 0 && r.Name.GetLabelText(0) == instance);

    private static string? Event(JsonElement line) => TextOrNull(line, "event");

    private static string Text(JsonElement line, string property) =>
        TextOrNull(line, property) ?? throw new InvalidOperationException($"no \"{property}\" in {line.GetRawText()}");

    private static string? TextOrNull(JsonElement line, string property) =>
        line.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Transcript(IEnumerable<JsonLinesProcess> processes) =>
        string.Join("\n---\n", processes.Select(p =>
            string.Join('\n', p.Lines.Where(l => Event(l) != "stats").Select(l => l.GetRawText())) + "\nstderr: " + p.StandardError));
}
