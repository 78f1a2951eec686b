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
        var tile = new Option<string>("--tile") { Description = "Headless: the picture size to ask senders for, COLSxROWS", DefaultValueFactory = _ => "80x40" };
        var color = new Option<string>("--color") { Description = "Colour mode: auto (from COLORTERM, TERM and NO_COLOR; truecolor when headless), truecolor, 256, 16 or mono", DefaultValueFactory = _ => "auto" };
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
        var videoTrace = new Option<bool>("--video-trace") { Description = "Headless: a JSON line per video frame sent and decoded, with its content hash" };
        var command = new Command("join", "Join a session: link with every member, encrypted and authenticated")
        {
            session, name, headless, port, bind, peers, passphrase, duration, peerTimeout, configDir, video, fps, tile, color, videoTrace,
            audio, audioOut, mic, speaker, noAec, audioVbr, audioFrame, mute, noMdns, networkInterface,
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
                Color = parse.GetValue(color)!,
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
            };
            if (!TryParseTile(parse.GetValue(tile)!, out var tileCols, out var tileRows))
            {
                Console.Error.WriteLine($"meshconf: --tile '{parse.GetValue(tile)}' must be COLSxROWS, e.g. 80x40");
                return Program.UsageError;
            }

            settings = settings with { TileCols = tileCols, TileRows = tileRows };

            if (!Validate(settings, out var bindAddress, out var peerEndPoints, out var problem))
            {
                Console.Error.WriteLine($"meshconf: {problem}");
                return Program.UsageError;
            }

            return JoinRunner.Run(settings, bindAddress, peerEndPoints);
        });
        Configuration.CommandExamples.Add(command, "meshconf join session1 --name darker", "meshconf join session1 --name darker --peer 192.168.1.20:45000", "meshconf join demo --video pattern --audio tone --no-mdns --peer 127.0.0.1:5000", "MESHCONF_PASSPHRASE=letmein meshconf join team --video camera:/dev/video2 --mute", "meshconf join bots --headless --duration 60 --video pattern --audio none --audio-out none");
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

        if (settings.Port is < 0 or > 65535)
        {
            problem = $"--port {settings.Port}: must be 0 (any free port) to 65535";
            return false;
        }

        if (settings.Bind is { } bind && (!IPAddress.TryParse(bind, out bindAddress!) || bindAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork))
        {
            problem = $"--bind '{bind}' is not an IPv4 address";
            return false;
        }

        if (settings.Duration is { } seconds && (seconds <= 0 || double.IsNaN(seconds) || seconds > 1e7))
        {
            problem = "--duration must be a positive number of seconds";
            return false;
        }

        if (!Node.Video.VideoSourceSpec.TryParse(settings.Video, out _, out var videoError))
        {
            problem = videoError!;
            return false;
        }

        if (!Node.Audio.AudioDeviceSpec.TryParseInput(settings.Audio, out _, out var audioError)
            || !Node.Audio.AudioDeviceSpec.TryParseOutput(settings.AudioOut, out _, out audioError))
        {
            problem = audioError!;
            return false;
        }

        if (settings.AudioFrameMs is not (10 or 20 or 40))
        {
            problem = $"--audio-frame {settings.AudioFrameMs}: must be 10, 20 or 40 (ms)";
            return false;
        }

        if (settings.Fps is < 1 or > 30)
        {
            problem = $"--fps {settings.Fps}: must be 1 to 30";
            return false;
        }

        if (settings.Color != "auto" && JoinRunner.ParseColor(settings.Color) is null)
        {
            problem = $"--color '{settings.Color}': use auto, truecolor, 256, 16 or mono";
            return false;
        }

        if (settings.PeerTimeout is < 1 or > 600 || double.IsNaN(settings.PeerTimeout))
        {
            problem = "--peer-timeout must be from 1 to 600 seconds";
            return false;
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
