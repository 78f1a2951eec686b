using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MeshConf.Core.Layout;
using MeshConf.Core.Video;
using MeshConf.Terminal.Call;
using MeshConf.Terminal.Screen;

namespace MeshConf.Benchmarks;

/// <summary>
/// The terminal side of a 3-way call on a 200 x 50 terminal: composing the screen (three tiles of the built-in
/// pattern, each at the size its slot fits) and the bytes <see cref="AnsiScreenWriter"/> sends for it, once as a
/// full redraw and once as a typical delta (every tile one frame, 1/15 s, later). The Bytes column is what goes
/// to the terminal per frame: at 15 fps, times 15 per second. <see cref="ComposeBusy"/> is the same screen with
/// everything on it at once: the speaker layout, an active speaker, a chat strip, a line being typed and the
/// statistics box, through the allocation-free overload the call screen uses.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class CompositorBenchmarks
{
    private const int ScreenCols = 200;
    private const int ScreenRows = 50;
    private const string Status = " meshconf  3 peers  15 fps  [m]ute  [v]ideo  [q]uit";

    private ScreenBuffer _before = null!;
    private ScreenBuffer _after = null!;
    private ScreenBuffer _scratch = null!;
    private TileView[] _tiles = null!;
    private ArrayBufferWriter<byte> _output = null!;
    private CallView _busy = null!;
    private TileSlot[] _slots = null!;

    /// <summary>How the pictures are drawn.</summary>
    [Params(CellMode.TrueColor, CellMode.Ansi256, CellMode.Mono)]
    public CellMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_before, _after, _tiles) = Screens(Mode);
        _scratch = new ScreenBuffer(ScreenCols, ScreenRows);
        _output = new ArrayBufferWriter<byte>(ScreenCols * ScreenRows * 48);
        _slots = new TileSlot[TileLayout.MaxTiles];
        _busy = new CallView(_tiles, Status)
        {
            Layout = LayoutMode.Speaker,
            Featured = 1,
            ActiveSpeaker = 1,
            Chat = [new ChatStripLine("alice", "can everyone see the diagram?"), new ChatStripLine("carol", "yes, loud and clear", IsOwn: true), new ChatStripLine("bob", "one moment, sharing it now")],
            Input = new ChatInput("typing a reply to bob", 21),
            Overlay = CallOverlay.Stats,
            Stats = [new PeerStatsRow("alice", 1.4, 0, 40, 35.9, 104.2, 15, "31ee-4225-2785-d047"), new PeerStatsRow("bob", 2.1, 0.4, 60, 36.1, 98.7, 15, "23b8-e6cc-d0cb-f022")],
            PictureMode = Mode,
        };
        Console.WriteLine($"// {Mode}: full redraw {RenderedBytes(null, _after)} B, typical delta {RenderedBytes(_before, _after)} B per frame");
    }

    [Benchmark]
    public int Compose() => CallCompositor.Compose(_scratch, _tiles, Status).Length;

    [Benchmark]
    public int ComposeBusy() => CallCompositor.Compose(_scratch, _busy, _slots);

    [Benchmark]
    public int FullRedraw()
    {
        _output.ResetWrittenCount();
        AnsiScreenWriter.Render(null, _after, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Delta()
    {
        _output.ResetWrittenCount();
        AnsiScreenWriter.Render(_before, _after, _output);
        return _output.WrittenCount;
    }

    // The call screen at a time and 1/15 s later, and the later one's tiles.
    private static (ScreenBuffer Before, ScreenBuffer After, TileView[] Tiles) Screens(CellMode mode)
    {
        var names = new[] { "alice", "bob", "carol" };
        var screen = new ScreenBuffer(ScreenCols, ScreenRows);
        var slots = CallCompositor.Compose(screen, names.Select(name => new TileView(name, TileState.Connecting)).ToArray(), Status);
        var patterns = names.Select(name => new TestPattern(name, PatternFrames.Width, PatternFrames.Height)).ToArray();
        var pictures = slots.Select(slot => FrameConverter.FitGrid(PatternFrames.Width, PatternFrames.Height, slot.PictureCols, slot.PictureRows))
            .Select(size => new CellGrid(size.Cols, size.Rows, mode)).ToArray();
        var tiles = names.Select((name, i) => new TileView(name, TileState.Live, pictures[i], IsSelf: i == 0, Speaking: i == 1)).ToArray();

        ScreenBuffer At(double seconds)
        {
            for (var i = 0; i < patterns.Length; i++)
            {
                PatternFrames.Convert(patterns[i], TimeSpan.FromSeconds(seconds + (0.3 * i)), pictures[i]);
            }

            var result = new ScreenBuffer(ScreenCols, ScreenRows);
            CallCompositor.Compose(result, tiles, Status);
            return result;
        }

        return (At(10.2), At(10.2 + (1 / 15.0)), tiles);
    }

    private static int RenderedBytes(ScreenBuffer? before, ScreenBuffer after) => AnsiScreenWriter.RenderToArray(before, after).Length;

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new FigureColumn("Bytes", "Bytes sent to the terminal for the frame", benchmarkCase =>
        {
            var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
            if (method is nameof(Compose) or nameof(ComposeBusy))
            {
                return "-";
            }

            var (before, after, _) = Screens(Enum.Parse<CellMode>(FigureColumn.Parameter(benchmarkCase, nameof(Mode))));
            return RenderedBytes(method == nameof(FullRedraw) ? null : before, after).ToString(CultureInfo.InvariantCulture);
        }));
    }
}
