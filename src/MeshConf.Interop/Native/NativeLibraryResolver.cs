using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeshConf.Interop.Native;

/// <summary>
/// Maps the logical names used in <c>[LibraryImport]</c> ("opus", "enet", ...) to the sonames the platform
/// ships (<c>libopus.so.0</c> has no unversioned <c>libopus.so</c> without the -dev package).
/// </summary>
internal static class NativeLibraryResolver
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The resolver must be in place before any binding is called.")]
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (var dependency in NativeDependency.All)
        {
            if (dependency.LogicalName == libraryName)
            {
                // Zero lets the runtime raise DllNotFoundException; public entry points call EnsureLoaded first,
                // so users see NativeDependencyMissingException with the package to install instead.
                return dependency.TryLoad(out var handle) ? handle : IntPtr.Zero;
            }
        }

        if (libraryName == Libc.Library && !OperatingSystem.IsWindows())
        {
            return NativeLibrary.Load(Libc.PlatformName);
        }

        return IntPtr.Zero;
    }
}
