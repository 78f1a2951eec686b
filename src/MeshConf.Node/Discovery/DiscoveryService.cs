using System.Net;
using System.Net.Sockets;
using MeshConf.Core.Discovery;
using MeshConf.Core.Dns;

namespace MeshConf.Node.Discovery;

/// <summary>What a node publishes about itself on the LAN, or null to browse only (`meshconf discover`).</summary>
/// <param name="Person">The display name, shown in the instance name: "darker (a1b2)".</param>
/// <param name="NodeId">The node id as 16 hex digits (TXT <c>id</c>).</param>
/// <param name="Session">The session (TXT <c>s</c>).</param>
/// <param name="Fingerprint">The short fingerprint of the node's key (TXT <c>fp</c>).</param>
/// <param name="Port">The UDP port the mesh listens on (SRV).</param>
internal sealed record DiscoveryAdvert(string Person, string NodeId, string Session, string Fingerprint, ushort Port);

/// <summary>A change seen on one interface: a service found, changed or gone.</summary>
internal sealed record DiscoveryEvent(ServiceChangeKind Kind, DiscoveredService Service, string Interface)
{
    /// <summary>Where to reach it: its first IPv4 address and its port, or null when it has none.</summary>
    public IPEndPoint? EndPoint =>
        Service.Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) is { } address ? new IPEndPoint(address, Service.Port) : null;
}

/// <summary>
/// mDNS/DNS-SD for a node: on every interface in use, a responder publishes this node (unless browsing only) and a
/// browser follows the other MeshConf nodes; every change is reported through <see cref="Changed"/>, on the mDNS
/// thread (handlers must be quick). Closing sends goodbyes, so peers drop this node at once.
/// </summary>
internal sealed class DiscoveryService : IDisposable
{
    private readonly MdnsHost _host;
    private readonly List<(MdnsInterface Interface, MdnsBrowser Browser)> _browsers = [];

    private DiscoveryService(MdnsHost host) => _host = host;

    /// <summary>Raised on the mDNS thread for every service found, changed or removed.</summary>
    public event Action<DiscoveryEvent>? Changed;

    public IReadOnlyList<MdnsInterface> Interfaces => _host.Interfaces;

    public MdnsCounters Counters => _host.Counters;

    /// <summary>
    /// Opens port 5353 on the chosen interfaces (<paramref name="interfaceName"/>, or every suitable one) and
    /// starts. An <see cref="MdnsUnavailableException"/> (with a one-line notice) when mDNS cannot run here.
    /// </summary>
    public static DiscoveryService Start(DiscoveryAdvert? advert, string? interfaceName, TimeProvider? time = null)
    {
        var host = MdnsHost.Open(interfaceName, time);
        var service = new DiscoveryService(host);
        try
        {
            foreach (var networkInterface in host.Interfaces)
            {
                MdnsResponder? responder = null;
                if (advert is not null)
                {
                    var addresses = networkInterface.Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork);
                    responder = new MdnsResponder(ServiceAdvert.ForNode(advert.Person, advert.NodeId, advert.Session, advert.Fingerprint, advert.Port, addresses), Seed());
                    host.Add(networkInterface.Index, responder);
                }

                var browser = new MdnsBrowser(Seed(), advert?.NodeId);
                service._browsers.Add((networkInterface, browser));
                host.Add(networkInterface.Index, new ReportingBrowser(service, networkInterface, browser, responder));
            }

            host.Start();
            return service;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>The services resolved now on every interface (one entry per interface that sees one).</summary>
    public async Task<IReadOnlyList<DiscoveryEvent>> SnapshotAsync()
    {
        var all = await _host.InvokeAsync(() => _browsers
            .SelectMany(b => b.Browser.Services.Select(s => new DiscoveryEvent(ServiceChangeKind.Found, s, b.Interface.Name)))
            .ToList()).ConfigureAwait(false);
        return all;
    }

    /// <summary>Stops every agent (responders say goodbye) and closes the socket.</summary>
    public void Dispose() => _host.Dispose();

    private static ulong Seed() => (ulong)Random.Shared.NextInt64();

    /// <summary>A browser that reports its changes after every step and never reports this node's own instance.</summary>
    private sealed class ReportingBrowser(DiscoveryService service, MdnsInterface networkInterface, MdnsBrowser browser, MdnsResponder? responder) : IMdnsAgent
    {
        private readonly List<ServiceChange> _changes = [];

        public long NextWakeMs => browser.NextWakeMs;

        public void Start(long nowMs)
        {
            Follow();
            browser.Start(nowMs);
            Report();
        }

        public void Receive(DnsMessage message, IPEndPoint source, long nowMs)
        {
            Follow();
            browser.Receive(message, source, nowMs);
            Report();
        }

        public void Poll(long nowMs, List<MdnsSend> output)
        {
            Follow();
            browser.Poll(nowMs, output);
            Report();
        }

        public void Stop(long nowMs, List<MdnsSend> output) => browser.Stop(nowMs, output);

        // Our responder may have renamed itself after a conflict: the browser ignores the current name.
        private void Follow()
        {
            if (responder is not null)
            {
                browser.OwnInstanceName = responder.FullName;
            }
        }

        private void Report()
        {
            browser.TakeChanges(_changes);
            foreach (var change in _changes)
            {
                service.Changed?.Invoke(new DiscoveryEvent(change.Kind, change.Service, networkInterface.Name));
            }

            _changes.Clear();
        }
    }
}
