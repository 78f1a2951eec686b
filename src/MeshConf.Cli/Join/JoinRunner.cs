using System.Net;
using System.Runtime.InteropServices;
using MeshConf.Cli.Call;
using MeshConf.Core.Audio;
using MeshConf.Core.Chat;
using MeshConf.Core.Discovery;
using MeshConf.Core.Video;
using MeshConf.Interop.Enet;
using MeshConf.Interop.Native;
using MeshConf.Node;
using MeshConf.Node.Audio;
using MeshConf.Node.Chat;
using MeshConf.Node.Discovery;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;
using MeshConf.Node.Security;
using MeshConf.Node.Video;
using MeshConf.Node.Voice;
using MeshConf.Terminal;
using MeshConf.Terminal.Recording;

namespace MeshConf.Cli.Join;

/// <summary>The composition root of `join`: identity, transport, mesh, reporter, and a clean leave.</summary>
internal static class JoinRunner
{
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    // The call screen follows who speaks more often than the stats come, so the highlight keeps up with speech.
    private static readonly TimeSpan SpeakerInterval = TimeSpan.FromMilliseconds(200);

    public static int Run(JoinSettings settings, IPAddress bind, IReadOnlyList<IPEndPoint> peers)
    {
        var configDir = settings.ConfigDir ?? ConfigDirectory.Resolve(Environment.GetEnvironmentVariable);
        IdentityKey identity;
        KnownPeers knownPeers;
        try
        {
            identity = IdentityStore.LoadOrCreate(configDir, out var created);
            if (created)
            {
                Console.Error.WriteLine($"meshconf: created identity key {IdentityStore.PathIn(configDir)}");
            }

            knownPeers = KnownPeers.Load(KnownPeers.PathIn(configDir));
        }
        catch (IdentityException exception)
        {
            Console.Error.WriteLine($"meshconf: {exception.Message}");
            return 1;
        }

        using (identity)
        {
            EnetTransport transport;
            try
            {
                transport = EnetTransport.Start(new EnetTransportOptions
                {
                    BindAddress = bind,
                    Port = settings.Port,
                    PeerTimeout = TimeSpan.FromSeconds(settings.PeerTimeout),
                });
            }
            catch (EnetException)
            {
                // The binding's message names enet_host_create; a user wants to know what to do instead.
                Console.Error.WriteLine($"meshconf: cannot listen on UDP {bind}:{settings.Port}: the port is in use, or the address is not this machine's (--port 0 picks a free port)");
                return 1;
            }

            using (transport)
            {
                return RunNode(settings, transport, identity, knownPeers, peers);
            }
        }
    }

