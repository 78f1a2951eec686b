using System.Net;
using BenchmarkDotNet.Attributes;
using MeshConf.Interop.Enet;

namespace MeshConf.Benchmarks;

/// <summary>One unreliable-sequenced 160-byte packet (an audio frame's size) from one loopback host to another, single-threaded.</summary>
[MemoryDiagnoser]
public class EnetBenchmarks
{
    private readonly byte[] _payload = new byte[160];
    private EnetHost _server = null!;
    private EnetHost _client = null!;
    private EnetPeer _peer;

    [GlobalSetup]
    public void Setup()
    {
        _server = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), 4, 4);
        _client = EnetHost.Create(new IPEndPoint(IPAddress.Loopback, 0), 4, 4);
        _peer = _client.Connect(_server.LocalEndPoint, 4);
        var connected = false;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!connected && DateTime.UtcNow < deadline)
        {
            _server.Service(1, out _);
            _client.Service(1, out _);
            connected = _peer.State == EnetPeerState.Connected;
        }

        if (!connected)
        {
            throw new InvalidOperationException("ENet hosts did not connect");
        }

        _peer.ConfigureThrottle(1000, 2, 0);
    }

    /// <summary>Packets that did not arrive within the poll budget (reported, never waited for).</summary>
    public int Lost { get; private set; }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Lost > 0)
        {
            Console.WriteLine($"// {Lost} packets were not received within the poll budget");
        }

        _client.Dispose();
        _server.Dispose();
    }

    [Benchmark]
    public int SendAndReceiveUnreliable()
    {
        _peer.Send(1, _payload, EnetDelivery.UnreliableSequenced);
        _client.Flush();

        // Bounded: an unreliable packet may be dropped, and a benchmark must never hang on it.
        for (var polls = 0; polls < 1000; polls++)
        {
            if (_server.Service(0, out var e) && e.Type == EnetEventType.Receive)
            {
                return e.Payload.Length;
            }
        }

        Lost++;
        return 0;
    }
}
