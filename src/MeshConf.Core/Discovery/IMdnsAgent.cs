using System.Net;
using MeshConf.Core.Dns;

namespace MeshConf.Core.Discovery;

/// <summary>
/// One side of mDNS on one network interface (a responder or a browser), as a pure state machine: it is told what
/// arrived and what time it is, and says what to send and when it next wants to be asked. The socket layer owns
/// threads and clocks; it feeds every agent of an interface the messages that arrived there, and calls
/// <see cref="Poll"/> at <see cref="NextWakeMs"/> or sooner. Time is milliseconds of one monotonic clock.
/// </summary>
internal interface IMdnsAgent
{
    /// <summary>The earliest time the agent has something to do, or <see cref="long.MaxValue"/> for nothing.</summary>
    long NextWakeMs { get; }

    /// <summary>Begins (probing, querying) at <paramref name="nowMs"/>.</summary>
    void Start(long nowMs);

    /// <summary>A message that arrived from <paramref name="source"/> (our own echoes already filtered out).</summary>
    void Receive(DnsMessage message, IPEndPoint source, long nowMs);

    /// <summary>Adds to <paramref name="output"/> whatever is due by <paramref name="nowMs"/>.</summary>
    void Poll(long nowMs, List<MdnsSend> output);

    /// <summary>Ends: a responder adds its goodbyes (every record at TTL 0) to <paramref name="output"/>; a browser just stops.</summary>
    void Stop(long nowMs, List<MdnsSend> output);
}
