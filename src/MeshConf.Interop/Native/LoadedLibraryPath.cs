namespace MeshConf.Interop.Native;

/// <summary>Finds the file a loaded library was mapped from, where the platform exposes it.</summary>
internal static class LoadedLibraryPath
{
    /// <summary>On Linux, the first path in /proc/self/maps whose file name starts with <paramref name="name"/>'s stem.</summary>
    public static string? Find(string name)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps"))
        {
            return null;
        }

        var stem = Path.GetFileName(name);
        var cut = stem.IndexOf(".so", StringComparison.Ordinal);
        if (cut > 0)
        {
            stem = stem[..(cut + 3)];
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0)
                {
                    continue;
                }

                var path = line[slash..];
                if (Path.GetFileName(path).StartsWith(stem, StringComparison.Ordinal))
                {
                    return path;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
