namespace MeshConf.Node.Video;

/// <summary>
/// Lists capture devices. On Linux from sysfs: every /dev/videoN whose V4L2 node is a capture interface
/// (index 0; UVC cameras add a metadata node at index 1 that cannot stream pictures).
/// </summary>
public static class CameraEnumerator
{
    /// <summary>Cameras on this machine (Linux V4L2; empty elsewhere until ffmpeg's device listing is wired in).</summary>
    public static IReadOnlyList<CameraDevice> List() => OperatingSystem.IsLinux() ? ListV4l2("/sys/class/video4linux", "/dev") : [];

    /// <summary>Lists from a sysfs-like tree, so tests can point it at a fake one.</summary>
    public static IReadOnlyList<CameraDevice> ListV4l2(string sysClassDir, string devDir)
    {
        if (!Directory.Exists(sysClassDir))
        {
            return [];
        }

        var cameras = new List<CameraDevice>();
        foreach (var node in Directory.GetDirectories(sysClassDir, "video*").Order(StringComparer.Ordinal))
        {
            var index = ReadTrimmed(Path.Combine(node, "index"));
            if (index is not null && index != "0")
            {
                continue;
            }

            var device = Path.Combine(devDir, Path.GetFileName(node));
            var name = ReadTrimmed(Path.Combine(node, "name")) ?? Path.GetFileName(node);
            cameras.Add(new CameraDevice(device, name));
        }

        return cameras;
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