    private static int RunNode(JoinSettings settings, EnetTransport transport, IdentityKey identity, KnownPeers knownPeers, IReadOnlyList<IPEndPoint> peers)
    {
        using var stop = new CancellationTokenSource();
        var stopReason = "duration";
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stopReason = context.Signal == PosixSignal.SIGTERM ? "sigterm" : "sigint";
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        if (settings.Duration is { } seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        // A bug on one of the call's threads ends the call as leaving does (goodbyes, threads stopped, the terminal
        // given back), then says in one line what broke.
        var faults = new ThreadFaults();
        faults.Faulted += _ =>
        {
            stopReason = "fault";
            stop.Cancel();
        };

        using var node = new MeshNode(transport, new MeshNodeOptions
        {
            Session = settings.Session,
            Name = settings.Name,
            Identity = identity,
            KnownPeers = knownPeers,
            Passphrase = settings.Passphrase,
            Peers = peers,
        });

        // The terminal is taken over only when both ends of it are one; otherwise plain lines (or JSON).
        // The render choice is made, and its warning printed, before the screen is taken over: a notice on the
        // call screen would soon give way to the next one.
        var capabilities = settings.Headless ? null : TerminalCapabilities.DetectCurrent();
        var drawsCall = capabilities is { IsTerminal: true } && !Console.IsInputRedirected;
        var render = ParseRender(settings.Render) ?? RenderMode.Auto;
        string? renderWarning = null;
        render = drawsCall ? capabilities!.ChooseRender(render, out renderWarning) : render == RenderMode.Auto ? RenderMode.HalfBlock : render;
        if (renderWarning is not null)
        {
            Console.Error.WriteLine($"meshconf: {renderWarning}");
        }

        var terminal = drawsCall ? TryStartTerminal() : null;
        var colors = ParseColor(settings.Color) ?? (terminal is null || capabilities is null ? CellMode.TrueColor : ToCellMode(capabilities.Colors));
        var mode = PictureMode(colors, render);
        var request = new VideoRequest((ushort)settings.TileCols, (ushort)settings.TileRows, mode);
        var spec = VideoSourceSpec.TryParse(settings.Video, out var parsed, out _) ? parsed : new VideoSourceSpec(VideoSourceKind.None);
        var source = FrameSourceFactory.System.Create(spec, settings.Name, settings.Fps, TimeProvider.System, out var videoNotice, faults);
        using var video = new VideoCall(node, source, settings.Fps, request, TimeProvider.System, settings.VideoKbps, faults);
        using var voice = CreateVoice(settings, node, faults, out var audioNotices);
        var chat = new ChatRoom(node, TimeProvider.System);
        var controls = new CallControls(voice, video, chat, settings.Name, stop);
        CallScreen? screen = null;
        IDisposable? quietStderr = null;
        AsciicastRecorder? recorder = null;
        IJoinReporter reporter;
        if (settings.Record is { } recordPath && terminal is not null)
        {
            if (!terminal.TryGetSize(out var cols, out var rows))
            {
                (cols, rows) = (80, 24);
            }

            try
            {
                recorder = AsciicastRecorder.Create(recordPath, cols, rows, TimeProvider.System, $"meshconf: {settings.Session}", AsciicastRecorder.TerminalEnvironment());
            }
            catch (IOException exception)
            {
                terminal.Dispose();
                Console.Error.WriteLine($"meshconf: {exception.Message}");
                return 1;
            }
        }

        if (settings.Headless)
        {
            reporter = new JsonLinesReporter(Console.OpenStandardOutput());
        }
        else if (terminal is not null)
        {
            var state = new CallState(settings.Session, settings.Name, node.Fingerprint.Short, mode, video.Sender is not null, TimeProvider.System)
            {
                TerminalColors = ToColorMode(colors),
            };
            screen = new CallScreen(terminal, state, video, controls, recorder, stop, faults);
            // Native libraries (ALSA under PortAudio, say) write straight to fd 2: not over the picture.
            quietStderr = NativeStderr.SilenceUntilDisposed();
            if (video.Sender is { } sender)
            {
                sender.Captured = screen.OnCaptured;
            }

            reporter = screen;
        }
        else
        {
            Console.Error.WriteLine("meshconf: not a terminal, so no call screen: plain text follows (--headless prints JSON lines)");
            reporter = new TextReporter(Console.Out, Console.Error);
            if (settings.Record is not null)
            {
                reporter.Notice("--record: not a terminal, so there is no call screen to record");
            }
        }

        controls.Reporter = reporter;
        chat.Received = (peer, line) => reporter.Chat(peer, NameOf(node, peer), line);
        node.MessageReceived = (peer, channel, type, payload) =>
        {
            if (type == ChatMessageType.Line)
            {
                chat.OnMessage(peer, channel, payload);
            }
            else if (type >= AudioMessageType.Frame)
            {
                voice.OnMessage(peer, channel, type, payload);
            }
            else
            {
                video.OnMessage(peer, channel, type, payload);
            }
        };
        foreach (var notice in audioNotices)
        {
            reporter.Notice(notice);
        }

        video.Receiver.SourceStateChanged = reporter.VideoSource;
        if (renderWarning is not null)
        {
            reporter.Notice(renderWarning);
        }

        if (videoNotice is not null)
        {
            reporter.Notice(videoNotice);
        }

        if (settings.VideoTrace)
        {
            if (video.Sender is { } sender)
            {
                sender.FrameSent = reporter.VideoSent;
            }

            video.Receiver.FrameDecoded = (peer, header, _) => reporter.VideoDecoded(peer, header);
        }

        try
        {
            node.Start();
            video.Start();
            voice.Start();
            screen?.Start();
            reporter.Ready(node);
            using var discovery = settings.Mdns ? StartDiscovery(settings, node, reporter) : null;
            if (screen is null)
            {
                StartCommandReader(controls, reporter, faults);
            }

            var events = Task.Run(async () =>
            {
                try
                {
                    await foreach (var meshEvent in node.Events.ReadAllAsync().ConfigureAwait(false))
                    {
                        video.OnEvent(meshEvent);
                        voice.OnEvent(meshEvent);
                        chat.OnEvent(meshEvent);
                        reporter.Event(meshEvent);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    faults.Report("meshconf-events", exception);
                }
            });

            var interval = screen is null ? StatsInterval : SpeakerInterval;
            var ticks = 0;
            while (!stop.Token.WaitHandle.WaitOne(interval))
            {
                if (screen is not null && ++ticks % (int)(StatsInterval / SpeakerInterval) != 0)
                {
                    var linked = node.GetPeers();
                    var voiceNow = linked.ToDictionary(p => p.NodeId, p => voice.GetStats(p.NodeId));
                    screen.Speakers(linked, id => voiceNow.GetValueOrDefault(id), controls.Muted, voice.Speaking);
                    continue;
                }

                // Gather everything first: the reporter must not call back into locked components while it writes.
                var members = node.GetPeers();
                var videoStats = members.ToDictionary(p => p.NodeId, p => video.Receiver.GetStats(p.NodeId) is { } received ? received with { Sent = video.Sender?.GetSendStats(p.NodeId) } : null);
                var voiceStats = members.ToDictionary(p => p.NodeId, p => voice.GetStats(p.NodeId));
                voice.Tick();
                video.Receiver.Tick();
                reporter.Stats(node, members, id => videoStats.GetValueOrDefault(id),
                    new AudioSnapshot(id => voiceStats.GetValueOrDefault(id), voice.LatencyP50Ms, voice.PacketsSent, voice.Muted, voice.Speaking, voice.CanSpeak));
            }

            // q on the call screen, or leave on a headless node's stdin.
            stopReason = controls.LeaveReason ?? stopReason;

            // Goodbye on the LAN (peers forget this node's records at once), then Bye to everyone; disposing the
            // transport (by the caller) flushes it onto the wire.
            discovery?.Dispose();
            node.Leave();
            screen?.Dispose();
            recorder?.Dispose();
            quietStderr?.Dispose();
            video.Dispose();
            voice.Dispose();
            node.Dispose();
            events.Wait(TimeSpan.FromSeconds(1));
            reporter.Stopped(stopReason);
            if (faults.First is { } fault)
            {
                screen?.Dispose();
                terminal?.Dispose();
                Console.Error.WriteLine($"meshconf: {fault.Describe()}");
                if (Environment.GetEnvironmentVariable("MESHCONF_DEBUG") == "1")
                {
                    Console.Error.WriteLine(fault.Exception);
                }

                return 1;
            }

            if (screen is not null)
            {
                Console.Out.WriteLine($"left session '{settings.Session}' ({stopReason})");
                if (recorder is not null)
                {
                    Console.Out.WriteLine(recorder.Failure is { } failure
                        ? $"the recording {settings.Record} stopped early: {failure.Message}"
                        : $"recorded to {settings.Record} (asciinema play {settings.Record})");
                }
            }

            return 0;
        }
        finally
        {
            // Every way out gives the terminal back (and stderr with it); Dispose is idempotent.
            screen?.Dispose();
            recorder?.Dispose();
            quietStderr?.Dispose();
            terminal?.Dispose();
        }
    }

    private static string NameOf(MeshNode node, ulong peerId) =>
        node.GetPeers().FirstOrDefault(p => p.NodeId == peerId)?.Name ?? NodeIds.Format(peerId);

    /// <summary>
    /// Without the call screen, stdin takes commands a line each (chat, mute, video off, leave: see
    /// <see cref="HeadlessCommand"/>), so bots and tests can drive a call. End of input just ends the reading.
    /// </summary>
    private static void StartCommandReader(CallControls controls, IJoinReporter reporter, ThreadFaults faults)
    {
        faults.Start("meshconf-commands", () =>
        {
            try
            {
                while (Console.In.ReadLine() is { } line)
                {
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }

                    if (!HeadlessCommand.TryParse(line, out var command, out var problem))
                    {
                        reporter.Command(line.Trim().Split(' ')[0], problem);
                        continue;
                    }

                    reporter.Command(command.Kind.ToString().ToLowerInvariant(), controls.Run(command));
                }
            }
            catch (IOException)
            {
                // stdin went away: no more commands.
            }
        });
    }

    /// <summary>
    /// Publishes this node on the LAN and dials every node of the same session that shows up (the mesh ignores one
    /// it is already linked with). mDNS that cannot run here is a notice; the call goes on with --peer links.
    /// </summary>
    private static DiscoveryService? StartDiscovery(JoinSettings settings, MeshNode node, IJoinReporter reporter)
    {
        var ownId = NodeIds.Format(node.NodeId);
        try
        {
            var advert = new DiscoveryAdvert(settings.Name, ownId, settings.Session, node.Fingerprint.Short, (ushort)node.LocalEndPoint.Port);
            var discovery = DiscoveryService.Start(advert, settings.Interface);
            discovery.Changed += change =>
            {
                reporter.Discovered(change);
                var service = change.Service;
                if (change.Kind != ServiceChangeKind.Removed && change.EndPoint is { } endPoint
                    && service.SessionId == settings.Session && service.NodeId != ownId && service.ProtocolVersion == Mdns.ProtocolVersion)
                {
                    node.AddPeer(endPoint, DialSource.Discovered);
                }
            };
            return discovery;
        }
        catch (MdnsUnavailableException e)
        {
            reporter.Notice(e.Notice);
            return null;
        }
    }

    /// <summary>
    /// The audio of the call: microphone (or file, tone, nothing) in, speaker (or file, nothing) out, and the capture
    /// processor. Echo cancellation and noise suppression run only on a real microphone (and echo cancellation only
    /// with a real speaker too); voice activity is detected on every input. Missing pieces become notices.
    /// </summary>
    private static VoiceCall CreateVoice(JoinSettings settings, MeshNode node, ThreadFaults faults, out List<string> notices)
    {
        notices = [];
        var frameSamples = AudioPacketHeader.SampleRate / 1000 * settings.AudioFrameMs;
        var inputSpec = AudioDeviceSpec.TryParseInput(settings.Audio, out var parsedIn, out _) ? parsedIn : new AudioDeviceSpec(AudioSpecKind.None);
        var outputSpec = AudioDeviceSpec.TryParseOutput(settings.AudioOut, out var parsedOut, out _) ? parsedOut : new AudioDeviceSpec(AudioSpecKind.None);
        var input = AudioIoFactory.System.CreateInput(inputSpec, settings.Mic, frameSamples, TimeProvider.System, out var inputNotice);
        var output = AudioIoFactory.System.CreateOutput(outputSpec, settings.Speaker, frameSamples, TimeProvider.System, out var outputNotice);
        notices.AddRange(new[] { inputNotice, outputNotice }.OfType<string>());
        CaptureProcessor? processor = null;
        if (input is not null)
        {
            var echo = CaptureProcessor.EchoCancellationByDefault(input, output, settings.NoAec);
            processor = CaptureProcessor.TryCreate(frameSamples, echo, noiseSuppression: input.IsDevice, out var processorNotice);
            if (processorNotice is not null)
            {
                notices.Add(processorNotice);
            }
        }

        return new VoiceCall(node, input, output, processor, new VoiceOptions
        {
            FrameSamples = frameSamples,
            VariableBitrate = settings.AudioVbr,
            Muted = settings.Mute,
        }, TimeProvider.System, faults);
    }

    /// <summary>
    /// Takes over the terminal for the call screen, or returns null when stdin or stdout is not one. .NET's own
    /// console layer is initialised first (the size query does it), so the settings it saves and puts back at
    /// exit are the user's, never our raw mode.
    /// </summary>
    private static TerminalSession? TryStartTerminal()
    {
        Console.Out.Flush();
        return TerminalSession.TryStart(0, Console.OpenStandardOutput());
    }

    private static CellMode ToCellMode(ColorMode colors) => colors switch
    {
        ColorMode.TrueColor => CellMode.TrueColor,
        ColorMode.Ansi256 => CellMode.Ansi256,
        ColorMode.Ansi16 => CellMode.Ansi16,
        _ => CellMode.Mono,
    };

    private static ColorMode ToColorMode(CellMode colors) => colors switch
    {
        CellMode.TrueColor => ColorMode.TrueColor,
        CellMode.Ansi256 => ColorMode.Ansi256,
        CellMode.Ansi16 => ColorMode.Ansi16,
        _ => ColorMode.Mono,
    };

    /// <summary>
    /// The cell mode pictures are asked for and drawn in, from the colours (a `--color` cell mode) and the render
    /// mode: mono whatever the rendering; half blocks in the colours' own mode; the block and glyph modes carry
    /// 24-bit colours, which the compositor quantizes to the terminal's at output.
    /// </summary>
    public static CellMode PictureMode(CellMode colors, RenderMode render) => colors == CellMode.Mono
        ? CellMode.Mono
        : render switch
        {
            RenderMode.Quadrant => CellMode.Quadrant,
            RenderMode.Sextant => CellMode.Sextant,
            RenderMode.Glyph => CellMode.GlyphColor,
            _ => colors,
        };

    /// <summary>The render mode for a `--render` value, or null when it names none.</summary>
    public static RenderMode? ParseRender(string text) => text switch
    {
        "auto" => RenderMode.Auto,
        "halfblock" => RenderMode.HalfBlock,
        "quadrant" => RenderMode.Quadrant,
        "sextant" => RenderMode.Sextant,
        "glyph" => RenderMode.Glyph,
        _ => null,
    };

    /// <summary>The cell mode for a `--color` value, or null when it names none.</summary>
    public static CellMode? ParseColor(string text) => text switch
    {
        "truecolor" or "24bit" => CellMode.TrueColor,
        "256" => CellMode.Ansi256,
        "16" => CellMode.Ansi16,
        "mono" => CellMode.Mono,
        _ => null,
    };
}
