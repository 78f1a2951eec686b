using System.Collections.Concurrent;
using System.Diagnostics;

namespace MeshConf.TestSupport;

/// <summary>
/// The committed real-content clips in tests/corpus (made by scripts/make-corpus.sh, described in its README),
/// decoded by ffmpeg to rgb24 frames of the size a test asks for. Each (clip, size) is decoded once per process
/// and shared. Requires ffmpeg: skips without it on a developer's machine, fails under CI.
/// </summary>
public static class VideoCorpus
{
    private static readonly ConcurrentDictionary<(string Clip, int Width, int Height), Lazy<CorpusClip>> s_decoded = new();

    /// <summary>Every clip's name, in name order.</summary>
    public static IReadOnlyList<string> Clips =>
        [.. Directory.GetFiles(Folder, "*.mp4").Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal)];

    /// <summary>The corpus folder: tests/corpus under the checkout that holds MeshConf.sln.</summary>
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MeshConf.sln")))
                {
                    return Path.Combine(dir.FullName, "tests", "corpus");
                }
            }

            throw new DirectoryNotFoundException($"no MeshConf.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string PathOf(string clip) => Path.Combine(Folder, clip + ".mp4");

    /// <summary>A clip's frames, scaled by ffmpeg to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static CorpusClip Decode(string clip, int width, int height)
    {
        var ffmpeg = SystemPiece.RequireProgram("ffmpeg", "apt install ffmpeg");
        return s_decoded.GetOrAdd((clip, width, height), key => new Lazy<CorpusClip>(() => Run(ffmpeg, key.Clip, key.Width, key.Height))).Value;
    }

    private static CorpusClip Run(string ffmpeg, string clip, int width, int height)
    {
        var path = PathOf(clip);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no corpus clip '{clip}' (run scripts/make-corpus.sh)", path);
        }

        var info = ExternalProgram.StartInfo(ffmpeg,
            ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-vf", $"scale={width}:{height}:flags=area", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"]);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        var errors = process.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not decode {clip}: {errors.Result}");
        }

        var frameBytes = width * height * 3;
        var all = bytes.ToArray();
        var frames = new byte[all.Length / frameBytes][];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = all.AsSpan(i * frameBytes, frameBytes).ToArray();
        }

        return new CorpusClip(clip, width, height, frames);
    }
}

/// <summary>One decoded corpus clip: rgb24 frames, 15 a second, each <c>Width * Height * 3</c> bytes.</summary>
public sealed record CorpusClip(string Name, int Width, int Height, IReadOnlyList<byte[]> Frames)
{
    public const int Fps = 15;
}
