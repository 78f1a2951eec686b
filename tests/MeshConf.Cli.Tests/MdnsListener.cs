using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>One mDNS datagram a <see cref="MdnsListener"/> heard: when (ms since it opened), from whom, what.</summary>
/// <param name="AtMs">Milliseconds since the listener opened.</param>
/// <param name="Source">The sender's address and port.</param>
/// <param name="Message">The decoded message, or null when it did not decode.</param>
internal sealed record HeardMessage(long AtMs, IPEndPoint Source, DnsMessage? Message)
{
    public override string ToString() =>
        $"{AtMs,6} ms {Source} {Message?.ToString().Replace("\n", "\n          ", StringComparison.Ordinal) ?? "(not DNS)"}";
}

/// <summary>
/// A silent witness on a <see cref="VirtualLan"/>: a socket on 5353 in one host's namespace, joined to the mDNS group
/// on its LAN interface, that records every multicast datagram with the time it arrived and never sends. Tests use it
/// to wait for what the protocol says happens on the wire (announcements, probes) instead of guessing delays.
/// </summary>
internal sealed class MdnsListener : IDisposable
{
    private static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    private readonly Socket _socket;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<HeardMessage> _heard = [];
    private readonly Lock _gate = new();
    private readonly Thread _receiver;

    private MdnsListener(Socket socket)
    {
        _socket = socket;
        _receiver = new Thread(Receive) { IsBackground = true, Name = "mDNS listener" };
        _receiver.Start();
    }

    /// <summary>Milliseconds since the listener opened, on the clock of <see cref="HeardMessage.AtMs"/>.</summary>
    public long NowMs => _clock.ElapsedMilliseconds;

    public IReadOnlyList<HeardMessage> Heard
    {
        get
        {
            lock (_gate)
            {
                return [.. _heard];
            }
        }
    }

    /// <summary>Everything heard, one message after another.</summary>
    public string Transcript => string.Join('\n', Heard);

    /// <summary>Opens the listener inside <paramref name="host"/>'s namespace (the socket stays there for its life).</summary>
    public static MdnsListener Open(VirtualHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var socket = host.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                s.Bind(new IPEndPoint(IPAddress.Any, Mdns.Port));
                s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, host.InterfaceIndex));
                return s;
            }
            catch
            {
                s.Dispose();
                throw;
            }
        });
        return new MdnsListener(socket);
    }

    /// <summary>Waits until the messages heard so far satisfy <paramref name="condition"/>; throws with the transcript after <paramref name="timeout"/>.</summary>
    public Task WaitUntilAsync(Func<IReadOnlyList<HeardMessage>, bool> condition, TimeSpan timeout, string what) =>
        Eventually.TrueAsync(() => condition(Heard), timeout, () => $"the mDNS listener did not hear {what}:\n{Transcript}");

    /// <summary>Waits for the first message (already heard or still to come) that matches, and returns it.</summary>
    public async Task<HeardMessage> WaitForAsync(Func<HeardMessage, bool> match, TimeSpan timeout, string what)
    {
        HeardMessage? found = null;
        await WaitUntilAsync(heard => (found = heard.FirstOrDefault(match)) is not null, timeout, what);
        return found!;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _receiver.Join(TimeSpan.FromSeconds(5));
    }

    private void Receive()
    {
        var buffer = new byte[9000];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // closed by Dispose
            }

            // Whatever arrives is data: a datagram that is not DNS is recorded as such.
            var message = DnsMessage.TryRead(buffer.AsSpan(0, length), out var decoded, out _) ? decoded : null;
            lock (_gate)
            {
                _heard.Add(new HeardMessage(_clock.ElapsedMilliseconds, (IPEndPoint)from, message));
            }
        }
    }
}
