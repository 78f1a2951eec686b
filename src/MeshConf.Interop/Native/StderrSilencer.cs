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

    /// <summary>
    /// Silences fd 2 until the returned scope is disposed, on any thread, without holding the lock meanwhile (scoped
    /// silencers on other threads nest inside it): for a call drawn on the terminal, where a native library's line
    /// on stderr (an ALSA underrun, say) would land in the middle of the picture. Null on Windows, when
    /// MESHCONF_NATIVE_STDERR=1, or when fd 2 cannot be redirected.
    /// </summary>
    public static IDisposable? SilenceLong()
    {
        var scope = Begin();
        var saved = scope._saved >= 0 ? Libc.Dup(scope._saved) : -1;
        scope.ReleaseWithoutRestoring();
        return saved >= 0 ? new LongScope(saved) : null;
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

    // Ends a Begin() scope leaving /dev/null on fd 2.
    private void ReleaseWithoutRestoring()
    {
        if (_saved >= 0)
        {
            Libc.Close(_saved);
        }

        if (_locked)
        {
            Monitor.Exit(s_gate);
        }
    }

    private sealed class LongScope(int saved) : IDisposable
    {
        private int _saved = saved;

        public void Dispose()
        {
            var fd = Interlocked.Exchange(ref _saved, -1);
            if (fd < 0)
            {
                return;
            }

            lock (s_gate)
            {
                Libc.Dup2(fd, StandardError);
                Libc.Close(fd);
            }
        }
    }
}
