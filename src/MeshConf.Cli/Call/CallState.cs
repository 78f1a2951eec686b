using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;

namespace MeshConf.Cli.Call;

/// <summary>
/// What the call screen shows, shared between the threads that change it (mesh events, decoded frames, the
/// capture thread's self-view) and the render thread that draws it. Pictures are copied in under the lock and
/// overwritten by newer ones, so a slow terminal skips frames rather than queueing them.
/// </summary>
internal sealed class CallState
{
    private static readonly TimeSpan NoticeLifetime = TimeSpan.FromSeconds(8);

    private readonly Lock _gate = new();
    private readonly List<Participant> _peers = [];
    private readonly Participant _self;
    private readonly TimeProvider _time;
    private readonly string _session;
    private readonly string _fingerprint;
    private string? _notice;
    private long _noticeAt;
    private int _version;

    public CallState(string session, string name, string fingerprint, CellMode mode, bool selfHasVideo, TimeProvider time)
    {
        _session = session;
        _fingerprint = fingerprint;
        _time = time;
        Mode = mode;
        _self = new Participant(0, name) { Source = selfHasVideo ? VideoSourceState.Starting : VideoSourceState.Off };
    }

    /// <summary>The colour mode pictures are asked for and drawn in.</summary>
    public CellMode Mode { get; }

    /// <summary>Bumped on every change; the render thread redraws when it moved.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Raised after every change (the render thread's wake-up).</summary>
    public Action? Changed { get; set; }

    /// <summary>The self-view's picture size from the last layout (0 x 0 before the first one).</summary>
    public (int Cols, int Rows) SelfSize { get; private set; }

    public void AddPeer(ulong id, string name)
    {
        lock (_gate)
        {
            if (_peers.Exists(p => p.Id == id))
            {
                return;
            }

            _peers.Add(new Participant(id, name));
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

    /// <summary>What a peer's audio does: muted (it says so), speaking (its voice is heard now).</summary>
    public void SetPeerAudio(ulong id, bool muted, bool speaking)
    {
        bool changed;
        lock (_gate)
        {
            var peer = _peers.Find(p => p.Id == id);
            changed = peer is not null && (peer.Muted != muted || peer.Speaking != speaking);
            if (changed)
            {
                (peer!.Muted, peer.Speaking) = (muted, speaking);
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
            _notice = text;
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
            var slots = CallCompositor.Compose(screen, tiles, StatusLine());
            var sizes = new List<(ulong, int, int)>(_peers.Count);
            for (var i = 0; i < _peers.Count && i < slots.Length; i++)
            {
                sizes.Add((_peers[i].Id, slots[i].PictureCols, slots[i].PictureRows));
            }

            var selfIndex = tiles.Count - 1;
            SelfSize = selfIndex < slots.Length && selfIndex < TileLayout.MaxTiles
                ? (slots[selfIndex].PictureCols, slots[selfIndex].PictureRows)
                : (0, 0);
            return sizes;
        }
    }

    private string StatusLine()
    {
        var peers = _peers.Count == 1 ? "1 peer" : $"{_peers.Count} peers";
        var line = $"{_session} | {peers} | q: leave  m: mute | you: {_self.Name} {_fingerprint}{(_self.Muted ? " (muted)" : string.Empty)}";
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
