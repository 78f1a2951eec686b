namespace MeshConf.Interop.Native;

/// <summary>
/// Puts a terminal into raw mode (no echo, no line editing, no signals from keys: Ctrl+C arrives as a byte) and
/// puts it back exactly as it was. <see cref="Restore"/> is idempotent and safe from any thread, so every exit
/// path (normal, signal, crash handler) may call it.
/// </summary>
public sealed unsafe class RawTerminalMode : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _original = new byte[Termios.BufferSize];
    private int _restored;

    private RawTerminalMode(int fd) => _fd = fd;

    /// <summary>True when <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => !OperatingSystem.IsWindows() && Termios.IsTerminal(fd) == 1;

    /// <summary>Enters raw mode on <paramref name="fd"/>; null when it is not a terminal (or on Windows).</summary>
    public static RawTerminalMode? TryEnter(int fd = 0)
    {
        if (OperatingSystem.IsWindows() || !IsTerminal(fd))
        {
            return null;
        }

        var mode = new RawTerminalMode(fd);
        var raw = stackalloc byte[Termios.BufferSize];
        fixed (byte* original = mode._original)
        {
            if (Termios.GetAttributes(fd, original) != 0)
            {
                return null;
            }

            new ReadOnlySpan<byte>(original, Termios.BufferSize).CopyTo(new Span<byte>(raw, Termios.BufferSize));
        }

        Termios.MakeRaw(raw);
        return Termios.SetAttributes(fd, Termios.TcsaNow, raw) == 0 ? mode : null;
    }

    /// <summary>Puts the saved settings back (once; later calls do nothing).</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
        {
            return;
        }

        fixed (byte* original = _original)
        {
            Termios.SetAttributes(_fd, Termios.TcsaNow, original);
        }
    }

    public void Dispose() => Restore();
}
