using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Dns;
using MeshConf.Node.Discovery;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Discovery;

/// <summary>Hand-built messages and small helpers shared by the mDNS socket layer tests.</summary>
internal static class MdnsTestMessages
{
    /// <summary>How long a datagram may take to show up on a loaded two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>A name unique to the test (so that nothing else on the wire could carry it).</summary>
    public static DnsName UniqueName(string what) => DnsName.Parse($"{what}-{Guid.NewGuid():N}.local");

    /// <summary>A one-question query (QM, or QU with <paramref name="unicastResponse"/>).</summary>
    public static DnsMessage Query(DnsName name, DnsType type = DnsType.Ptr, bool unicastResponse = false) =>
        new() { Questions = [new DnsQuestion(name, type, unicastResponse)] };

    /// <summary>An authoritative response with one PTR answer.</summary>
    public static DnsMessage Answer(DnsName name, DnsName target, uint ttl = 120) =>
        new() { IsResponse = true, Authoritative = true, Answers = [new PtrRecord(name, ttl, target)] };

    /// <summary>Every name a message asks about or answers for.</summary>
    public static IEnumerable<DnsName> Names(DnsMessage message) =>
        message.Questions.Select(q => q.Name).Concat(message.Answers.Select(a => a.Name)).Concat(message.Additionals.Select(a => a.Name));

    /// <summary>The network namespace the calling thread is in, as the kernel names it ("net:[4026531840]").</summary>
    public static string CurrentNetworkNamespace() => File.ResolveLinkTarget("/proc/thread-self/ns/net", returnFinalTarget: false)!.Name;

    /// <summary>The mDNS endpoint of a host: its LAN address, port 5353.</summary>
    public static IPEndPoint MdnsEndPoint(this VirtualHost host) => new(host.Address, 5353);

    /// <summary>
    /// A plain socket of <paramref name="host"/> on an ephemeral port, sending multicast out of its LAN interface:
    /// for datagrams no codec would write.
    /// </summary>
    public static Socket RawSender(VirtualHost host) => host.Run(() =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(host.Address, 0));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(host.InterfaceIndex));
        return socket;
    });

    /// <summary>
    /// Makes <c>lo</c> of a LAN host's namespace able to carry mDNS: multicast on, and 127.0.0.1 of scope link so a
    /// multicast sent out of lo by index has it as its source (VirtualLan.CreateLoopbackOnly does the same).
    /// </summary>
    public static void EnableLoopbackMulticast(VirtualHost host)
    {
        var ip = SystemPiece.FindProgram("ip") ?? "ip";
        string[][] commands =
        [
            ["link", "set", "lo", "multicast", "on"],
            ["addr", "del", "127.0.0.1/8", "dev", "lo"],
            ["addr", "add", "127.0.0.1/8", "dev", "lo", "scope", "link"],
        ];
        foreach (var command in commands)
        {
            var result = host.Namespace.RunProgram(ip, command);
            Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', command)}: {result.StandardError}");
        }
    }

    /// <summary>Receives with <paramref name="transport"/> until a message satisfies <paramref name="match"/>, or throws after <see cref="Patience"/>.</summary>
    public static async Task<MdnsDatagram> ReceiveUntilAsync(MdnsTransport transport, Func<MdnsDatagram, bool> match, Action? everySecond = null)
    {
        var cancellation = TestContext.Current.CancellationToken;
        return await Task.Run(
            () =>
            {
                var started = Stopwatch.StartNew();
                var seen = new List<string>();
                while (started.Elapsed < Patience)
                {
                    cancellation.ThrowIfCancellationRequested();
                    everySecond?.Invoke();
                    var second = Stopwatch.StartNew();
                    while (second.Elapsed < TimeSpan.FromSeconds(1))
                    {
                        var status = transport.Receive(TimeSpan.FromMilliseconds(100), out var datagram);
                        if (status == MdnsReceiveStatus.Message)
                        {
                            if (match(datagram))
                            {
                                return datagram;
                            }

                            seen.Add($"{datagram.Source}: {datagram.Message}");
                        }
                        else if (status == MdnsReceiveStatus.Closed)
                        {
                            throw new InvalidOperationException("the transport closed");
                        }
                    }
                }

                throw new TimeoutException($"no matching message within {Patience}; saw {seen.Count}:\n{string.Join("\n", seen)}");
            },
            cancellation);
    }
}
