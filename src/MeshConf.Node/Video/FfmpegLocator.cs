using System.Diagnostics;

namespace MeshConf.Node.Video;

/// <summary>Finds the ffmpeg program (MESHCONF_FFMPEG, else PATH) and asks it for its version.</summary>
public static class FfmpegLocator
{
    /// <summary>Variable that names the ffmpeg to use instead of the one on PATH.</summary>
    public const string OverrideVariable = "MESHCONF_FFMPEG";

    /// <summary>The path of the ffmpeg to run, or null when there is none.</summary>
    public static string? Find()
    {
        var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(overridden) ? overridden : null;
        }

        var name = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
            {
                return Path.Combine(dir, name);
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <c>ffmpeg -version</c> and returns its version ("5.1.6-0+deb12u1"), or null when it does not run.
    /// </summary>
    public static string? GetVersion(string path, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-hide_banner");
        info.ArgumentList.Add("-version");
        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            process.StandardInput.Close();
            var firstLine = process.StandardOutput.ReadLineAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return ParseVersion(firstLine.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Takes the version out of "ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 ...".</summary>
    public static string? ParseVersion(string? firstLine)
    {
        const string prefix = "ffmpeg version ";
        if (firstLine is null || !firstLine.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = firstLine[prefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? rest : rest[..space];
    }
}
