namespace MeshConf.Interop.Native;

/// <summary>
/// Sets environment variables that native libraries read with getenv (PULSE_SERVER, PULSE_SOURCE, ...).
/// On Unix .NET keeps its own copy of the environment, so <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// alone is invisible to them. Call before the library reads the variable (for PortAudio: before it initialises).
/// </summary>
public static class NativeEnvironment
{
    public static void Set(string name, string value) => Libc.SetEnvironment(name, value);
}
