using System.Runtime.InteropServices;

namespace MeshConf.Interop.Native;

/// <summary>The few POSIX calls the bindings need: fd redirection and the native environment.</summary>
internal static partial class Libc
{
    public const string Library = "libc";

    [LibraryImport(Library, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>
    /// Sets a variable in the NATIVE environment. <see cref="Environment.SetEnvironmentVariable(string, string)"/>
    /// only changes .NET's copy on Unix, which native libraries (libpulse, JACK) never see.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(Library, EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr GetEnv(string name);

    public const int ReadWrite = 2; // O_RDWR

    /// <summary>The soname to load for "libc" on this platform ("libc" alone is not loadable on glibc).</summary>
    public static string PlatformName => OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib" : "libc.so.6";

    /// <summary>Sets <paramref name="name"/> in both the native and the managed environment.</summary>
    public static void SetEnvironment(string name, string value, bool overwrite = true)
    {
        if (!OperatingSystem.IsWindows())
        {
            SetEnv(name, value, overwrite ? 1 : 0);
        }

        if (overwrite || Environment.GetEnvironmentVariable(name) is null)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
