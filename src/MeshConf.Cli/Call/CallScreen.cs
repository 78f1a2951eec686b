using System.Buffers;
using MeshConf.Cli.Join;
using MeshConf.Core.Chat;
using MeshConf.Core.Video;
using MeshConf.Node;
using MeshConf.Node.Discovery;
using MeshConf.Node.Mesh;
using MeshConf.Node.Video;
using MeshConf.Node.Voice;
using MeshConf.Terminal;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Input;
using MeshConf.Terminal.Recording;
using MeshConf.Terminal.Screen;
using Microsoft.Win32.SafeHandles;

namespace MeshConf.Cli.Call;

/// <summary>
/// The interactive face of `join`: draws <see cref="CallState"/> on the terminal from its own render thread and
/// reads keys on another. Rendering is paced (at most <see cref="MaxFps"/> screens a second, each one write of
/// only the changed cells); frames that arrive in between replace each other, so nothing queues behind a slow
/// terminal. A resize is noticed on the next render (SIGWINCH wakes it) and the new tile sizes go to the
/// senders as video requests. Keys (shown by ?): m mute, v camera, c colour mode, l layout, p self-view, s statistics, Enter
/// chat, q or Ctrl+C leave. With a recorder, every byte written to the terminal also goes into the recording.
/// </summary>
internal sealed class CallScreen : IJoinReporter, IDisposable
{
    public const int MaxFps = 30;

    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1.0 / MaxFps);

    // Redraw at least this often with nothing new, so notices fade and a missed wake-up heals.
    private static readonly TimeSpan IdleInterval = TimeSpan.FromMilliseconds(500);

    private readonly TerminalSession _terminal;
    private readonly CallState _state;
    private readonly VideoCall _video;
    private readonly CallControls _controls;
    private readonly AsciicastRecorder? _recorder;
    private readonly CancellationTokenSource _stop;
    private readonly ChatLineEditor _editor = new();
    private bool _typing;
    private readonly AutoResetEvent _wake = new(false);
    private readonly ThreadFaults _faults;
    private Thread? _render;
    private Thread? _input;
    private CellGrid? _selfScratch;

    // The self-view's mono contrast window, smoothed frame to frame (a stream of its own; used in mono only).
    private readonly MonoToneTracker _selfTone = new();
    private int _disposed;

    public CallScreen(TerminalSession terminal, CallState state, VideoCall video, CallControls controls, AsciicastRecorder? recorder, CancellationTokenSource stop, ThreadFaults? faults = null)
    {
        _faults = faults ?? new ThreadFaults();
        _terminal = terminal;
        _state = state;
        _video = video;
        _controls = controls;
        _recorder = recorder;
        _stop = stop;
        _state.Recording = recorder is not null;
        _controls.Changed = SyncSelf;
        _state.Changed = () => _wake.Set();
        _terminal.Resized += () => _wake.Set();
        _video.Receiver.FrameDecoded = (peer, _, grid) => _state.SetPicture(peer, grid);
    }

    public void Start()
    {
        _render = _faults.Start("meshconf-render", RenderLoop);
        _input = _faults.Start("meshconf-keys", InputLoop);
    }

    /// <summary>The capture thread's frame, as the user sees themselves: mirrored, at the self tile's size.</summary>
    public void OnCaptured(RgbFrame frame)
    {
        var (cols, rows) = _state.SelfSize;
        if (cols == 0 || rows == 0)
        {
            return;
        }

        if (_selfScratch is null || _selfScratch.Cols != cols || _selfScratch.Rows != rows || _selfScratch.Mode != _state.Mode)
        {
            _selfScratch = new CellGrid(cols, rows, _state.Mode);
        }

        FrameConverter.Convert(frame, _selfScratch, mirror: true, _selfTone);
        _selfScratch = _state.SwapSelfPicture(_selfScratch);
    }

    public void Ready(MeshNode node) => _wake.Set();

    public void Event(MeshEvent meshEvent)
    {
        switch (meshEvent)
        {
            case PeerJoinedEvent joined:
                _state.AddPeer(joined.NodeId, joined.Name);
                _state.Notify($"{joined.Name} joined (fingerprint {joined.Fingerprint.Short})");
                break;
            case PeerLeftEvent left:
                _state.RemovePeer(left.NodeId);
                _state.Notify($"{left.Name} left ({left.Reason})");
                break;
            case RefusedEvent refused:
                _state.Notify($"{refused.Address} refused: {refused.Reason}");
                break;
            case UnreachableEvent unreachable:
                _state.Notify($"{unreachable.Address} unreachable, retrying in {unreachable.RetryIn.TotalSeconds:0} s");
                break;
        }
    }

    /// <summary>Who is muted and who speaks now (several times a second), for the tiles and the active speaker.</summary>
    public void Speakers(IReadOnlyList<MeshPeerInfo> peers, Func<ulong, VoiceStreamStats?> voices, bool selfMuted, bool selfSpeaking)
    {
        foreach (var peer in peers)
        {
            if (voices(peer.NodeId) is { } voice)
            {
                _state.SetPeerAudio(peer.NodeId, voice.Muted, voice.Speaking, voice.LevelDbfs);
            }
        }

        _state.SetSelfAudio(selfMuted, selfSpeaking);
    }

    public void Stats(MeshNode node, IReadOnlyList<MeshPeerInfo> peers, Func<ulong, VideoStreamStats?> video, AudioSnapshot audio)
    {
        Speakers(peers, audio.Peer, audio.Muted || !audio.CanSpeak, audio.Speaking);

        _state.SetStats([.. peers.Select(peer =>
        {
            var link = peer.Link;
            var stream = video(peer.NodeId);
            var voice = audio.Peer(peer.NodeId);
            return new PeerStatsRow(peer.Name, link?.RoundTripMs, link?.LossPercent, voice?.JitterBufferMs, voice?.KbpsIn, stream?.KbpsIn, stream?.FpsIn, peer.Fingerprint.Short);
        })]);

        if (_video.Sender is { } sender)
        {
            _state.SetSelfSource(sender.State);
        }
    }

    public void Notice(string message) => _state.Notify(message);

    public void VideoSource(ulong peerId, VideoSourceState state) => _state.SetPeerSource(peerId, state);

    // The call screen shows members, who appear once linked.
    public void Discovered(DiscoveryEvent discovery)
    {
    }

    public void VideoSent(ulong peerId, VideoFrameHeader header)
    {
    }

    public void VideoDecoded(ulong peerId, VideoFrameHeader header)
    {
    }

    public void Chat(ulong fromId, string fromName, ChatLine line) => _state.AddChat(fromName, line.Text, isOwn: fromId == 0);

    // Commands come from keys here; what they change shows on the screen.
    public void Command(string command, string? problem)
    {
        if (problem is not null)
        {
            _state.Notify(problem);
        }
    }

    public void Stopped(string reason)
    {
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _video.Receiver.FrameDecoded = null;
        _state.Changed = null;
        _wake.Set();
        if (_render is { IsAlive: true })
        {
            _render.Join(TimeSpan.FromSeconds(2));
        }

        // The key reader may sit in read(2) on the terminal; it is a background thread and simply ends with us.
        _terminal.Dispose();
    }

    private void RenderLoop()
    {
        var token = _stop.Token;
        var output = new ArrayBufferWriter<byte>(256 * 1024);
        ScreenBuffer? previous = null;
        ScreenBuffer? current = null;
        var lastRender = long.MinValue;
        while (!token.IsCancellationRequested && Volatile.Read(ref _disposed) == 0)
        {
            _wake.WaitOne(IdleInterval);
            if (lastRender != long.MinValue)
            {
                // Pacing: whatever arrives while we wait is folded into this one render.
                var wait = MinInterval - TimeProvider.System.GetElapsedTime(lastRender);
                if (wait > TimeSpan.Zero && token.WaitHandle.WaitOne(wait))
                {
                    break;
                }
            }

            if (token.IsCancellationRequested || Volatile.Read(ref _disposed) != 0)
            {
                break;
            }

            lastRender = TimeProvider.System.GetTimestamp();
            if (!_terminal.TryGetSize(out var cols, out var rows))
            {
                (cols, rows) = (80, 24);
            }

            if (current is null || current.Cols != cols || current.Rows != rows)
            {
                if (current is not null)
                {
                    _recorder?.Resize(cols, rows);
                }

                current = new ScreenBuffer(cols, rows);
                previous = null;
            }

            foreach (var (peer, pictureCols, pictureRows) in _state.Compose(current))
            {
                _video.Receiver.SetRequest(peer, new VideoRequest((ushort)pictureCols, (ushort)pictureRows, _state.Mode));
            }

            output.ResetWrittenCount();
            AnsiScreenWriter.Render(previous, current, output);
            _terminal.Write(output.WrittenSpan);
            _recorder?.Output(output.WrittenSpan);
            previous ??= new ScreenBuffer(cols, rows);
            (previous, current) = (current, previous);
        }
    }

    /// <summary>A key outside the chat line: the call's controls.</summary>
    private void Press(KeyPress key)
    {
        switch (key)
        {
            case { Kind: KeyKind.Enter }:
                _typing = true;
                _editor.Clear();
                _state.SetInput(new ChatInput(string.Empty, 0));
                break;
            case { Kind: KeyKind.Escape }:
                if (_state.Overlay != CallOverlay.None)
                {
                    _state.ToggleOverlay(_state.Overlay);
                }

                break;
            case { Kind: KeyKind.Character, Character: 'm' or 'M' }:
                Command("mute", _controls.ToggleMute());
                break;
            case { Kind: KeyKind.Character, Character: 'v' or 'V' }:
                var problem = _controls.ToggleVideo();
                Command("video", problem);
                if (problem is null)
                {
                    _state.Notify(_controls.VideoOn ? "camera on" : "camera off: the others see \"no video\"");
                }

                break;
            case { Kind: KeyKind.Character, Character: 'c' or 'C' }:
                _state.Notify("colour: " + _state.CycleMode() switch
                {
                    CellMode.TrueColor => "truecolor",
                    CellMode.Ansi256 => "256 colours",
                    CellMode.Ansi16 => "16 colours",
                    CellMode.Quadrant => "quadrants",
                    CellMode.Sextant => "sextants",
                    CellMode.GlyphColor => "coloured glyphs",
                    _ => "mono",
                });
                break;
            case { Kind: KeyKind.Character, Character: 'l' or 'L' }:
                _state.Notify(_state.ToggleLayout() == Core.Layout.LayoutMode.Grid ? "layout: grid" : "layout: speaker");
                break;
            case { Kind: KeyKind.Character, Character: 'p' or 'P' }:
                _state.Notify(_state.ToggleSelfView() == Core.Layout.SelfViewMode.Hidden ? "self-view hidden (p shows it)" : "self-view shown");
                break;
            case { Kind: KeyKind.Character, Character: 's' or 'S' }:
                _state.ToggleOverlay(CallOverlay.Stats);
                break;
            case { Kind: KeyKind.Character, Character: '?' or 'h' or 'H' }:
                _state.ToggleOverlay(CallOverlay.Help);
                break;
        }
    }

    /// <summary>A key while typing a chat line: Enter sends it, Esc drops it.</summary>
    private void Type(KeyPress key)
    {
        var result = _editor.Feed(key);
        switch (result.Kind)
        {
            case ChatEdit.Submitted:
                _typing = false;
                _state.SetInput(null);
                Command("chat", _controls.Say(result.Line));
                break;
            case ChatEdit.Cancelled:
                _typing = false;
                _state.SetInput(null);
                break;
            case ChatEdit.Changed:
                _state.SetInput(new ChatInput(_editor.Text, _editor.Cursor));
                break;
        }
    }

    /// <summary>Mute and camera as they are now, on our own tile and in the status line.</summary>
    private void SyncSelf()
    {
        _state.SetSelfAudio(_controls.Muted, speaking: false);
        if (_video.Sender is { } sender)
        {
            _state.SetSelfSource(sender.State);
        }
    }

    private void InputLoop()
    {
        var decoder = new KeyDecoder();
        var keys = new List<KeyPress>();
        var buffer = new byte[256];
        try
        {
            using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
            while (!_stop.IsCancellationRequested)
            {
                var read = stdin.Read(buffer);
                if (read <= 0)
                {
                    return; // the terminal went away; SIGHUP handles the rest
                }

                keys.Clear();
                decoder.Feed(buffer.AsSpan(0, read), keys);
                foreach (var key in keys)
                {
                    if (key.IsCtrlC || (!_typing && key is { Kind: KeyKind.Character, Character: 'q' or 'Q' }))
                    {
                        _controls.Leave("quit");
                        return;
                    }

                    if (_typing)
                    {
                        Type(key);
                    }
                    else
                    {
                        Press(key);
                    }
                }
            }
        }
        catch (IOException)
        {
            // The terminal closed under us: nothing more to read.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
