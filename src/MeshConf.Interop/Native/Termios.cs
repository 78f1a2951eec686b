using System.Runtime.InteropServices;

namespace MeshConf.Interop.Native;

/// <summary>
/// termios through libc, kept opaque: the struct differs between Linux (60 bytes) and macOS (72), so it is held
/// in a buffer larger than either and changed only by <c>cfmakeraw</c>, never field by field.
/// </summary>
internal static unsafe partial class Termios
{
    /// <summary>Room for any platform's struct termios.</summary>
    public const int BufferSize = 256;

    public const int TcsaNow = 0;

    [LibraryImport(Libc.Library, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int GetAttributes(int fd, byte* termios);

    [LibraryImport(Libc.Library, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int SetAttributes(int fd, int actions, byte* termios);

    [LibraryImport(Libc.Library, EntryPoint = "cfmakeraw")]
    public static partial void MakeRaw(byte* termios);

    [LibraryImport(Libc.Library, EntryPoint = "isatty")]
    public static partial int IsTerminal(int fd);

    /// <summary>ioctl(fd, request, pointer) where variadic arguments travel like named ones (Linux, Intel macOS).</summary>
    [LibraryImport(Libc.Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlPointer(int fd, nuint request, void* argument);

    /// <summary>
    /// The same on Apple arm64, where every variadic argument goes on the stack: six unused register arguments
    /// fill x2..x7 so the pointer lands in the first stack slot, where the callee's va_arg reads it.
    /// </summary>
    [LibraryImport(Libc.Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlPointerAppleArm64(int fd, nuint request, nint r2, nint r3, nint r4, nint r5, nint r6, nint r7, void* argument);

    /// <summary>Opens a pseudo-terminal pair (tests). glibc 2.34+ has it in libc itself.</summary>
    [LibraryImport(Libc.Library, EntryPoint = "openpty", SetLastError = true)]
    public static partial int OpenPty(int* master, int* slave, IntPtr name, IntPtr termp, IntPtr winp);
}
