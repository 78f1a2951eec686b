using System.Diagnostics;

namespace MeshConf.Benchmarks.Fidelity;

/// <summary>
/// Runs chafa (symbols output, one thread, no output compression) over picture files and reads its cells back.
/// Its time per picture is CPU time (user + system, from getrusage of the reaped child, so other load on the
/// machine does not count) without its start-up: the best of a few runs over one picture is taken off the best of
/// runs over all of them, and the rest divided by the pictures beyond the first. What remains is chafa's PNG
/// load, its conversion and its output, on one thread.
/// </summary>
internal static class Chafa
{
    public const string Program = "chafa";

    /// <summary>The full path of chafa on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, Program);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>chafa's pictures of <paramref name="files"/> and its microseconds per picture.</summary>
    public static (List<AnsiCells.Picture> Pictures, double MicrosecondsPerPicture) Convert(
        string chafa, IReadOnlyList<string> files, int cols, int rows, IReadOnlyList<string> modeArguments, int runs)
    {
        string output = "";
        var all = double.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var (text, seconds) = Run(chafa, files, cols, rows, modeArguments);
            output = text;
            all = Math.Min(all, seconds);
        }

        var one = double.MaxValue;
        for (var run = 0; run < runs + 1; run++)
        {
            one = Math.Min(one, Run(chafa, files.Take(1).ToList(), cols, rows, modeArguments).Seconds);
        }

        var pictures = AnsiCells.Parse(output, cols, rows);
        if (pictures.Count != files.Count)
        {
            throw new InvalidOperationException($"chafa gave {pictures.Count} pictures for {files.Count} files");
        }

        return (pictures, Math.Max(0, all - one) * 1e6 / Math.Max(1, files.Count - 1));
    }

    private static (string Output, double Seconds) Run(string chafa, IReadOnlyList<string> files, int cols, int rows, IReadOnlyList<string> modeArguments)
    {
        var info = new ProcessStartInfo(chafa)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--format", "symbols", "--size", $"{cols}x{rows}", "--stretch", "--animate", "off", "--threads", "1", "--optimize", "0"])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in modeArguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var file in files)
        {
            info.ArgumentList.Add(file);
        }

        var started = CpuTime.Children();
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("chafa did not start");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = (CpuTime.Children() - started).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chafa failed ({process.ExitCode}): {errors.Result}");
        }

        return (output, seconds);
    }
}
