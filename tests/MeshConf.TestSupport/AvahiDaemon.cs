using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshConf.TestSupport;

/// <summary>
/// A third-party mDNS peer for tests (TESTBED: avahi in a namespace): a private system D-Bus (its own socket
/// in a temporary directory, allow-all policy) and an avahi-daemon bound to one <see cref="VirtualHost"/>'s LAN
/// interface, IPv4 only, both running inside that host's namespace. The daemon gets a private tmpfs on /run
/// (its pid file and socket), and an empty /etc/avahi/services, so it neither clashes with a system avahi
/// nor announces the machine's static services. avahi-publish and avahi-browse reach it through
/// <see cref="Environment"/>. <see cref="Dispose"/> stops publications, daemon and bus by pid and deletes the
/// directory.
/// </summary>
public sealed partial class AvahiDaemon : IDisposable
{
    /// <summary>How long the bus and then the daemon may take to come up, by default.</summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(10);

    private const string DirectoryPrefix = "meshconf-avahi-";

    private readonly string _directory;
    private readonly List<AvahiPublication> _publications = [];
    private readonly Lock _gate = new();
    private TextLinesProcess? _bus;
    private TextLinesProcess? _daemon;

    private AvahiDaemon(VirtualHost host, string directory)
    {
        Host = host;
        _directory = directory;
        HostName = string.Empty;
    }

    /// <summary>The host (namespace and interface) the daemon serves.</summary>
    public VirtualHost Host { get; }

    /// <summary>The host name avahi settled on, without ".local" (the requested one unless it was taken).</summary>
    public string HostName { get; private set; }

    /// <summary>The D-Bus address of the private bus: <c>unix:path=DIR/bus</c>.</summary>
    public string BusAddress => "unix:path=" + Path.Combine(_directory, "bus");

