using System.Net;
using BenchmarkDotNet.Attributes;
using MeshConf.Interop.Enet;

namespace MeshConf.Benchmarks;

/// <summary>One unreliable 160-byte packet (an audio frame's size) from one loopback host to another, single-threaded.</summary>
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

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Benchmark]
    public int SendAndReceiveUnreliable()
    {
        _peer.Send(1, _payload, EnetDelivery.Unsequenced);
        _client.Flush();
        while (true)
        {
            if (_server.Service(1, out var e) && e.Type == EnetEventType.Receive)
            {
                return e.Payload.Length;
            }
        }
    }
}
