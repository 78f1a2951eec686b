using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Net;

namespace MeshConf.Node.Net;

/// <summary>
/// One client of an <see cref="ImpairmentRelay"/>, NAT style: its own upstream socket on 127.0.0.1:0,
/// connected to the target (so the kernel drops anything not from the target), and a thread that receives
/// the target's replies and forwards them, impaired, to the client from the relay's listen socket.
/// </summary>
internal sealed class RelaySession : IDisposable
{
    private readonly ImpairmentRelay _relay;
    private readonly Socket _upstream;
    private readonly Thread _thread;
    private long _allocatedBytes;
    private volatile bool _stopping;

    private RelaySession(ImpairmentRelay relay, int index, SocketAddress client, Socket upstream, RelayLeg toTarget, RelayLeg fromTarget)
    {
        _relay = relay;
        Index = index;
        Client = client;
        _upstream = upstream;
        ToTarget = toTarget;
        FromTarget = fromTarget;
        UpstreamEndPoint = (IPEndPoint)upstream.LocalEndPoint!;
        _thread = new Thread(Run) { IsBackground = true, Name = $"relay-upstream-{index}" };
    }

    public int Index { get; }

    /// <summary>The client's address (a private copy, safe as a dictionary key).</summary>
    public SocketAddress Client { get; }

    /// <summary>The address the target sees this client as.</summary>
    public IPEndPoint UpstreamEndPoint { get; }

    /// <summary>Client to target; used by the relay's listen thread only.</summary>
    public RelayLeg ToTarget { get; }

    /// <summary>Target to client; used by this session's thread only.</summary>
    public RelayLeg FromTarget { get; }

    /// <summary>Bytes this session's thread had allocated after its latest datagram (for allocation tests).</summary>
    internal long AllocatedBytes => Volatile.Read(ref _allocatedBytes);

    /// <summary>
    /// Opens the upstream socket and starts the session's thread. The two legs get their own random streams
    /// (2 × index and 2 × index + 1), so equal seeds never make both directions or two clients drop alike.
    /// </summary>
    public static RelaySession Open(
        ImpairmentRelay relay, int index, SocketAddress client, Socket listen, IPEndPoint target,
        RelayProfiles profiles, RelayCounters toTargetCounters, RelayCounters fromTargetCounters,
        DatagramScheduler scheduler, ArrayPool<byte> pool)
    {
        var upstream = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            upstream.ReceiveBufferSize = ImpairmentRelay.SocketBufferBytes;
            upstream.SendBufferSize = ImpairmentRelay.SocketBufferBytes;
            upstream.Bind(new IPEndPoint(target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
            upstream.Connect(target);
        }
        catch
        {
            upstream.Dispose();
            throw;
        }

        var key = new SocketAddress(client.Family, client.Size);
        client.Buffer.Span[..client.Size].CopyTo(key.Buffer.Span);
        var toTarget = new RelayLeg(new ImpairmentModel(profiles.ToTarget, 2 * index), upstream, null, toTargetCounters, scheduler, pool);
        var fromTarget = new RelayLeg(new ImpairmentModel(profiles.FromTarget, (2 * index) + 1), listen, key, fromTargetCounters, scheduler, pool);
        var session = new RelaySession(relay, index, key, upstream, toTarget, fromTarget);
        session._thread.Start();
        return session;
    }

    /// <summary>Closes the upstream socket, which ends a blocked receive, and joins the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _upstream.Dispose();
        _thread.Join();
    }

    private void Run()
    {
        try
        {
            var scratch = new byte[ImpairmentRelay.MaxDatagramBytes];
            while (!_stopping)
            {
                int length;
                try
                {
                    length = _upstream.Receive(scratch, SocketFlags.None);
                }
                catch (SocketException) when (!_stopping)
                {
                    // ConnectionRefused: an earlier send drew ICMP port-unreachable (target not up yet). Keep going.
                    continue;
                }
                catch (Exception) when (_stopping)
                {
                    return;
                }

                FromTarget.Forward(scratch.AsSpan(0, length), Stopwatch.GetTimestamp(), _relay.Profiles.FromTarget);
                Volatile.Write(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            }
        }
        catch (Exception error)
        {
            _relay.ReportFault(error);
        }
    }
}
