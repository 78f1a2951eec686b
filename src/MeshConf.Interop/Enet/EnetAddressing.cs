using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MeshConf.Interop.Enet;

/// <summary>Converts between <see cref="IPEndPoint"/> and <c>ENetAddress</c> (ENet is IPv4 only).</summary>
internal static class EnetAddressing
{
    public static EnetNative.Address ToNative(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"ENet speaks IPv4 only; {endPoint} is not an IPv4 address.", nameof(endPoint));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return new EnetNative.Address
        {
            // ENetAddress.host holds the octets in network order exactly as they sit in memory.
            Host = MemoryMarshal.Read<uint>(bytes),
            Port = (ushort)endPoint.Port,
        };
    }

    public static IPEndPoint FromNative(in EnetNative.Address native)
    {
        Span<byte> bytes = stackalloc byte[4];
        MemoryMarshal.Write(bytes, in native.Host);
        return new IPEndPoint(new IPAddress(bytes), native.Port);
    }
}
