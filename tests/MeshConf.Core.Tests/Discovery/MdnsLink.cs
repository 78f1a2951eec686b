using System.Net;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Tests.Discovery;

/// <summary>
/// A tiny simulated multicast link: nodes, each with an address and the agents of its interface, and a fake clock.
/// A multicast message reaches every agent but its sender (its own node's other agent included, which is what a
/// socket layer that does not filter its own node's traffic would give); a unicast one reaches the agents of the
/// node holding the destination address. Every message is written and read by the codec, and arrives after
/// <see cref="LatencyMs"/>. Time moves from event to event: the next delivery or the next wake of an agent.
/// </summary>
internal sealed class MdnsLink
{
    private const int MaxStepsAtOneInstant = 1000;

    private readonly List<Member> _members = [];
    private readonly PriorityQueue<Delivery, (long AtMs, long Order)> _inFlight = new();
    private long _order;

    public long LatencyMs { get; init; } = 1;

    public long Now { get; private set; }

    /// <summary>Everything sent, in order.</summary>
    public List<(long AtMs, IPEndPoint From, MdnsSend Send)> Log { get; } = [];

    public void Add(IMdnsAgent agent, IPAddress nodeAddress) => _members.Add(new Member(agent, new IPEndPoint(nodeAddress, Mdns.Port)));

    public void Start(IMdnsAgent agent) => agent.Start(Now);

    /// <summary>Stops an agent now; its goodbyes go out like any other message.</summary>
    public void Stop(IMdnsAgent agent)
    {
        var output = new List<MdnsSend>();
        agent.Stop(Now, output);
        Send(_members.Single(m => m.Agent == agent), output);
    }

    /// <summary>Runs until <paramref name="untilMs"/>, or until <paramref name="done"/> holds after an event.</summary>
    public bool RunUntil(long untilMs, Func<bool>? done = null)
    {
        var stepsNow = 0;
        while (true)
        {
            if (done?.Invoke() == true)
            {
                return true;
            }

            var next = Math.Min(_members.Min(m => m.Agent.NextWakeMs), _inFlight.TryPeek(out _, out var due) ? due.AtMs : long.MaxValue);
            if (next > untilMs)
            {
                Now = untilMs;
                return done?.Invoke() == true;
            }

            next = Math.Max(next, Now);
            stepsNow = next == Now ? stepsNow + 1 : 0;
            Assert.True(stepsNow < MaxStepsAtOneInstant, $"the link makes no progress at {next}");
            Now = next;
            while (_inFlight.TryPeek(out _, out due) && due.AtMs <= Now)
            {
                var delivery = _inFlight.Dequeue();
                delivery.To.Agent.Receive(delivery.Message, delivery.From, Now);
            }

            foreach (var member in _members)
            {
                if (member.Agent.NextWakeMs <= Now)
                {
                    var output = new List<MdnsSend>();
                    member.Agent.Poll(Now, output);
                    Send(member, output);
                }
            }
        }
    }

    private void Send(Member from, List<MdnsSend> output)
    {
        foreach (var send in output)
        {
            Log.Add((Now, from.Endpoint, send));
            foreach (var to in _members)
            {
                var reaches = send.IsMulticast ? to != from : to.Endpoint.Address.Equals(send.Destination!.Address);
                if (reaches)
                {
                    // Read separately for each receiver, as each socket reads its own copy.
                    _inFlight.Enqueue(new Delivery(to, from.Endpoint, MdnsWire.Roundtrip(send.Message)), (Now + LatencyMs, _order++));
                }
            }
        }
    }

    private sealed record Member(IMdnsAgent Agent, IPEndPoint Endpoint);

    private sealed record Delivery(Member To, IPEndPoint From, DnsMessage Message);
}
