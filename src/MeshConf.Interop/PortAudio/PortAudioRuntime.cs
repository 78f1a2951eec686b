using MeshConf.Interop.Native;

namespace MeshConf.Interop.PortAudio;

/// <summary>
/// <c>Pa_Initialize</c>/<c>Pa_Terminate</c> are reference counted by PortAudio itself; every session and every
/// open stream holds one reference. The first initialisation probes ALSA and JACK, which print to fd 2, so it
/// runs with stderr silenced, and JACK is told not to start a server.
/// </summary>
internal static class PortAudioRuntime
{
    private static readonly Lock s_gate = new();

    public static void Acquire()
    {
        NativeDependency.PortAudio.EnsureLoaded();
        lock (s_gate)
        {
            if (!OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("JACK_NO_START_SERVER") is null)
            {
                Libc.SetEnvironment("JACK_NO_START_SERVER", "1", overwrite: false);
            }

            int rc;
            using (StderrSilencer.Begin())
            {
                rc = PortAudioNative.Initialize();
            }

            PortAudioException.ThrowIfError(rc, "Pa_Initialize");
        }
    }

    public static void Release()
    {
        lock (s_gate)
        {
            _ = PortAudioNative.Terminate();
        }
    }
}
