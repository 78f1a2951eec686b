namespace MeshConf.Interop.Native;

/// <summary>
/// Points file descriptor 2 at /dev/null for a scope. PortAudio's ALSA and JACK back ends print dozens of
/// lines straight to fd 2 while probing devices, which would scribble over the user's terminal. The
/// redirection is process-wide, so keep the scope to the native call that needs it. Scopes on different
/// threads are serialised: interleaved, one could save the other's /dev/null and restore it for good.
/// </summary>
internal readonly struct StderrSilencer : IDisposable
{
    private const int StandardError = 2;
    private static readonly object s_gate = new();
    private readonly int _saved;
    private readonly bool _locked;

    private StderrSilencer(int saved, bool locked)
    {
        _saved = saved;
        _locked = locked;
    }

    /// <summary>Starts silencing; a no-op on Windows, or when MESHCONF_NATIVE_STDERR=1 asks to see the noise.</summary>
    public static StderrSilencer Begin()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable("MESHCONF_NATIVE_STDERR") == "1")
        {
            return new StderrSilencer(-1, locked: false);
        }

        Monitor.Enter(s_gate);
        var devNull = Libc.Open("/dev/null", Libc.ReadWrite);
        if (devNull < 0)
        {
            return new StderrSilencer(-1, locked: true);
        }

        var saved = Libc.Dup(StandardError);
        if (saved >= 0)
        {
            Libc.Dup2(devNull, StandardError);
        }

        Libc.Close(devNull);
        return new StderrSilencer(saved, locked: true);
    }

    public void Dispose()
    {
        if (_saved >= 0)
        {
            Libc.Dup2(_saved, StandardError);
            Libc.Close(_saved);
        }

        if (_locked)
        {
            Monitor.Exit(s_gate);
        }
    }
}
