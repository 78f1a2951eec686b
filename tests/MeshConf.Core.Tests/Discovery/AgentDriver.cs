using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

/// <summary>What an agent sent, when, read back from the wire.</summary>
internal sealed record SentMessage(long AtMs, DnsMessage Message, IPEndPoint? Destination)
{
    public bool IsProbe => !Message.IsResponse && Message.Authorities.Count > 0;

    public bool IsQuery => !Message.IsResponse;

    public override string ToString() => $"@{AtMs} to {Destination?.ToString() ?? "group"}: {Message}";
}

/// <summary>
/// Drives one agent on a fake clock the way the socket layer will: polls it exactly at <see cref="IMdnsAgent.NextWakeMs"/>
/// and hands it messages, every one of them (both ways) passed through the codec.
/// </summary>
internal sealed class AgentDriver(IMdnsAgent agent)
{
    private const int MaxPollsAtOneInstant = 100;

    public IMdnsAgent Agent { get; } = agent;

    public long Now { get; private set; }

    public List<SentMessage> Sent { get; } = [];

    public void Start(long atMs)
    {
        Now = atMs;
        Agent.Start(atMs);
    }

    /// <summary>Polls at each wake time up to and including <paramref name="untilMs"/>, then sets the clock there.</summary>
    public void RunUntil(long untilMs)
    {
        var pollsNow = 0;
        while (Agent.NextWakeMs <= untilMs)
        {
            var wake = Math.Max(Agent.NextWakeMs, Now);
            pollsNow = wake == Now ? pollsNow + 1 : 0;
            Assert.True(pollsNow < MaxPollsAtOneInstant, $"the agent keeps asking to be polled at {wake}");
            Now = wake;
            Poll();
        }

        Now = Math.Max(Now, untilMs);
    }

    public void RunFor(long durationMs) => RunUntil(Now + durationMs);

    /// <summary>A message arriving now, then (unless told otherwise) a poll if the agent wants one at once, as the socket layer does.</summary>
    public void Receive(DnsMessage message, IPEndPoint source, bool poll = true)
    {
        Agent.Receive(MdnsWire.Roundtrip(message), source, Now);
        if (poll)
        {
            RunUntil(Now);
        }
    }

    public void Stop()
    {
        var output = new List<MdnsSend>();
        Agent.Stop(Now, output);
        Record(output);
    }

    public List<SentMessage> SentSince(long atMs) => [.. Sent.Where(s => s.AtMs >= atMs)];

    private void Poll()
    {
        var output = new List<MdnsSend>();
        Agent.Poll(Now, output);
        Record(output);
    }

    private void Record(List<MdnsSend> output)
    {
        foreach (var send in output)
        {
            Sent.Add(new SentMessage(Now, MdnsWire.Roundtrip(send.Message), send.Destination));
        }
    }
}
