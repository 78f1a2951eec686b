using System.CommandLine;
using System.Net;
using System.Text;
using MeshConf.Cli.Join;

namespace MeshConf.Cli.Commands;

/// <summary>`meshconf join SESSION`: become a member of a session and stay until interrupted.</summary>
internal static class JoinCommand
{
    public static Command Create()
    {
        var session = new Argument<string>("session") { Description = "The session to join (nodes of other sessions are refused)" };
        var name = new Option<string>("--name") { Description = "Your display name (default: your user name)" };
        var headless = new Option<bool>("--headless") { Description = "No terminal UI: print JSON lines on stdout (for bots, tests and benchmarks)" };
        var port = new Option<int>("--port") { Description = "UDP port to listen on (0 = any free port)", DefaultValueFactory = _ => 0 };
        var bind = new Option<string>("--bind") { Description = "Local IPv4 address to listen on (default: all)" };
        var peers = new Option<string[]>("--peer") { Description = "A member to start from, host:port (repeatable)", AllowMultipleArgumentsPerToken = false };
        var passphrase = new Option<string>("--passphrase") { Description = "Session passphrase (or set MESHCONF_PASSPHRASE)" };
        var duration = new Option<double?>("--duration") { Description = "Leave after this many seconds" };
        var peerTimeout = new Option<double>("--peer-timeout") { Description = "Seconds of silence before a peer is dropped", DefaultValueFactory = _ => 5 };
        var configDir = new Option<string>("--config-dir") { Description = "Where the identity key and known peers live (default: MESHCONF_CONFIG_DIR or ~/.config/meshconf)" };
        var video = new Option<string>("--video") { Description = "What to send: camera, camera:DEVICE (e.g. camera:/dev/video2), file:PATH (looped), pattern (built in, no camera needed) or none", DefaultValueFactory = _ => "camera" };
        var fps = new Option<int>("--fps") { Description = "Video frames per second, 1 to 30", DefaultValueFactory = _ => 15 };
        var videoKbps = new Option<int>("--video-kbps") { Description = "Bitrate target of each outgoing video stream, kbit/s (0: by tile size and mode, 400 for 80x40 truecolor)", DefaultValueFactory = _ => 0 };
        var tile = new Option<string>("--tile") { Description = "Headless: the picture size to ask senders for, COLSxROWS", DefaultValueFactory = _ => "80x40" };
        var color = new Option<string>("--color") { Description = "Colour mode: auto (from COLORTERM, TERM and NO_COLOR; truecolor when headless), truecolor, 256, 16 or mono", DefaultValueFactory = _ => "auto" };
        var render = new Option<string>("--render") { Description = "How pictures are drawn: auto (half blocks), halfblock (1x2 pixels a cell), quadrant (2x2), sextant (2x3; needs a terminal that draws them) or glyph (a coloured character a cell)", DefaultValueFactory = _ => "auto" };
        var audio = new Option<string>("--audio") { Description = "What to say: device (the microphone), file:IN.wav (looped), tone[:HZ[,HZ]] or none", DefaultValueFactory = _ => "device" };
        var audioOut = new Option<string>("--audio-out") { Description = "Where the mix goes: device (the speaker), file:OUT.wav or none", DefaultValueFactory = _ => "device" };
        var mic = new Option<string>("--mic") { Description = "Microphone by name or index (see meshconf devices)" };
        var speaker = new Option<string>("--speaker") { Description = "Speaker by name or index (see meshconf devices)" };
        var noAec = new Option<bool>("--no-aec") { Description = "No echo cancellation (it is on when both microphone and speaker are real devices)" };
        var audioVbr = new Option<bool>("--audio-vbr") { Description = "Variable-bitrate Opus: smaller, but packet sizes then follow your speech on the wire" };
        var audioFrame = new Option<int>("--audio-frame") { Description = "Opus frame length in ms: 10, 20 or 40", DefaultValueFactory = _ => 20 };
        var mute = new Option<bool>("--mute") { Description = "Join with the microphone muted (m toggles it in the call)" };
        var noMdns = new Option<bool>("--no-mdns") { Description = "No LAN discovery: neither publish this node over mDNS nor look for others (then only --peer links)" };
        var networkInterface = new Option<string>("--interface") { Description = "Run mDNS on this network interface only (e.g. eth0; lo keeps discovery on this machine)" };
        var record = new Option<string>("--record") { Description = "Record what the call screen shows to FILE.cast (asciicast v2: asciinema play FILE.cast)" };
        var videoTrace = new Option<bool>("--video-trace") { Description = "Headless: a JSON line per video frame sent and decoded, with its content hash" };
        // Checks of one value are validators, so a bad value from MESHCONF_* or the config file is named as such.
        Check(port, value => value is < 0 or > 65535 ? $"--port {value}: must be 0 (any free port) to 65535" : null);
        Check(bind, value => value is not null && (!IPAddress.TryParse(value, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            ? $"--bind '{value}' is not an IPv4 address" : null);
        Check(duration, value => value is { } seconds && (seconds <= 0 || double.IsNaN(seconds) || seconds > 1e7) ? "--duration must be a positive number of seconds" : null);
        Check(peerTimeout, value => value is < 1 or > 600 || double.IsNaN(value) ? "--peer-timeout must be from 1 to 600 seconds" : null);
        Check(video, value => Node.Video.VideoSourceSpec.TryParse(value, out _, out var error) ? null : error);
        Check(audio, value => Node.Audio.AudioDeviceSpec.TryParseInput(value, out _, out var error) ? null : error);
        Check(audioOut, value => Node.Audio.AudioDeviceSpec.TryParseOutput(value, out _, out var error) ? null : error);
        Check(audioFrame, value => value is 10 or 20 or 40 ? null : $"--audio-frame {value}: must be 10, 20 or 40 (ms)");
        Check(fps, value => value is < 1 or > 30 ? $"--fps {value}: must be 1 to 30" : null);
        Check(videoKbps, value => value is < 0 or > 100_000 ? $"--video-kbps {value}: must be 0 (automatic) or 1 to 100000" : null);
        Check(color, value => value == "auto" || JoinRunner.ParseColor(value) is not null ? null : $"--color '{value}': use auto, truecolor, 256, 16 or mono");
        Check(render, value => JoinRunner.ParseRender(value) is not null ? null : $"--render '{value}': use auto, halfblock, quadrant, sextant or glyph");
        Check(tile, value => TryParseTile(value, out _, out _) ? null : $"--tile '{value}' must be COLSxROWS, e.g. 80x40");
        Check(peers, value => value?.Select(text => PeerAddress.TryParse(text, out _, out var error) ? null : "--peer " + error).FirstOrDefault(e => e is not null));
        var command = new Command("join", "Join a session: link with every member, encrypted and authenticated")
        {
            session, name, headless, port, bind, peers, passphrase, duration, peerTimeout, configDir, video, fps, videoKbps, tile, color, render, videoTrace,
            audio, audioOut, mic, speaker, noAec, audioVbr, audioFrame, mute, noMdns, networkInterface, record,
        };

        command.SetAction(parse =>
        {
            var settings = new JoinSettings
            {
                Session = parse.GetValue(session)!,
                Name = parse.GetValue(name) ?? Environment.UserName,
                Headless = parse.GetValue(headless),
                Port = parse.GetValue(port),
                Bind = parse.GetValue(bind),
                PeerTexts = parse.GetValue(peers) ?? [],
                Passphrase = parse.GetValue(passphrase) ?? Environment.GetEnvironmentVariable("MESHCONF_PASSPHRASE"),
                Duration = parse.GetValue(duration),
                PeerTimeout = parse.GetValue(peerTimeout),
                ConfigDir = parse.GetValue(configDir),
                Video = parse.GetValue(video)!,
                Fps = parse.GetValue(fps),
                VideoKbps = parse.GetValue(videoKbps),
                Color = parse.GetValue(color)!,
                Render = parse.GetValue(render)!,
                VideoTrace = parse.GetValue(videoTrace),
                Audio = parse.GetValue(audio)!,
                AudioOut = parse.GetValue(audioOut)!,
                Mic = parse.GetValue(mic),
                Speaker = parse.GetValue(speaker),
                NoAec = parse.GetValue(noAec),
                AudioVbr = parse.GetValue(audioVbr),
                AudioFrameMs = parse.GetValue(audioFrame),
                Mute = parse.GetValue(mute),
                Mdns = !parse.GetValue(noMdns),
                Interface = parse.GetValue(networkInterface),
                Record = parse.GetValue(record),
            };
            _ = TryParseTile(parse.GetValue(tile)!, out var tileCols, out var tileRows); // checked by its validator
            settings = settings with { TileCols = tileCols, TileRows = tileRows };

            if (!Validate(settings, out var bindAddress, out var peerEndPoints, out var problem))
            {
                Console.Error.WriteLine($"meshconf: {problem}");
                return Program.UsageError;
            }

            return JoinRunner.Run(settings, bindAddress, peerEndPoints);
        });
        Configuration.CommandExamples.Add(command, "meshconf join session1 --name darker", "meshconf join session1 --name darker --peer 192.168.1.20:45000", "meshconf join session1 --render quadrant --record call.cast", "meshconf join demo --video pattern --audio tone --no-mdns --peer 127.0.0.1:5000", "MESHCONF_PASSPHRASE=letmein meshconf join team --video camera:/dev/video2 --mute");
        return command;
    }

    private static bool Validate(JoinSettings settings, out IPAddress bindAddress, out List<IPEndPoint> peers, out string problem)
    {
        bindAddress = IPAddress.Any;
        peers = [];
        problem = string.Empty;
        if (!ValidText(settings.Session, "session", out problem) || !ValidText(settings.Name, "name", out problem))
        {
            return false;
        }

        if (settings.Record is { } recording && (settings.Headless || recording.Length == 0))
        {
            problem = settings.Headless ? "--record needs the call screen: it records what the terminal shows, and --headless shows nothing" : "--record needs a file name, e.g. call.cast";
            return false;
        }

        // The option validators have checked every single value by now.
        if (settings.Bind is { } bind)
        {
            bindAddress = IPAddress.Parse(bind);
        }

        foreach (var text in settings.PeerTexts)
        {
            if (!PeerAddress.TryParse(text, out var endPoint, out var error))
            {
                problem = "--peer " + error;
                return false;
            }

            peers.Add(endPoint!);
        }

        return true;
    }

    private static void Check<T>(Option<T> option, Func<T, string?> problem) => option.Validators.Add(result =>
    {
        if (problem(result.GetValueOrDefault<T>()) is { } error)
        {
            result.AddError(error);
        }
    });

    private static bool TryParseTile(string text, out int cols, out int rows)
    {
        cols = rows = 0;
        var parts = text.Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out cols)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out rows)
            && cols is >= 1 and <= 400 && rows is >= 1 and <= 200;
    }

    private static bool ValidText(string text, string what, out string problem)
    {
        problem = string.Empty;
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (string.IsNullOrWhiteSpace(text) || bytes > 64 || text.Any(char.IsControl))
        {
            problem = $"the {what} '{text}' must be 1 to 64 bytes of printable text";
            return false;
        }

        return true;
    }
}
