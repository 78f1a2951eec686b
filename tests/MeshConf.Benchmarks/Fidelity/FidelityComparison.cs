using System.Globalization;
using MeshConf.Core.Video;
using MeshConf.Core.Video.Quality;
using MeshConf.TestSupport;

namespace MeshConf.Benchmarks.Fidelity;

/// <summary>
/// <c>fidelity</c>: our converter against chafa on the committed corpus, per cell mode with comparable symbol
/// sets, on the same cell grids. Both sides' cells are drawn by <see cref="CellRasterizer"/> (DejaVu Sans Mono
/// 8x16, white on black for mono) and compared with the source picture resized to the raster (ffmpeg, area) by
/// luma SSIM (<see cref="Ssim"/>, Gaussian 11 x 11, σ 1.5, Rec. 709 luma). Times are CPU time per frame on one
/// thread: ours over every frame converted several times (the thread's getrusage), chafa's without its start-up
/// (see <see cref="Chafa"/>).
/// Prints one markdown table.
/// </summary>
/// <remarks>
/// Cases: every clip at 80x30 (a 4:3 picture in cells twice as tall as wide), the same picture shrunk to half in
/// each direction in the middle of a grey wall (a face far from the camera), and a small tile of 40x15.
/// A mode is one line of <see cref="Modes"/>.
/// </remarks>
internal static class FidelityComparison
{
    private const int Width = 320;
    private const int Height = 240;

    private sealed record Mode(string Name, CellMode Ours, string[] ChafaArguments);

    private sealed record Case(string Name, int Cols, int Rows, bool Far);

    private static readonly Mode[] Modes =
    [
        new("mono", CellMode.Mono, ["--symbols", "ascii", "--colors", "none"]),
        new("coloured glyphs", CellMode.GlyphColor, ["--symbols", "ascii", "--fg-only", "--colors", "full"]),
        new("half blocks, truecolor", CellMode.TrueColor, ["--symbols", "hhalf", "--colors", "full"]),
        new("half blocks, 256 colours", CellMode.Ansi256, ["--symbols", "hhalf", "--colors", "256"]),
        new("quadrants", CellMode.Quadrant, ["--symbols", "quad", "--colors", "full"]),
        new("sextants", CellMode.Sextant, ["--symbols", "sextant", "--colors", "full"]),
    ];

    private static readonly Case[] Cases =
    [
        new("80x30", 80, 30, Far: false),
        new("80x30, far face", 80, 30, Far: true),
        new("40x15 tile", 40, 15, Far: false),
    ];