    /// <summary>The environment avahi clients (avahi-publish, avahi-browse) need to talk to this daemon.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress,
    };

    /// <summary>The pid of avahi-daemon.</summary>
    public int DaemonPid => _daemon?.Pid ?? 0;

    /// <summary>The pid of the private dbus-daemon.</summary>
    public int BusPid => _bus?.Pid ?? 0;

    /// <summary>What avahi-daemon has logged (it logs to stderr when not daemonised).</summary>
    public string Log => _daemon?.Transcript ?? string.Empty;

    /// <summary>
    /// Skips the test (fails it under CI) unless avahi can run here: root, ip, avahi-daemon, avahi-utils, dbus.
    /// </summary>
    public static void RequirePieces()
    {
        VirtualLan.RequirePieces();
        SystemPiece.RequireProgram("avahi-daemon", "avahi-daemon");
        SystemPiece.RequireProgram("avahi-publish", "avahi-utils");
        SystemPiece.RequireProgram("avahi-browse", "avahi-utils");
        SystemPiece.RequireProgram("dbus-daemon", "dbus");
    }

    /// <summary>
    /// Starts bus and daemon inside <paramref name="host"/>'s namespace, publishing the host name
    /// <paramref name="hostName"/>.local on its LAN interface, and returns once the daemon has logged
    /// "Server startup complete" (its host name probed and announced, its D-Bus API up).
    /// </summary>
    public static async Task<AvahiDaemon> StartAsync(VirtualHost host, string hostName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        RequirePieces();
        var patience = timeout ?? DefaultStartTimeout;
        RemoveStaleDirectories();
        var directory = Directory.CreateTempSubdirectory($"{DirectoryPrefix}{System.Environment.ProcessId}-").FullName;
        var daemon = new AvahiDaemon(host, directory);
        try
        {
            await daemon.StartBusAsync(patience, cancellationToken).ConfigureAwait(false);
            await daemon.StartDaemonAsync(hostName, patience, cancellationToken).ConfigureAwait(false);
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Publishes a service through this daemon (<c>avahi-publish -s NAME TYPE PORT TXT...</c>) and returns once
    /// avahi reports it established; the service lives until the publication is disposed (or this daemon is).
    /// </summary>
    public async Task<AvahiPublication> PublishAsync(string name, string type, int port, IEnumerable<string> txt, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
        ArgumentNullException.ThrowIfNull(txt);
        var process = Host.Namespace.StartTextLines(
            Program("avahi-publish"),
            ["-s", name, type, port.ToString(CultureInfo.InvariantCulture), .. txt],
            new Dictionary<string, string>(Environment));
        try
        {
            var line = await process.WaitForLineAsync(
                l => l.StartsWith("Established under name", StringComparison.Ordinal),
                timeout ?? DefaultStartTimeout,
                $"avahi-publish established '{name}'",
                cancellationToken).ConfigureAwait(false);
            var established = EstablishedPattern().Match(line);
            var publication = new AvahiPublication(process, established.Success ? established.Groups[1].Value : name);
            lock (_gate)
            {
                _publications.Add(publication);
            }

            return publication;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One pass of <c>avahi-browse -rpt TYPE</c>: the services of <paramref name="type"/> this daemon finds and
    /// resolves before avahi decides it has seen all for now (about a second). A service still being announced
    /// may be missing: to wait for one, use <see cref="WaitForServiceAsync"/>.
    /// </summary>
    public IReadOnlyList<AvahiService> Browse(string type, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        var result = Host.Namespace.RunProgram(Program("avahi-browse"), ["-rpt", type], new Dictionary<string, string>(Environment), timeout ?? TimeSpan.FromSeconds(15));
        return result.ExitCode == 0
            ? AvahiService.ParseAll(result.StandardOutput)
            : throw new InvalidOperationException($"avahi-browse -rpt {type} in {Host.Namespace}: exit {result.ExitCode}: {result.StandardError.Trim()}");
    }

    /// <summary>
    /// Runs <c>avahi-browse -rp TYPE</c> (streaming, no -t) until it resolves a service that matches, and
    /// returns that service; throws with avahi-browse's transcript after <paramref name="timeout"/>.
    /// </summary>
    public async Task<AvahiService> WaitForServiceAsync(string type, Func<AvahiService, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(match);
        using var browse = Host.Namespace.StartTextLines(Program("avahi-browse"), ["-rp", type], new Dictionary<string, string>(Environment));
        AvahiService? found = null;
        await browse.WaitForLineAsync(
            line =>
            {
                if (AvahiService.TryParse(line, out var service) && match(service))
                {
                    found = service;
                    return true;
                }

                return false;
            },
            timeout,
            $"a resolved {type} service that matches",
            cancellationToken).ConfigureAwait(false);
        return found!;
    }

    /// <summary>Stops every publication, the daemon and the bus (each by its pid), then deletes the directory.</summary>
    public void Dispose()
    {
        List<AvahiPublication> publications;
        lock (_gate)
        {
            publications = [.. _publications];
            _publications.Clear();
        }

        // Every step runs even when an earlier one throws: a half-stopped daemon must not keep the bus alive.
        var failures = new List<Exception>();
        foreach (var stop in publications.Select(p => (Action)p.Dispose).Append(() => _daemon?.Dispose()).Append(() => _bus?.Dispose()))
        {
            try
            {
                stop();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"stopping avahi in {Host.Namespace}", failures);
        }
    }

    /// <summary>
    /// Deletes the directories of daemons whose test process is dead (it crashed before Dispose; the daemons
    /// themselves died with their namespaces in <see cref="VirtualLan.RemoveStale"/>).
    /// </summary>
    private static void RemoveStaleDirectories()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var owner = OwnerPattern().Match(Path.GetFileName(directory));
            if (owner.Success && int.TryParse(owner.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Another run sweeping the same leftovers.
                }
            }
        }
    }

    private static string Program(string name) => SystemPiece.FindProgram(name) ?? name;

    private async Task StartBusAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var config = Path.Combine(_directory, "bus.conf");
        await File.WriteAllTextAsync(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>{BusAddress}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*"/>
                <allow receive_sender="*"/>
              </policy>
            </busconfig>
            """, cancellationToken).ConfigureAwait(false);

        // --print-address prints once the socket listens: the bus is ready.
        _bus = Host.Namespace.StartTextLines(Program("dbus-daemon"), [$"--config-file={config}", "--nofork", "--nopidfile", "--print-address"]);
        await _bus.WaitForLineAsync(l => l.StartsWith("unix:", StringComparison.Ordinal), timeout, "the bus address", cancellationToken).ConfigureAwait(false);
    }

    private async Task StartDaemonAsync(string hostName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var config = Path.Combine(_directory, "avahi.conf");
        await File.WriteAllTextAsync(config, $"""
            [server]
            host-name={hostName}
            domain-name=local
            use-ipv4=yes
            use-ipv6=no
            allow-interfaces={Host.InterfaceName}
            enable-dbus=yes

            [wide-area]
            enable-wide-area=no

            [publish]
            publish-hinfo=no
            publish-workstation=no
            """, cancellationToken).ConfigureAwait(false);

        // ip netns exec gives the shell its own mount namespace (propagation: slave), so these mounts stay
        // private to the daemon, and exec keeps the pid: the process started IS avahi-daemon.
        const string Script = """
            mount -t tmpfs tmpfs /run
            if [ -d /etc/avahi/services ]; then mount -t tmpfs tmpfs /etc/avahi/services; fi
            exec "$1" -f "$2" --no-drop-root --no-chroot --no-rlimits
            """;
        _daemon = Host.Namespace.StartTextLines("/bin/sh", ["-ec", Script, "sh", Program("avahi-daemon"), config], new Dictionary<string, string>(Environment));
        var line = await _daemon.WaitForLineAsync(l => l.StartsWith("Server startup complete", StringComparison.Ordinal), timeout, "'Server startup complete'", cancellationToken).ConfigureAwait(false);
        var named = HostNamePattern().Match(line);
        HostName = named.Success ? named.Groups[1].Value : hostName;
    }

    [GeneratedRegex(@"^meshconf-avahi-(\d+)-")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex(@"^Established under name '(.*)'$")]
    private static partial Regex EstablishedPattern();

    [GeneratedRegex(@"Host name is (.+?)\.local\.")]
    private static partial Regex HostNamePattern();
}
