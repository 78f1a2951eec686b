using System.Runtime.InteropServices;
using MeshConf.Interop.Native;

namespace MeshConf.Terminal;

/// <summary>
/// Owns the terminal for the call screen: alternate screen, hidden cursor, no auto-wrap, raw keys; and gives all
/// of it back on every way out. <see cref="Restore"/> runs on Dispose, on process exit, on an unhandled
/// exception and on SIGHUP/SIGQUIT; it is idempotent, so several of those may race harmlessly. SIGINT and
/// SIGTERM are left to the application (it leaves the call first, then disposes this).
/// </summary>
public sealed class TerminalSession : IDisposable
{
    private static ReadOnlySpan<byte> Enter => "\e[?1049h\e[?25l\e[?7l\e[2J"u8;

    private static ReadOnlySpan<byte> Leave => "\e[?2026l\e[0m\e[?7h\e[?25h\e[?1049l"u8;

    private readonly int _inputFd;
    private readonly Stream _output;
    private readonly RawTerminalMode _raw;
    private readonly List<PosixSignalRegistration> _signals = [];
    private readonly Lock _writeGate = new();
    private int _restored;

    private TerminalSession(int inputFd, Stream output, RawTerminalMode raw)
    {
        _inputFd = inputFd;
        _output = output;
        _raw = raw;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        if (OperatingSystem.IsWindows())
        {
            return; // raw mode (and so this session) is never entered there
        }

        foreach (var signal in new[] { PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, _ => Restore()));
        }

        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
        {
            context.Cancel = true;
            Resized?.Invoke();
        }));
    }

    /// <summary>Raised (on a signal thread) when the terminal window changes size.</summary>
    public event Action? Resized;

    /// <summary>
    /// Takes over the terminal on <paramref name="inputFd"/> and <paramref name="output"/>; null when the input
    /// is not a terminal (piped, redirected, Windows without a console), in which case nothing was changed.
    /// </summary>
    public static TerminalSession? TryStart(int inputFd, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var raw = RawTerminalMode.TryEnter(inputFd);
        if (raw is null)
        {
            return null;
        }

        var session = new TerminalSession(inputFd, output, raw);
        session.Write(Enter);
        return session;
    }

    /// <summary>The window size now, in cells (read from the kernel, so it is current right after a resize).</summary>
    public bool TryGetSize(out int cols, out int rows) => TerminalWindow.TryGetSize(_inputFd, out cols, out rows);

    /// <summary>Sends one frame's bytes in one write.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        lock (_writeGate)
        {
            if (Volatile.Read(ref _restored) != 0)
            {
                return;
            }

            _output.Write(bytes);
            _output.Flush();
        }
    }

    /// <summary>Leaves the alternate screen, shows the cursor and puts the terminal settings back. Once.</summary>
    public void Restore()
    {
        lock (_writeGate)
        {
            if (Interlocked.Exchange(ref _restored, 1) != 0)
            {
                return;
            }

            try
            {
                _output.Write(Leave);
                _output.Flush();
            }
            catch (IOException)
            {
                // The terminal went away (SIGHUP): the settings below still matter for a parent shell.
            }
            catch (ObjectDisposedException)
            {
            }

            _raw.Restore();
        }
    }

    public void Dispose()
    {
        Restore();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _signals.Clear();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e) => Restore();
}
