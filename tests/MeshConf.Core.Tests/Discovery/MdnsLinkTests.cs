using System.Net;
using MeshConf.Core.Discovery;

namespace MeshConf.Core.Tests.Discovery;

/// <summary>Responders and browsers of several nodes on one simulated link (<see cref="MdnsLink"/>).</summary>
public sealed class MdnsLinkTests
{
    private static readonly string[] People = ["darker", "lighter", "bluer"];

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void Given_three_nodes_started_together_When_the_link_runs_Then_every_browser_resolves_both_other_nodes_within_two_seconds(ulong seed)
    {
        var (link, nodes) = Mesh(seed, People);

        var done = link.RunUntil(2000, () => nodes.All(n => n.Browser.Services.Count == 2));

        Assert.True(done, $"after {link.Now} ms: {string.Join("; ", nodes.Select(n => $"{n.Id} sees {n.Browser.Services.Count}"))}");
        TestContext.Current.TestOutputHelper?.WriteLine($"all resolved at {link.Now} ms, {link.Log.Count} messages");
        foreach (var node in nodes)
        {
            var seen = node.Browser.Services.Select(s => s.NodeId).Order().ToList();
            Assert.Equal(nodes.Where(n => n != node).Select(n => n.Id).Order(), seen);
            foreach (var service in node.Browser.Services)
            {
                var peer = nodes.Single(n => n.Id == service.NodeId);
                Assert.Equal(peer.Responder.FullName, service.InstanceName);
                Assert.Equal(peer.Responder.HostName, service.Host);
                Assert.Equal(peer.Port, service.Port);
                Assert.Equal([peer.Address], service.Addresses);
                Assert.Equal("session1", service.SessionId);
            }
        }

        Assert.All(nodes, n => Assert.Equal(0, n.Responder.RenameCount));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void Given_two_nodes_started_with_the_same_instance_name_When_the_link_runs_Then_they_end_with_distinct_names_and_both_are_resolved(ulong seed)
    {
        var (link, nodes) = Mesh(seed, "darker", "darker", "lighter");

        var done = link.RunUntil(10_000, () => nodes.All(n => n.Responder.State == MdnsResponderState.Announced && n.Browser.Services.Count == 2));

        Assert.True(done, string.Join("; ", nodes.Select(n => $"{n.Responder.InstanceLabel} {n.Responder.State} sees {n.Browser.Services.Count}")));
        TestContext.Current.TestOutputHelper?.WriteLine($"distinct and resolved at {link.Now} ms, {link.Log.Count} messages");
        Assert.Equal(3, nodes.Select(n => n.Responder.FullName).Distinct().Count());
        Assert.Equal(1, nodes.Take(2).Sum(n => n.Responder.RenameCount));
        Assert.Contains(nodes, n => n.Responder.InstanceLabel == "darker (0000)");
        Assert.Contains(nodes, n => n.Responder.InstanceLabel == "darker (0000) (2)");
        var third = nodes[2].Browser.Services.Select(s => s.Name).Order();
        Assert.Equal(["darker (0000)", "darker (0000) (2)"], third);
        link.RunUntil(link.Now + 30_000);
        Assert.Equal(1, nodes.Take(2).Sum(n => n.Responder.RenameCount));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Given_a_resolved_mesh_When_one_node_stops_Then_the_others_drop_it_within_one_second_of_its_goodbye(ulong seed)
    {
        var (link, nodes) = Mesh(seed, People);
        Assert.True(link.RunUntil(2000, () => nodes.All(n => n.Browser.Services.Count == 2)));
        link.RunUntil(10_000);
        foreach (var node in nodes)
        {
            node.Browser.TakeChanges([]);
        }

        var leaving = nodes[1];
        link.Stop(leaving.Responder);
        link.Stop(leaving.Browser);
        var goodbyeAt = link.Now;

        var gone = link.RunUntil(goodbyeAt + 1000 + link.LatencyMs, () => nodes.Where(n => n != leaving).All(n => n.Browser.Services.Count == 1));

        Assert.True(gone, $"still there at {link.Now}");
        TestContext.Current.TestOutputHelper?.WriteLine($"gone {link.Now - goodbyeAt} ms after the goodbye");
        foreach (var node in nodes.Where(n => n != leaving))
        {
            var changes = new List<ServiceChange>();
            node.Browser.TakeChanges(changes);
            var removed = Assert.Single(changes);
            Assert.Equal(ServiceChangeKind.Removed, removed.Kind);
            Assert.Equal(leaving.Id, removed.Service.NodeId);
        }

        // The goodbye also withdrew the shared enumeration PTR; the nodes that stay announce theirs again.
        Assert.Contains(link.Log, l => l.AtMs > goodbyeAt && l.Send.Message.IsResponse && l.Send.Message.Answers.Any(r => r.Name.Equals(Mdns.ServiceTypeEnumeration) && r.Ttl > 0));
    }

    private static (MdnsLink Link, List<Node> Nodes) Mesh(ulong seed, params string[] people)
    {
        var link = new MdnsLink();
        var nodes = new List<Node>();
        for (var i = 0; i < people.Length; i++)
        {
            // Nodes named alike share the short id too (0000), so their instance and host names collide.
            var id = people.Count(p => p == people[i]) > 1 ? $"0000{i:D12}" : $"{i + 1:D4}{i:D12}";

            var address = IPAddress.Parse($"10.0.0.{i + 1}");
            var port = (ushort)(47000 + i);
            var advert = ServiceAdvert.ForNode(people[i], id, "session1", "fp" + i, port, [address]);
            var responder = new MdnsResponder(advert, (seed * 100) + (ulong)i);
            var browser = new MdnsBrowser((seed * 100) + 50 + (ulong)i, ownNodeId: id);
            link.Add(responder, address);
            link.Add(browser, address);
            nodes.Add(new Node(id, address, port, responder, browser));
        }

        foreach (var node in nodes)
        {
            link.Start(node.Responder);
            link.Start(node.Browser);
        }

        return (link, nodes);
    }

    private sealed record Node(string Id, IPAddress Address, ushort Port, MdnsResponder Responder, MdnsBrowser Browser);
}
