using MeshConf.Core.Chat;
using MeshConf.Core.Layout;
using MeshConf.Core.Text;
using MeshConf.Core.Video;
using MeshConf.Terminal;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;

namespace MeshConf.Cli.Call;

/// <summary>
/// What the call screen shows, shared between the threads that change it (mesh events, decoded frames, the
/// capture thread's self-view) and the render thread that draws it. Pictures are copied in under the lock and
/// overwritten by newer ones, so a slow terminal skips frames rather than queueing them. Whatever a peer chose
/// (its name, its chat, a refusal's reason) is sanitised on the way in: shown inert, one column per char.
/// </summary>
internal sealed class CallState
{
    private static readonly TimeSpan NoticeLifetime = TimeSpan.FromSeconds(8);

    // Chat lines stay in the strip this long (all of the last few stay while typing).
    private static readonly TimeSpan ChatLifetime = TimeSpan.FromSeconds(30);

    private static readonly CellMode[] HalfBlockCycle = [CellMode.TrueColor, CellMode.Ansi256, CellMode.Ansi16, CellMode.Mono];

    // What key c cycles through: the half-block modes, or after a block or glyph rendering (`--render`) that one,
    // then truecolor half blocks (to compare), then mono.
    private readonly CellMode[] _modeCycle;

    private readonly Lock _gate = new();
    private readonly List<Participant> _peers = [];
    private readonly Participant _self;
    private readonly TimeProvider _time;
    private readonly string _session;
    private readonly string _fingerprint;
    private readonly ChatLog _chat = new();
    private string? _notice;
    private long _noticeAt;
    private int _version;
    private ulong? _featured;
    private ChatInput? _input;
    private IReadOnlyList<PeerStatsRow> _stats = [];

    public CallState(string session, string name, string fingerprint, CellMode mode, bool selfHasVideo, TimeProvider time)
    {
        _session = session;
        _fingerprint = fingerprint;
        _time = time;
        Mode = mode;
        _modeCycle = mode is CellMode.Quadrant or CellMode.Sextant or CellMode.GlyphColor ? [mode, CellMode.TrueColor, CellMode.Mono] : HalfBlockCycle;
        _self = new Participant(0, SafeText.Sanitize(name, ChatLog.MaxNameChars)) { Source = selfHasVideo ? VideoSourceState.Starting : VideoSourceState.Off };
    }

    /// <summary>The colours the terminal shows, which the block and glyph modes are quantized to as they are drawn.</summary>
    public ColorMode TerminalColors { get; init; } = ColorMode.TrueColor;

    /// <summary>The colour mode pictures are asked for and drawn in (key c cycles it).</summary>
    public CellMode Mode { get; private set; }

    /// <summary>Grid, or the active speaker large (key l).</summary>
    public LayoutMode Layout { get; private set; } = LayoutMode.Grid;

    /// <summary>Your own view beside others: a picture-in-picture inset, or hidden (key p). Alone, it fills the screen.</summary>
    public SelfViewMode SelfView { get; private set; } = SelfViewMode.Inset;

    /// <summary>The box over the tiles: none, the keys (?) or the statistics (s).</summary>
    public CallOverlay Overlay { get; private set; }

    /// <summary>Shown in the status line while the call is being recorded.</summary>
    public bool Recording { get; set; }

    /// <summary>Bumped on every change; the render thread redraws when it moved.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Raised after every change (the render thread's wake-up).</summary>
    public Action? Changed { get; set; }

    /// <summary>
    /// The self-view's picture size from the last layout: the inset's, the whole screen's when alone, 0 x 0 before
    /// the first layout and while the self-view shows no picture (hidden, or its label alone).
    /// </summary>
    public (int Cols, int Rows) SelfSize { get; private set; }

    public void AddPeer(ulong id, string name)
    {
        lock (_gate)
        {
            if (_peers.Exists(p => p.Id == id))
            {
                return;
            }

            _peers.Add(new Participant(id, SafeText.Sanitize(name, ChatLog.MaxNameChars)));
        }

        Touch();
    }

    public void RemovePeer(ulong id)
    {
        lock (_gate)
        {
            _peers.RemoveAll(p => p.Id == id);
        }

        Touch();
    }

    /// <summary>A peer's decoded frame: copied, so the decoder may reuse its grid at once.</summary>
    public void SetPicture(ulong id, CellGrid grid)
    {
        lock (_gate)
        {
            var peer = _peers.Find(p => p.Id == id);
            if (peer is null)
            {
                return;
            }

            peer.Adopt(grid);
        }

        Touch();
    }

