using System.Runtime.InteropServices;

namespace MeshConf.Interop.Native;

/// <summary>
/// The size of a terminal window in character cells, read with TIOCGWINSZ (and set with TIOCSWINSZ, for tests),
/// straight from the kernel each time: no cache to go stale after a resize.
/// </summary>
public static unsafe class TerminalWindow
{
    // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; } is the same everywhere.
    private const int WinsizeBytes = 8;

    /// <summary>Reads the size of the terminal on <paramref name="fd"/>; false when it is not a terminal or reports 0 x 0.</summary>
    public static bool TryGetSize(int fd, out int cols, out int rows)
    {
        cols = rows = 0;
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var size = stackalloc ushort[WinsizeBytes / sizeof(ushort)];
        if (Call(fd, GetRequest, size) != 0 || size[0] == 0 || size[1] == 0)
        {
            return false;
        }

        rows = size[0];
        cols = size[1];
        return true;
    }

    /// <summary>Sets the size the terminal on <paramref name="fd"/> reports (the pty master does this on a resize).</summary>
    public static bool TrySetSize(int fd, int cols, int rows)
    {
        if (OperatingSystem.IsWindows() || cols is < 1 or > ushort.MaxValue || rows is < 1 or > ushort.MaxValue)
        {
            return false;
        }

        var size = stackalloc ushort[WinsizeBytes / sizeof(ushort)];
        size[0] = (ushort)rows;
        size[1] = (ushort)cols;
        return Call(fd, SetRequest, size) == 0;
    }

    // Linux: TIOCGWINSZ 0x5413, TIOCSWINSZ 0x5414. BSD/macOS encode direction and size: _IOR('t', 104, winsize)
    // and _IOW('t', 103, winsize).
    private static nuint GetRequest => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? (nuint)0x40087468 : (nuint)0x5413;

    private static nuint SetRequest => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? (nuint)0x80087467 : (nuint)0x5414;

    private static int Call(int fd, nuint request, void* argument) =>
        OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64
            ? Termios.IoctlPointerAppleArm64(fd, request, 0, 0, 0, 0, 0, 0, argument)
            : Termios.IoctlPointer(fd, request, argument);
}
