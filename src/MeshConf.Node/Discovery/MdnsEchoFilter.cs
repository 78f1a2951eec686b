using System.Net;

namespace MeshConf.Node.Discovery;

/// <summary>
/// Recognises our own multicasts when they come back. Multicast loopback must stay on (another responder on
/// this host, avahi or Bonjour, has to hear us), so every multicast we send returns to our socket on the
/// interface it left by; on a machine with two interfaces on one link it also arrives on the other one.
/// <para>
/// The address alone cannot tell: avahi on the same host sends from the same address and port. So a datagram
/// is an echo when it comes from port 5353 and from an address of the interface we sent it on, carries exactly
/// the bytes we sent there (a 64-bit FNV-1a hash and the length) within the last few seconds, and either arrives
/// on another interface or is the first copy back on that one. A second identical copy on the sending interface
/// is someone else's (avahi asking the very same question), and is delivered.
/// </para>
/// Not thread-safe: the transport serialises calls. Allocates nothing.
/// </summary>
internal sealed class MdnsEchoFilter
{
    /// <summary>How long a sent multicast is remembered; loopback takes microseconds, so this is generous.</summary>
    public const long WindowMs = 5_000;

    /// <summary>Sends remembered at most; the oldest is forgotten first (a burst of probes and announcements fits).</summary>
    public const int Capacity = 128;

    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private readonly Entry[] _entries = new Entry[Capacity];
    private readonly Dictionary<int, MdnsInterface> _interfaces;
    private int _next;

    /// <summary>Remembers sends on <paramref name="interfaces"/> and accepts echoes from their addresses.</summary>
    public MdnsEchoFilter(IEnumerable<MdnsInterface> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        _interfaces = interfaces.ToDictionary(i => i.Index);
    }

    /// <summary>Remembers that <paramref name="datagram"/> was multicast on <paramref name="interfaceIndex"/> at <paramref name="nowMs"/>.</summary>
    public void Sent(ReadOnlySpan<byte> datagram, int interfaceIndex, long nowMs)
    {
        _entries[_next] = new Entry(Hash(datagram), datagram.Length, interfaceIndex, nowMs, InUse: true, LoopedBack: false);
        _next = (_next + 1) % Capacity;
    }

    /// <summary>
    /// Whether <paramref name="datagram"/>, arrived on <paramref name="arrivalIndex"/> from <paramref name="source"/>,
    /// is one of our sends coming back. A first copy back on the sending interface uses the send up.
    /// </summary>
    public bool IsEcho(ReadOnlySpan<byte> datagram, IPEndPoint source, int arrivalIndex, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Port != Core.Discovery.Mdns.Port)
        {
            return false;
        }

        ulong? hash = null;
        for (var i = 0; i < Capacity; i++)
        {
            ref var entry = ref _entries[i];
            if (!entry.InUse || nowMs - entry.SentMs > WindowMs || entry.Length != datagram.Length)
            {
                continue;
            }

            var sameInterface = entry.InterfaceIndex == arrivalIndex;
            if ((sameInterface && entry.LoopedBack) || !IsAddressOf(entry.InterfaceIndex, source.Address))
            {
                continue;
            }

            hash ??= Hash(datagram);
            if (entry.Hash != hash.Value)
            {
                continue;
            }

            if (sameInterface)
            {
                entry = entry with { LoopedBack = true };
            }

            return true;
        }

        return false;
    }

    private bool IsAddressOf(int interfaceIndex, IPAddress address)
    {
        if (!_interfaces.TryGetValue(interfaceIndex, out var sender))
        {
            return false;
        }

        for (var i = 0; i < sender.Addresses.Count; i++)
        {
            if (sender.Addresses[i].Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    private static ulong Hash(ReadOnlySpan<byte> data)
    {
        var hash = FnvOffset;
        foreach (var b in data)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    private readonly record struct Entry(ulong Hash, int Length, int InterfaceIndex, long SentMs, bool InUse, bool LoopedBack);
}
