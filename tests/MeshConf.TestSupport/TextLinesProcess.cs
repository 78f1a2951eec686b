using System.Diagnostics;
using System.Globalization;

namespace MeshConf.TestSupport;

/// <summary>
/// A long-running child process that prints plain text (a daemon's log, avahi-publish, a streaming
/// avahi-browse). Every line of stdout and stderr is kept in arrival order; tests wait for a line matching a
/// condition with a deadline, woken by each new line rather than by polling. Stopped by its own pid only.
/// </summary>
public sealed class TextLinesProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _description;
    private readonly List<string> _stdout = [];
    private readonly List<(bool IsStdout, string Text)> _all = [];
    private readonly Lock _gate = new();
    private readonly Task _stdoutReader;
    private readonly Task _stderrReader;
    private TaskCompletionSource _changed = NewSignal();
    private int _openStreams = 2;
    private bool _disposed;

    private TextLinesProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        Pid = process.Id;
        _process.StandardInput.Close();
        _stdoutReader = Task.Run(() => ReadAsync(_process.StandardOutput, isStdout: true));
        _stderrReader = Task.Run(() => ReadAsync(_process.StandardError, isStdout: false));
    }

    /// <summary>The pid of the program (for <c>ip netns exec</c>, of the program itself: ip execs in place).</summary>
    public int Pid { get; }

    public bool HasExited => _disposed || _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Lines printed on stdout so far.</summary>
    public IReadOnlyList<string> StandardOutputLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>Every line so far, stdout and stderr interleaved as they arrived (stderr lines start with "! ").</summary>
    public string Transcript
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _all.Select(line => (line.IsStdout ? "  " : "! ") + line.Text));
            }
        }
    }

    public static TextLinesProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = ExternalProgram.StartInfo(fileName, arguments, environment);

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new TextLinesProcess(process, $"{fileName} {string.Join(' ', info.ArgumentList)}");
    }

    /// <summary>
    /// Waits for a line (stdout or stderr, already printed or still to come) that matches and returns it;
    /// throws with the transcript when the deadline passes or the process ends without printing one.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);

        // One timer for the whole wait, cancelled on the way out, rather than one per line printed.
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expired = Task.Delay(timeout, expiry.Token);
        try
        {
            var checkedLines = 0;
            while (true)
            {
                Task changed;
                bool ended;
                lock (_gate)
                {
                    for (; checkedLines < _all.Count; checkedLines++)
                    {
                        var text = _all[checkedLines].Text;
                        if (match(text))
                        {
                            return text;
                        }
                    }

                    changed = _changed.Task;
                    ended = _openStreams == 0;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (ended || expired.IsCompleted)
                {
                    var state = ended ? $"its output ended (exit {ExitCodeText()})" : "still running";
                    throw new TimeoutException($"pid {Pid} ({_description}): no line with {what} within {timeout.TotalSeconds:0.#} s; {state}.\n{Transcript}");
                }

                await Task.WhenAny(changed, expired).ConfigureAwait(false);
            }
        }
        finally
        {
            await expiry.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the process has ended and both streams are read to their end.</summary>
    public bool WaitForExit(TimeSpan timeout) =>
        _process.WaitForExit(timeout) && Task.WaitAll([_stdoutReader, _stderrReader], timeout);

    /// <summary>
    /// Stops the process by its pid: SIGTERM, then SIGKILL when it has not ended within <paramref name="grace"/>.
    /// </summary>
    public void Stop(TimeSpan grace)
    {
        if (_disposed || _process.HasExited)
        {
            return;
        }

        if (Libc.Signal(Pid, Libc.SigTerm) && !_process.WaitForExit(grace) && !_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop(TimeSpan.FromSeconds(2));
        _disposed = true;
        _process.WaitForExit(5000);
        Task.WaitAll([_stdoutReader, _stderrReader], TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string ExitCodeText() =>
        _process.WaitForExit(TimeSpan.FromSeconds(1)) ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";

    private async Task ReadAsync(StreamReader reader, bool isStdout)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_gate)
                {
                    if (isStdout)
                    {
                        _stdout.Add(line);
                    }

                    _all.Add((isStdout, line));
                    Pulse();
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _openStreams--;
                Pulse();
            }
        }
    }

    // Called under _gate: wakes every waiter and arms a fresh signal for the next line.
    private void Pulse()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }
}
