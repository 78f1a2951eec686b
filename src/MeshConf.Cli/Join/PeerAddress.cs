using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshConf.Cli.Join;

/// <summary>Parses `--peer host:port`. ENet speaks IPv4 only, so names resolve to their first IPv4 address.</summary>
internal static class PeerAddress
{
    public static bool TryParse(string text, out IPEndPoint? endPoint, out string error)
    {
        endPoint = null;
        error = string.Empty;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not host:port";
            return false;
        }

        var host = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}': the port must be a number from 1 to 65535";
            return false;
        }

        if (host.StartsWith('[') || host.Contains(':', StringComparison.Ordinal))
        {
            error = $"'{text}': IPv6 peers are not supported yet (the transport is IPv4)";
            return false;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            endPoint = new IPEndPoint(address, port);
            return true;
        }

        try
        {
            var v4 = Array.Find(Dns.GetHostAddresses(host), a => a.AddressFamily == AddressFamily.InterNetwork);
            if (v4 is null)
            {
                error = $"'{host}' has no IPv4 address";
                return false;
            }

            endPoint = new IPEndPoint(v4, port);
            return true;
        }
        catch (SocketException exception)
        {
            error = $"cannot resolve '{host}': {exception.Message}";
            return false;
        }
    }
}
