using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MeshConf.Core.Discovery;
using MeshConf.Node.Discovery;

namespace MeshConf.Cli.Commands;

/// <summary>
/// `meshconf discover`: the MeshConf sessions on the LAN and who is in them (name, address, session, fingerprint),
/// found over mDNS without publishing anything. Lists once after a short wait, or with --watch follows every change.
/// </summary>
internal static class DiscoverCommand
{
    public static Command Create()
    {
        var networkInterface = new Option<string>("--interface") { Description = "Look on this network interface only (e.g. eth0)", HelpName = "NAME" };
        var watch = new Option<bool>("--watch") { Description = "Keep listing: a line for every node that appears, changes or leaves, until Ctrl-C" };
        var wait = new Option<double>("--wait") { Description = "Seconds to listen before listing", DefaultValueFactory = _ => 3, HelpName = "SECONDS" };
        var json = new Option<bool>("--json") { Description = "One JSON object per node (per change with --watch)" };
        var command = new Command("discover", "List the MeshConf sessions and members on the LAN (mDNS), then exit")
        {
            networkInterface,
            watch,
            wait,
            json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(wait) is < 0 or > 3600)
            {
                result.AddError("--wait must be between 0 and 3600 seconds");
            }
        });
        command.SetAction(parse => Run(parse.GetValue(networkInterface), parse.GetValue(watch), parse.GetValue(wait), parse.GetValue(json)));
        Configuration.CommandExamples.Add(command, "meshconf discover", "meshconf discover --watch", "meshconf discover --wait 10 --json", "meshconf discover --interface eth0");
        return command;
    }

    private static int Run(string? interfaceName, bool watch, double waitSeconds, bool json)
    {
        DiscoveryService discovery;
        try
        {
            discovery = DiscoveryService.Start(advert: null, interfaceName);
        }
        catch (MdnsUnavailableException e)
        {
            Console.Error.WriteLine($"meshconf: {e.Message}");
            return 1;
        }

        using (discovery)
        {
            if (watch)
            {
                return Watch(discovery, json);
            }

            Thread.Sleep(TimeSpan.FromSeconds(waitSeconds));
            var services = discovery.SnapshotAsync().GetAwaiter().GetResult();
            var rows = services
                .GroupBy(s => (s.Service.InstanceName, s.EndPoint))
                .Select(g => g.First())
                .OrderBy(s => s.Service.SessionId, StringComparer.Ordinal)
                .ThenBy(s => s.Service.Name, StringComparer.Ordinal)
                .ToList();
            if (json)
            {
                foreach (var row in rows)
                {
                    Console.Out.WriteLine(ToJson(row));
                }
            }
            else
            {
                WriteTable(rows, waitSeconds);
            }

            return 0;
        }
    }

    private static int Watch(DiscoveryService discovery, bool json)
    {
        using var stop = new ManualResetEventSlim();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        var gate = new Lock();
        discovery.Changed += change =>
        {
            lock (gate)
            {
                Console.Out.WriteLine(json ? ToJson(change) : Describe(change));
                Console.Out.Flush();
            }
        };
        if (!json)
        {
            Console.Error.WriteLine($"watching for MeshConf nodes on {string.Join(", ", discovery.Interfaces.Select(i => i.Name))} (Ctrl-C to stop)");
        }

        stop.Wait();
        return 0;
    }

    private static void WriteTable(List<DiscoveryEvent> rows, double waitSeconds)
    {
        if (rows.Count == 0)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no MeshConf nodes found on the LAN within {waitSeconds:0.#} s"));
            return;
        }

        string[] header = ["SESSION", "NAME", "ADDRESS", "FINGERPRINT", "INTERFACE"];
        var cells = rows.Select(r => new[]
        {
            Clean(r.Service.SessionId ?? "?"),
            Clean(r.Service.Name),
            r.EndPoint?.ToString() ?? "(no IPv4 address)",
            Clean(r.Service.Fingerprint ?? "?"),
            r.Interface,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Max(c => c[i].Length))).ToArray();
        Console.Out.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }

        var sessions = rows.Select(r => r.Service.SessionId).Distinct().Count();
        Console.Out.WriteLine($"{rows.Count} node{(rows.Count == 1 ? "" : "s")} in {sessions} session{(sessions == 1 ? "" : "s")}");
    }

    private static string Describe(DiscoveryEvent change)
    {
        var sign = change.Kind switch
        {
            ServiceChangeKind.Found => "+",
            ServiceChangeKind.Changed => "~",
            _ => "-",
        };
        var service = change.Service;
        return $"{sign} {Clean(service.Name)}  session '{Clean(service.SessionId ?? "?")}'  {change.EndPoint?.ToString() ?? "(no IPv4 address)"}  fp {Clean(service.Fingerprint ?? "?")}  on {change.Interface}";
    }

    private static string ToJson(DiscoveryEvent change)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var service = change.Service;
            w.WriteStartObject();
            w.WriteString("change", change.Kind.ToString().ToLowerInvariant());
            w.WriteString("name", service.Name);
            w.WriteString("session", service.SessionId);
            w.WriteString("id", service.NodeId);
            w.WriteString("fp", service.Fingerprint);
            w.WriteString("address", change.EndPoint?.ToString());
            w.WriteString("host", service.Host.ToString());
            w.WriteString("interface", change.Interface);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    // Names and sessions come from the network: no control characters (terminal escapes) reach the screen.
    private static string Clean(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
}
