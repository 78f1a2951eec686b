using System.Buffers;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MeshConf.Core.Net;
using MeshConf.Node.Net;

namespace MeshConf.Cli.Commands;

/// <summary>
/// `meshconf relay`: an impairing UDP relay on loopback (our netem). Prints one JSON line when ready, one with the
/// counters every second, and a last one when it stops (Ctrl+C, SIGTERM or --duration).
/// </summary>
internal static class RelayCommand
{
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var target = new Option<IPEndPoint>("--target")
        {
            Description = "Where to forward: a loopback HOST:PORT (127.0.0.1:7000, [::1]:7000, localhost:7000)",
            HelpName = "HOST:PORT",
            Required = true,
            CustomParser = ParseTarget,
        };
        var listen = new Option<int>("--listen")
        {
            Description = "Port to listen on, on 127.0.0.1 (0 picks a free one, printed in relay_ready)",
            HelpName = "PORT",
            DefaultValueFactory = _ => 0,
        };
        listen.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > ushort.MaxValue)
            {
                result.AddError($"--listen must be a port from 0 to {ushort.MaxValue}");
            }
        });
        var impair = ProfileOption("--impair", "Impairment on the way to the target, e.g. \"loss=10%,delay=20ms,jitter=30ms,reorder=5%,dup=1%,seed=7\"");
        var impairBack = ProfileOption("--impair-back", "Impairment on the way back from the target (same form; none unless given)");
        var duration = new Option<double?>("--duration")
        {
            Description = "Stop after this many seconds (default: run until Ctrl+C or SIGTERM)",
            HelpName = "SECONDS",
        };
        duration.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } seconds && !(seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2))
            {
                result.AddError("--duration must be a positive number of seconds");
            }
        });

        var command = new Command("relay", "Relay UDP on loopback to a target, dropping, delaying, jittering, reordering and duplicating datagrams (for tests)")
        {
            target,
            listen,
            impair,
            impairBack,
            duration,
        };
        command.SetAction(parse =>
        {
            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => StopOn(context, stop));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => StopOn(context, stop));
            var seconds = parse.GetValue(duration);
            return Run(
                parse.GetValue(target)!,
                new IPEndPoint(IPAddress.Loopback, parse.GetValue(listen)),
                parse.GetValue(impair)!,
                parse.GetValue(impairBack)!,
                seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                Console.Out,
                Console.Error,
                stop.Token);
        });
        Configuration.CommandExamples.Add(command, "meshconf relay --target 127.0.0.1:7000", "meshconf relay --target 127.0.0.1:7000 --listen 7001 --impair loss=10%,delay=20ms,jitter=30ms", "meshconf relay --target localhost:7000 --impair loss=5% --impair-back loss=5% --duration 60");
        return command;
    }

    /// <summary>Runs a relay until <paramref name="stop"/> or <paramref name="duration"/>, reporting on <paramref name="output"/>.</summary>
    internal static int Run(
        IPEndPoint target, IPEndPoint listen, ImpairmentProfile toTarget, ImpairmentProfile fromTarget,
        TimeSpan? duration, TextWriter output, TextWriter error, CancellationToken stop)
    {
        ImpairmentRelay relay;
        try
        {
            relay = ImpairmentRelay.Start(target, toTarget, fromTarget, listen);
        }
        catch (SocketException bindError)
        {
            error.WriteLine($"meshconf: cannot listen on {listen}: {bindError.Message}");
            return 1;
        }
        catch (ArgumentException refused)
        {
            // The parsers have checked the addresses; what is left is e.g. --listen on the target's own port.
            error.WriteLine($"meshconf: {refused.Message.Split(" (Parameter")[0]}");
            return Program.UsageError;
        }

        using (relay)
        {
            output.WriteLine(Json(json =>
            {
                json.WriteString("event", "relay_ready");
                json.WriteString("listen", relay.ListenEndPoint.ToString());
                json.WriteString("target", relay.Target.ToString());
                json.WriteString("impair", toTarget.ToString());
                json.WriteString("impair_back", fromTarget.ToString());
            }));

            var clock = Stopwatch.StartNew();
            var nextStats = StatsInterval;
            while (!stop.IsCancellationRequested)
            {
                var until = duration is { } d && d < nextStats ? d : nextStats;
                var wait = until - clock.Elapsed;
                if (wait > TimeSpan.Zero && stop.WaitHandle.WaitOne(wait))
                {
                    break;
                }

                if (duration is { } limit && clock.Elapsed >= limit)
                {
                    break;
                }

                if (clock.Elapsed >= nextStats)
                {
                    output.WriteLine(Stats("relay_stats", relay, clock.Elapsed));
                    nextStats += StatsInterval;
                }
            }

            output.WriteLine(Stats("relay_stopped", relay, clock.Elapsed));
            if (relay.Fault is { } fault)
            {
                error.WriteLine($"meshconf: the relay failed: {fault.Message}");
                return 1;
            }
        }

        return 0;
    }

    private static Option<ImpairmentProfile> ProfileOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "PROFILE",
        DefaultValueFactory = _ => ImpairmentProfile.None,
        CustomParser = result =>
        {
            if (ImpairmentProfile.TryParse(result.Tokens.Single().Value, out var profile, out var problem))
            {
                return profile;
            }

            result.AddError($"{name}: {problem}");
            return null;
        },
    };

    private static IPEndPoint? ParseTarget(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var candidate = text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)
            ? "127.0.0.1" + text["localhost".Length..]
            : text;
        if (!IPEndPoint.TryParse(candidate, out var endPoint) || endPoint.Port == 0)
        {
            result.AddError($"--target '{text}' is not HOST:PORT with a port (e.g. 127.0.0.1:7000)");
            return null;
        }

        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        if (!IPAddress.IsLoopback(address))
        {
            // Impaired traffic must never leave the machine: this is a test tool, not a network emulator for a LAN.
            result.AddError($"--target {text} is not a loopback address; the relay only forwards on this machine (127.0.0.1, ::1, localhost)");
            return null;
        }

        return endPoint;
    }

    private static void StopOn(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true; // we stop by ourselves, after the last stats line
        stop.Cancel();
    }

    private static string Stats(string name, ImpairmentRelay relay, TimeSpan elapsed) => Json(json =>
    {
        json.WriteString("event", name);
        json.WriteNumber("elapsed_s", Math.Round(elapsed.TotalSeconds, 3));
        json.WriteNumber("clients", relay.ClientCount);
        WriteCounters(json, "to_target", relay.ToTarget);
        WriteCounters(json, "from_target", relay.FromTarget);
        var lateness = relay.Lateness;
        json.WriteStartObject("scheduler");
        json.WriteNumber("sends", lateness.Sends);
        json.WriteNumber("mean_late_ms", Math.Round(lateness.Mean.TotalMilliseconds, 3));
        json.WriteNumber("max_late_ms", Math.Round(lateness.Max.TotalMilliseconds, 3));
        json.WriteNumber("late_over_1ms", lateness.OverOneMillisecond);
        json.WriteEndObject();
    });

    private static void WriteCounters(Utf8JsonWriter json, string name, ImpairmentCounters counters)
    {
        json.WriteStartObject(name);
        json.WriteNumber("received", counters.Received);
        json.WriteNumber("forwarded", counters.Forwarded);
        json.WriteNumber("dropped", counters.Dropped);
        json.WriteNumber("duplicated", counters.Duplicated);
        json.WriteNumber("reordered", counters.Reordered);
        json.WriteNumber("failed", counters.Failed);
        json.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