    public static int Run(string[] args)
    {
        var clips = Option(args, "--clips")?.Split(',') ?? [.. VideoCorpus.Clips];
        var framesPerClip = int.Parse(Option(args, "--frames") ?? "12", CultureInfo.InvariantCulture);
        var runs = int.Parse(Option(args, "--runs") ?? "2", CultureInfo.InvariantCulture);
        var only = Option(args, "--modes")?.Split(',');
        var chafa = args.Contains("--ours-only") ? null : Chafa.Find();
        if (chafa is null && !args.Contains("--ours-only"))
        {
            Console.Error.WriteLine("chafa is not on PATH (apt install chafa): showing our figures only");
        }

        var modes = Modes.Where(m => only is null || only.Contains(m.Ours.ToString(), StringComparer.OrdinalIgnoreCase)).ToArray();
        var folder = Directory.CreateTempSubdirectory("meshconf-fidelity-");
        try
        {
            Console.WriteLine($"Corpus clips {string.Join(", ", clips)}, {framesPerClip} frames each at {Width}x{Height}; luma SSIM of the drawn cells (DejaVu Sans Mono 8x16) against the source resized to the raster.");
            Console.WriteLine();
            Console.WriteLine("| case | mode | SSIM ours | SSIM chafa | µs/frame ours | µs/frame chafa |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var @case in Cases)
            {
                var input = new List<(string Clip, byte[] Frame)>();
                var reference = new List<byte[]>();
                var rasterWidth = CellRasterizer.WidthOf(@case.Cols);
                var rasterHeight = CellRasterizer.HeightOf(@case.Rows);
                foreach (var clip in clips)
                {
                    var frames = VideoCorpus.Decode(clip, Width, Height).Frames;
                    var big = VideoCorpus.Decode(clip, rasterWidth, rasterHeight).Frames;
                    var step = Math.Max(1, frames.Count / framesPerClip);
                    for (var i = 0; i < frames.Count && i / step < framesPerClip; i += step)
                    {
                        input.Add((clip, @case.Far ? FarAway(frames[i], Width, Height) : frames[i]));
                        reference.Add(Luma(@case.Far ? FarAway(big[i], rasterWidth, rasterHeight) : big[i]));
                    }
                }

                var files = new List<string>();
                for (var i = 0; i < input.Count; i++)
                {
                    var path = Path.Combine(folder.FullName, $"{i:D4}.png");
                    PngFile.Write(path, input[i].Frame, Width, Height);
                    files.Add(path);
                }

                var ssim = new Ssim(rasterWidth, rasterHeight);
                foreach (var mode in modes)
                {
                    var (oursSsim, oursMicroseconds) = Ours(mode, @case, input, reference, ssim);
                    var chafaSsim = "–";
                    var chafaMicroseconds = "–";
                    if (chafa is not null)
                    {
                        var (pictures, microseconds) = Chafa.Convert(chafa, files, @case.Cols, @case.Rows, mode.ChafaArguments, runs);
                        chafaSsim = Theirs(pictures, reference, ssim).ToString("F4", CultureInfo.InvariantCulture);
                        chafaMicroseconds = microseconds.ToString("F0", CultureInfo.InvariantCulture);
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {@case.Name} | {mode.Name} | {oursSsim:F4} | {chafaSsim} | {oursMicroseconds:F0} | {chafaMicroseconds} |"));
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        return 0;
    }

    // Mean SSIM of our cells and our time per frame (one tone tracker per clip, as a stream has).
    private static (double Ssim, double Microseconds) Ours(Mode mode, Case @case, List<(string Clip, byte[] Frame)> input, List<byte[]> reference, Ssim ssim)
    {
        var grid = new CellGrid(@case.Cols, @case.Rows, mode.Ours);
        var raster = new byte[ssim.Width * ssim.Height * 3];
        var luma = new byte[ssim.Width * ssim.Height];
        var trackers = new Dictionary<string, MonoToneTracker>();
        MonoToneTracker TrackerOf(string clip) => trackers.TryGetValue(clip, out var t) ? t : trackers[clip] = new MonoToneTracker();

        double total = 0;
        for (var i = 0; i < input.Count; i++)
        {
            FrameConverter.Convert(new RgbFrame(input[i].Frame, Width, Height), grid, mirror: false, TrackerOf(input[i].Clip));
            CellRasterizer.Rasterize(grid, raster);
            CellRasterizer.ToLuma(raster, luma);
            total += ssim.Measure(luma, reference[i]);
        }

        // Timing: every frame several times over, after the pass above warmed everything up.
        const int Repeats = 20;
        var started = CpuTime.Thread();
        for (var r = 0; r < Repeats; r++)
        {
            for (var i = 0; i < input.Count; i++)
            {
                FrameConverter.Convert(new RgbFrame(input[i].Frame, Width, Height), grid, mirror: false, TrackerOf(input[i].Clip));
            }
        }

        var microseconds = (CpuTime.Thread() - started).TotalMicroseconds / (Repeats * input.Count);
        return (total / input.Count, microseconds);
    }

    private static double Theirs(List<AnsiCells.Picture> pictures, List<byte[]> reference, Ssim ssim)
    {
        var raster = new byte[ssim.Width * ssim.Height * 3];
        var luma = new byte[ssim.Width * ssim.Height];
        var width = ssim.Width;
        double total = 0;
        for (var i = 0; i < pictures.Count; i++)
        {
            var picture = pictures[i];
            for (var row = 0; row < picture.Rows; row++)
            {
                for (var col = 0; col < picture.Cols; col++)
                {
                    var at = (row * picture.Cols) + col;
                    var glyph = GlyphAtlas.Contains(picture.Glyphs[at]) ? picture.Glyphs[at] : ' ';
                    CellRasterizer.DrawCell(raster, width, col, row, glyph, picture.Foreground[at], picture.Background[at]);
                }
            }

            CellRasterizer.ToLuma(raster, luma);
            total += ssim.Measure(luma, reference[i]);
        }

        return total / pictures.Count;
    }

    // The picture shrunk to half each way (2 x 2 box means) in the middle of a mid-grey wall.
    private static byte[] FarAway(byte[] frame, int width, int height)
    {
        var far = new byte[frame.Length];
        far.AsSpan().Fill(128);
        var (w, h) = (width / 2, height / 2);
        var (left, top) = ((width - w) / 2, (height - h) / 2);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = frame[((((2 * y) * width) + (2 * x)) * 3) + c] + frame[((((2 * y) * width) + (2 * x) + 1) * 3) + c]
                        + frame[((((2 * y) + 1) * width + (2 * x)) * 3) + c] + frame[((((2 * y) + 1) * width + (2 * x) + 1) * 3) + c];
                    far[((((top + y) * width) + left + x) * 3) + c] = (byte)((sum + 2) / 4);
                }
            }
        }

        return far;
    }

    private static byte[] Luma(byte[] rgb)
    {
        var luma = new byte[rgb.Length / 3];
        CellRasterizer.ToLuma(rgb, luma);
        return luma;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
