using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeshConf.Node.Tests.Net;

/// <summary>
/// A plain UDP socket on 127.0.0.1:0 with its own receive thread, which stamps every arrival on receipt (so
/// measured delays do not include task scheduling) and, as an echo target, sends each datagram straight back.
/// Test datagrams carry a sequence number and their send timestamp: see <see cref="SendProbe"/>.
/// </summary>
internal sealed class LoopbackUdpPeer : IDisposable
{
    public const int ProbeHeaderBytes = 12;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly List<Arrival> _arrivals = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly bool _echo;
    private volatile bool _stopping;

    public LoopbackUdpPeer(bool echo = false, IPEndPoint? bind = null)
    {
        _echo = echo;
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Bind(bind ?? new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _thread = new Thread(Receive) { IsBackground = true, Name = $"test-udp-{EndPoint.Port}" };
        _thread.Start();
    }

    public IPEndPoint EndPoint { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _arrivals.Count;
            }
        }
    }

    public IReadOnlyList<Arrival> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    public void Send(IPEndPoint to, ReadOnlySpan<byte> payload) => _socket.SendTo(payload, SocketFlags.None, to);

    /// <summary>Sends a datagram of <paramref name="size"/> bytes: sequence, send timestamp, then <paramref name="tag"/> bytes.</summary>
    public void SendProbe(IPEndPoint to, int sequence, int size = 64, byte tag = 0)
    {
        Span<byte> payload = stackalloc byte[Math.Max(size, ProbeHeaderBytes)];
        payload.Fill(tag);
        BinaryPrimitives.WriteInt32LittleEndian(payload, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[4..], Stopwatch.GetTimestamp());
        Send(to, payload);
    }

    /// <summary>Waits until at least <paramref name="count"/> datagrams have arrived, or throws after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Arrival>> WaitForAsync(int count, TimeSpan timeout)
    {
        var token = TestContext.Current.CancellationToken;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Count < count)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{EndPoint} received {Count} datagrams, not {count}, within {timeout}");
            }

            await _arrived.WaitAsync(left, token);
        }

        return Arrivals;
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        _thread.Join();
        _arrived.Dispose();
    }

    private void Receive()
    {
        var buffer = new byte[65536];
        var from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            EndPoint sender = from;
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, ref sender);
            }
            catch (SocketException) when (!_stopping)
            {
                continue;
            }
            catch (Exception) when (_stopping)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            if (_echo)
            {
                _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, sender);
            }

            lock (_gate)
            {
                _arrivals.Add(new Arrival(buffer.AsSpan(0, length).ToArray(), now, (IPEndPoint)sender));
            }

            _arrived.Release();
        }
    }

    internal sealed record Arrival(byte[] Payload, long Timestamp, IPEndPoint From)
    {
        public int Sequence => BinaryPrimitives.ReadInt32LittleEndian(Payload);

        public byte Tag => Payload[^1];

        /// <summary>Time from the probe's send to this arrival.</summary>
        public TimeSpan Transit => Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64LittleEndian(Payload.AsSpan(4)), Timestamp);
    }
}
