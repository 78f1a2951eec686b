using System.Collections.Concurrent;
using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Node.Tests.Discovery;

/// <summary>
/// A test agent: sends what it is given at start, answers what <see cref="Reply"/> says, says
/// <see cref="Goodbye"/> when stopped, and records every call (and the thread it came on) in thread-safe
/// collections the test reads from its own thread.
/// </summary>
internal sealed class RecordingAgent(params MdnsSend[] atStart) : IMdnsAgent
{
    private readonly Queue<MdnsSend> _due = new();

    /// <summary>What to send in answer to a message (run on the host's thread); null for nothing.</summary>
    public Func<DnsMessage, IPEndPoint, IEnumerable<MdnsSend>>? Reply { get; init; }

    /// <summary>Sent when the agent is stopped.</summary>
    public DnsMessage? Goodbye { get; init; }

    /// <summary>Throws from Receive (a broken agent).</summary>
    public bool ThrowOnReceive { get; init; }

    /// <summary>A wake the agent asks for; set it before Start or from the host's thread.</summary>
    public long WakeAtMs { get; set; } = long.MaxValue;

    public ConcurrentQueue<(DnsMessage Message, IPEndPoint Source, long NowMs)> Received { get; } = new();

    public ConcurrentQueue<long> Polls { get; } = new();

    public ConcurrentDictionary<int, bool> Threads { get; } = new();

    public long? StartedAtMs { get; private set; }

    public long? StoppedAtMs { get; private set; }

    public long NextWakeMs
    {
        get
        {
            Record();
            return _due.Count > 0 ? 0 : WakeAtMs;
        }
    }

    public void Start(long nowMs)
    {
        Record();
        StartedAtMs = nowMs;
        foreach (var send in atStart)
        {
            _due.Enqueue(send);
        }
    }

    public void Receive(DnsMessage message, IPEndPoint source, long nowMs)
    {
        Record();
        if (ThrowOnReceive)
        {
            throw new InvalidOperationException("a broken agent");
        }

        Received.Enqueue((message, source, nowMs));
        foreach (var send in Reply?.Invoke(message, source) ?? [])
        {
            _due.Enqueue(send);
        }
    }

    public void Poll(long nowMs, List<MdnsSend> output)
    {
        Record();
        Polls.Enqueue(nowMs);
        while (_due.TryDequeue(out var send))
        {
            output.Add(send);
        }

        if (nowMs >= WakeAtMs)
        {
            WakeAtMs = long.MaxValue;
        }
    }

    public void Stop(long nowMs, List<MdnsSend> output)
    {
        Record();
        StoppedAtMs = nowMs;
        if (Goodbye is not null)
        {
            output.Add(new MdnsSend(Goodbye));
        }
    }

    /// <summary>Whether a message with a question or record named <paramref name="name"/> arrived (from <paramref name="source"/>).</summary>
    public bool HasReceived(DnsName name, IPEndPoint? source = null) =>
        Received.Any(r => (source is null || r.Source.Equals(source)) && MdnsTestMessages.Names(r.Message).Contains(name));

    private void Record() => Threads[Environment.CurrentManagedThreadId] = true;
}
