using System.Text;

namespace MeshConf.Node.Security;

/// <summary>
/// Writes files only their owner may read, atomically: the content goes to a temporary file in the same directory,
/// created with mode 0600 from the first byte (no window where it is world-readable), flushed to disk, then renamed
/// over the target. A reader sees the old file or the new one, never half of one.
/// </summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Bits that let anyone but the owner in (ssh refuses a private key with any of them set).</summary>
    public const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates <paramref name="directory"/> (and missing parents) with mode 0700; an existing one is left as it is.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    /// <summary>Writes <paramref name="path"/> unless it exists; false when another writer got there first.</summary>
    public static bool TryCreate(string path, string contents)
    {
        var temporary = WriteTemporary(path, contents);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="path"/>, replacing what was there.</summary>
    public static void Replace(string path, string contents)
    {
        var temporary = WriteTemporary(path, contents);
        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The mode of <paramref name="path"/> when it lets anyone but the owner in; null otherwise and on Windows.</summary>
    public static UnixFileMode? LooseMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOthers) != 0 ? mode : null;
    }

    /// <summary>A mode as ls and chmod write it, e.g. 0644.</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');

    private static string WriteTemporary(string path, string contents)
    {
        var temporary = $"{path}.{Path.GetRandomFileName()}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            using var stream = new FileStream(temporary, options);
            stream.Write(s_utf8.GetBytes(contents));
            stream.Flush(flushToDisk: true);
            return temporary;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
