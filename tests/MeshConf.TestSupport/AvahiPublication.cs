namespace MeshConf.TestSupport;

/// <summary>
/// A service avahi is announcing for as long as this lives: a running <c>avahi-publish -s</c> (stopped by its
/// pid on <see cref="Dispose"/>, which withdraws the service with goodbye packets).
/// </summary>
public sealed class AvahiPublication : IDisposable
{
    private readonly TextLinesProcess _process;

    internal AvahiPublication(TextLinesProcess process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>The name avahi established (the requested one unless it had to resolve a conflict).</summary>
    public string Name { get; }

    /// <summary>The pid of avahi-publish.</summary>
    public int Pid => _process.Pid;

    /// <summary>Whether avahi-publish still runs (it exits when the daemon goes away or reports a collision).</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>What avahi-publish printed.</summary>
    public string Transcript => _process.Transcript;

    /// <summary>Stops avahi-publish (SIGTERM, then SIGKILL): the service is withdrawn.</summary>
    public void Dispose() => _process.Dispose();
}
