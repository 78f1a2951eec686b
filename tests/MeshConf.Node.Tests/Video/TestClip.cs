using MeshConf.Node.Video;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Video;

/// <summary>
/// A one-second 320x240 15 fps test clip made by ffmpeg's own testsrc in a temporary folder, deleted on dispose.
/// Requires ffmpeg: skips without it on a developer's machine, fails under CI.
/// </summary>
internal sealed class TestClip : IDisposable
{
    private readonly DirectoryInfo _dir;

    private TestClip(string ffmpeg, DirectoryInfo dir, string path)
    {
        Ffmpeg = ffmpeg;
        _dir = dir;
        Path = path;
    }

    public string Ffmpeg { get; }

    public string Path { get; }

    public static string RequireFfmpeg()
    {
        var ffmpeg = FfmpegLocator.Find();
        SystemPiece.Require(ffmpeg is not null, "the program ffmpeg (apt install ffmpeg)");
        return ffmpeg!;
    }

    public static TestClip Make()
    {
        var ffmpeg = RequireFfmpeg();
        var dir = Directory.CreateTempSubdirectory("meshconf-clip-");
        var path = System.IO.Path.Combine(dir.FullName, "clip.mkv");
        var result = ExternalProgram.Run(ffmpeg,
            ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-t", "1", path],
            timeout: TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0 && File.Exists(path), $"ffmpeg could not make the clip: {result.StandardError}");
        return new TestClip(ffmpeg, dir, path);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