    /// <summary>
    /// The next picture mode (truecolor, 256, 16, mono, and round again; or the chosen block or glyph mode, truecolor
    /// half blocks, mono); peers are asked for it at the next render.
    /// </summary>
    public CellMode CycleMode()
    {
        lock (_gate)
        {
            Mode = _modeCycle[(Array.IndexOf(_modeCycle, Mode) + 1) % _modeCycle.Length];
        }

        Touch();
        return Mode;
    }

    public LayoutMode ToggleLayout()
    {
        lock (_gate)
        {
            Layout = Layout == LayoutMode.Grid ? LayoutMode.Speaker : LayoutMode.Grid;
        }

        Touch();
        return Layout;
    }

    /// <summary>Shows or hides the self-view inset; hidden, your picture is not even converted.</summary>
    public SelfViewMode ToggleSelfView()
    {
        lock (_gate)
        {
            SelfView = SelfView == SelfViewMode.Inset ? SelfViewMode.Hidden : SelfViewMode.Inset;
        }

        Touch();
        return SelfView;
    }

    /// <summary>Shows <paramref name="overlay"/>, or hides it when it is already shown.</summary>
    public void ToggleOverlay(CallOverlay overlay)
    {
        lock (_gate)
        {
            Overlay = Overlay == overlay ? CallOverlay.None : overlay;
        }

        Touch();
    }

    /// <summary>The line being typed (null: not typing).</summary>
    public void SetInput(ChatInput? input)
    {
        lock (_gate)
        {
            _input = input;
        }

        Touch();
    }

    /// <summary>A chat line, a peer's or our own; sanitised and kept (the strip shows the latest).</summary>
    public void AddChat(string from, string text, bool isOwn)
    {
        if (_chat.Add(new ChatEntry(from, text, isOwn, _time.GetUtcNow())) is not null)
        {
            Touch();
        }
    }

    /// <summary>The statistics overlay's rows, one per peer (names as given; they are sanitised here).</summary>
    public void SetStats(IReadOnlyList<PeerStatsRow> rows)
    {
        lock (_gate)
        {
            _stats = [.. rows.Select(r => r with { Name = SafeText.Sanitize(r.Name, ChatLog.MaxNameChars) })];
        }

        if (Overlay == CallOverlay.Stats)
        {
            Touch();
        }
    }

    /// <summary>What a peer says its source does (live, off, camera lost).</summary>
    public void SetPeerSource(ulong id, VideoSourceState state)
    {
        bool changed;
        lock (_gate)
        {
            var peer = _peers.Find(p => p.Id == id);
            changed = peer is not null && peer.Source != state;
            if (changed)
            {
                peer!.Source = state;
            }
        }

        if (changed)
        {
            Touch();
        }
    }

    /// <summary>
    /// The self-view: <paramref name="converted"/> (already mirrored, at <see cref="SelfSize"/>) is swapped in and
    /// the previous picture handed back for the next conversion, so the capture thread never allocates.
    /// </summary>
    public CellGrid? SwapSelfPicture(CellGrid converted)
    {
        CellGrid? old;
        lock (_gate)
        {
            old = _self.Picture;
            _self.Picture = converted;
        }

        Touch();
        return old;
    }

    public void SetSelfSource(VideoSourceState state)
    {
        lock (_gate)
        {
            if (_self.Source == state)
            {
                return;
            }

            _self.Source = state;
        }

        Touch();
    }

    /// <summary>
    /// What a peer's audio does: muted (it says so), speaking (its voice is heard now) and how loud. The loudest
    /// speaking peer is the active speaker (highlighted), and stays featured in the speaker layout until another speaks.
    /// </summary>
    public void SetPeerAudio(ulong id, bool muted, bool speaking, double levelDbfs = double.NegativeInfinity)
    {
        bool changed;
        lock (_gate)
        {
            var peer = _peers.Find(p => p.Id == id);
            changed = peer is not null && (peer.Muted != muted || peer.Speaking != speaking);
            if (peer is not null)
            {
                (peer.Muted, peer.Speaking, peer.Level) = (muted, speaking, levelDbfs);
                if (ActiveSpeakerLocked() is { } active && active.Id != _featured)
                {
                    _featured = active.Id;
                    changed = true;
                }
            }
        }

        if (changed)
        {
            Touch();
        }
    }

    public void SetSelfAudio(bool muted, bool speaking)
    {
        lock (_gate)
        {
            if (_self.Muted == muted && _self.Speaking == speaking)
            {
                return;
            }

            (_self.Muted, _self.Speaking) = (muted, speaking);
        }

        Touch();
    }

