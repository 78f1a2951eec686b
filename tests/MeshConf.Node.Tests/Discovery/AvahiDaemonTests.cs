using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Discovery;

[Collection(VirtualLanCollection.Name)]
public sealed class AvahiDaemonTests
{
    private const string ServiceType = "_meshconf._udp";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(8);

    [Fact(Timeout = 20_000)]
    public async Task Given_avahi_publishing_in_one_namespace_When_avahi_in_another_browses_Then_it_resolves_name_address_port_and_txt()
    {
        var cancellation = TestContext.Current.CancellationToken;
        AvahiDaemon.RequirePieces();
        var clock = Stopwatch.StartNew();
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        var lanReady = clock.Elapsed;
        var starting = new[] { AvahiDaemon.StartAsync(one, "mc-one", cancellationToken: cancellation), AvahiDaemon.StartAsync(two, "mc-two", cancellationToken: cancellation) };
        using var publisher = await starting[0];
        using var browser = await starting[1];
        var daemonsReady = clock.Elapsed;

        // A space, a dot, a ';' and a non-ASCII letter: each comes back through avahi's \DDD escapes.
        const string Name = "Mesh Conf. Tëst;1";
        string[] txt = ["v=1", "fp=ab cd", "q=\"x\\y", "name=é"];
        using var publication = await publisher.PublishAsync(Name, ServiceType, 7001, txt, cancellationToken: cancellation);
        var published = clock.Elapsed;
        var service = await browser.WaitForServiceAsync(ServiceType, s => s.Name == Name, Patience, cancellation);
        var resolved = clock.Elapsed;
        var pass = browser.Browse(ServiceType);
        var browsed = clock.Elapsed;

        Assert.Equal(Name, publication.Name);
        Assert.Equal(Name, service.Name);
        Assert.Equal((one.InterfaceName, "IPv4", ServiceType, "local"), (service.Interface, service.Protocol, service.Type, service.Domain));
        Assert.Equal($"{publisher.HostName}.local", service.Host);
        Assert.Equal("mc-one", publisher.HostName);
        Assert.Equal(one.Address, service.Address);
        Assert.Equal(7001, service.Port);
        Assert.Equal(txt.Order(StringComparer.Ordinal), service.Txt.Order(StringComparer.Ordinal));
        var again = Assert.Single(pass);
        Assert.Equal((service.Name, service.Address, service.Port), (again.Name, again.Address, again.Port));
        Assert.Equal(service.Txt, again.Txt);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"lan {lanReady.TotalMilliseconds:0} ms, both daemons up +{(daemonsReady - lanReady).TotalMilliseconds:0} ms, " +
            $"published +{(published - daemonsReady).TotalMilliseconds:0} ms, resolved +{(resolved - published).TotalMilliseconds:0} ms, " +
            $"one -rpt pass {(browsed - resolved).TotalMilliseconds:0} ms");
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_avahi_publishing_When_an_in_process_socket_in_another_namespace_sends_a_raw_ptr_query_Then_avahi_answers_it()
    {
        var cancellation = TestContext.Current.CancellationToken;
        AvahiDaemon.RequirePieces();
        using var lan = VirtualLan.Create(2);
        var (one, two) = (lan.Hosts[0], lan.Hosts[1]);
        using var avahi = await AvahiDaemon.StartAsync(one, "mc-responder", cancellationToken: cancellation);
        using var publication = await avahi.PublishAsync("Raw Query Target", ServiceType, 7002, ["v=1"], cancellationToken: cancellation);

        // From an ephemeral port this is a legacy unicast query (RFC 6762 §6.7): the answer comes back to this
        // socket alone, by unicast, echoing the query ID, so announcements cannot pass for it.
        using var socket = two.Run(() =>
        {
            var s = VirtualLanTests.BoundUdp(new IPEndPoint(IPAddress.Any, 0));
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(two.InterfaceIndex));
            return s;
        });
        const ushort QueryId = 0x4D43;
        var query = PtrQuery(QueryId, "_meshconf", "_udp", "local");
        var buffer = new byte[9000];
        var started = Stopwatch.StartNew();
        SocketReceiveFromResult answer = default;
        var answered = false;
        while (!answered && started.Elapsed < Patience)
        {
            await socket.SendToAsync(query, new IPEndPoint(IPAddress.Parse("224.0.0.251"), 5353), cancellation);
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            window.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                answer = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), window.Token);
                answered = true;
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // No answer within a second: ask again, as a legacy resolver would.
            }
        }

        Assert.True(answered, $"no answer within {Patience}; avahi log:\n{avahi.Log}");
        var response = buffer.AsSpan(0, answer.ReceivedBytes);
        TestContext.Current.TestOutputHelper?.WriteLine($"{answer.ReceivedBytes} B answer from {answer.RemoteEndPoint} after {started.ElapsedMilliseconds} ms");
        Assert.Equal(new IPEndPoint(one.Address, 5353), answer.RemoteEndPoint);
        Assert.True(response.Length >= 12);
        Assert.Equal(QueryId, BinaryPrimitives.ReadUInt16BigEndian(response));
        Assert.True((BinaryPrimitives.ReadUInt16BigEndian(response[2..]) & 0x8000) != 0, "QR bit: a response");
        Assert.True(BinaryPrimitives.ReadUInt16BigEndian(response[6..]) >= 1, "at least one answer");
        Assert.True(response.IndexOf("Raw Query Target"u8) >= 0, "the instance name is in the answer");
    }

    [Fact(Timeout = 20_000)]
    public async Task Given_avahi_with_a_publication_When_disposed_with_its_lan_Then_no_process_directory_or_namespace_remains()
    {
        var cancellation = TestContext.Current.CancellationToken;
        AvahiDaemon.RequirePieces();
        var lan = VirtualLan.Create(1);
        var names = lan.NamespaceNames;
        int[] pids;
        string directory;
        try
        {
            var avahi = await AvahiDaemon.StartAsync(lan.Hosts[0], "mc-leak", cancellationToken: cancellation);
            var publication = await avahi.PublishAsync("Leak Check", ServiceType, 7003, [], cancellationToken: cancellation);
            pids = [avahi.DaemonPid, avahi.BusPid, publication.Pid];
            directory = Path.GetDirectoryName(avahi.BusAddress["unix:path=".Length..])!;
            Assert.All(pids, pid => Assert.True(Directory.Exists($"/proc/{pid}"), $"pid {pid} runs"));
            Assert.Equal(pids.Order(), lan.Hosts[0].Namespace.ProcessIds().Order());

            avahi.Dispose();
        }
        finally
        {
            lan.Dispose();
        }

        await Eventually.TrueAsync(() => pids.All(pid => !Directory.Exists($"/proc/{pid}")), TimeSpan.FromSeconds(5), () => $"still running: {string.Join(' ', pids.Where(pid => Directory.Exists($"/proc/{pid}")))}");
        Assert.False(Directory.Exists(directory));
        var listed = ExternalProgram.Run(SystemPiece.FindProgram("ip") ?? "ip", ["netns", "list"]).StandardOutput;
        Assert.All(names, name => Assert.DoesNotContain(name, listed, StringComparison.Ordinal));
    }

    /// <summary>A one-question mDNS query (RFC 6762 §18): ID, no flags, QDCOUNT 1, the name, QTYPE PTR (12), QCLASS IN (1).</summary>
    private static byte[] PtrQuery(ushort id, params string[] labels)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in labels)
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, 0, 12, 0, 1]);
        return [.. bytes];
    }
}
