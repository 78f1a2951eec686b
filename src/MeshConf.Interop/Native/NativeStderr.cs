namespace MeshConf.Interop.Native;

/// <summary>What native libraries write straight to file descriptor 2 (not through .NET's Console).</summary>
public static class NativeStderr
{
    /// <summary>
    /// Sends fd 2 to /dev/null until the scope is disposed, so no library line lands on a screen being drawn. Null
    /// where that is not done (Windows, MESHCONF_NATIVE_STDERR=1) or not possible.
    /// </summary>
    public static IDisposable? SilenceUntilDisposed() => StderrSilencer.SilenceLong();
}