    /// <summary>A line of news for the status bar (a peer left, one was refused); fades after a few seconds.</summary>
    public void Notify(string text)
    {
        lock (_gate)
        {
            _notice = SafeText.Sanitize(text, 200);
            _noticeAt = _time.GetTimestamp();
        }

        Touch();
    }

    /// <summary>
    /// Draws everything into <paramref name="screen"/> and returns each peer's picture size in the layout, which
    /// the caller turns into video requests.
    /// </summary>
    public IReadOnlyList<(ulong Id, int Cols, int Rows)> Compose(ScreenBuffer screen)
    {
        lock (_gate)
        {
            var tiles = new List<TileView>(_peers.Count + 1);
            foreach (var peer in _peers)
            {
                tiles.Add(peer.View(isSelf: false));
            }

            tiles.Add(_self.View(isSelf: true));
            var active = ActiveSpeakerLocked();
            var featured = _featured is { } id ? _peers.FindIndex(p => p.Id == id) : -1;
            var view = new CallView(tiles, StatusLine())
            {
                Layout = Layout,
                SelfView = SelfView,
                Featured = featured >= 0 ? featured : 0,
                ActiveSpeaker = active is null ? -1 : _peers.IndexOf(active),
                Chat = ChatStrip(),
                Input = _input,
                Overlay = Overlay,
                Stats = _stats,
                PictureMode = Mode,
                TerminalColors = TerminalColors,
            };
            Span<TileSlot> slots = stackalloc TileSlot[TileLayout.MaxTiles];
            var count = CallCompositor.Compose(screen, view, slots);
            var sizes = new List<(ulong, int, int)>(_peers.Count);
            for (var i = 0; i < _peers.Count && i < count; i++)
            {
                sizes.Add((_peers[i].Id, slots[i].PictureCols, slots[i].PictureRows));
            }

            var selfIndex = tiles.Count - 1;
            SelfSize = selfIndex < count ? (slots[selfIndex].PictureCols, slots[selfIndex].PictureRows) : (0, 0);
            return sizes;
        }
    }

    /// <summary>The loudest peer whose voice is heard now, or null.</summary>
    private Participant? ActiveSpeakerLocked()
    {
        Participant? loudest = null;
        foreach (var peer in _peers)
        {
            if (peer.Speaking && !peer.Muted && (loudest is null || peer.Level > loudest.Level))
            {
                loudest = peer;
            }
        }

        return loudest;
    }

    private List<ChatStripLine> ChatStrip()
    {
        var now = _time.GetUtcNow();
        var lines = new List<ChatStripLine>(CallCompositor.MaxChatRows);
        foreach (var entry in _chat.Last(CallCompositor.MaxChatRows))
        {
            if (_input is not null || now - entry.At < ChatLifetime)
            {
                lines.Add(new ChatStripLine(entry.From, entry.Text, entry.IsOwn));
            }
        }

        return lines;
    }

    private string StatusLine()
    {
        var peers = _peers.Count == 1 ? "1 peer" : $"{_peers.Count} peers";
        var line = $"{_session} | {peers} | ?: keys  q: leave | you: {_self.Name} {_fingerprint}"
            + (_self.Muted ? " (muted)" : string.Empty) + (Recording ? " | REC" : string.Empty);
        if (_notice is { } notice && _time.GetElapsedTime(_noticeAt) < NoticeLifetime)
        {
            line += " | " + notice;
        }

        return line;
    }

    private void Touch()
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke();
    }

    private sealed class Participant(ulong id, string name)
    {
        public ulong Id { get; } = id;

        public string Name { get; } = name;

        public CellGrid? Picture { get; set; }

        public VideoSourceState Source { get; set; } = VideoSourceState.Starting;

        public bool Muted { get; set; }

        public bool Speaking { get; set; }

        public double Level { get; set; } = double.NegativeInfinity;

        public void Adopt(CellGrid grid)
        {
            if (Picture is null || Picture.Cols != grid.Cols || Picture.Rows != grid.Rows || Picture.Mode != grid.Mode)
            {
                Picture = new CellGrid(grid.Cols, grid.Rows, grid.Mode);
            }

            grid.CopyTo(Picture);
        }

        public TileView View(bool isSelf)
        {
            var state = Source switch
            {
                VideoSourceState.Off => TileState.NoVideo,
                VideoSourceState.Lost => TileState.CameraLost,
                _ when Picture is not null => TileState.Live,
                VideoSourceState.Starting when isSelf => TileState.Starting,
                _ => TileState.Connecting,
            };
            return new TileView(Name, state, Picture, IsSelf: isSelf, Muted: Muted, Speaking: Speaking && !Muted);
        }
    }
}
