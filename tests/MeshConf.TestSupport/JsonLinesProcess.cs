using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace MeshConf.TestSupport;

/// <summary>
/// A long-running child process that prints JSON lines (e.g. `meshconf join --headless`). Every line is kept;
/// tests wait for a line matching a condition with a deadline. Stopped by its own pid only.
/// </summary>
public sealed class JsonLinesProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly Task _reader;

    private JsonLinesProcess(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadLinesAsync);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public static JsonLinesProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = ExternalProgram.StartInfo(fileName, arguments, environment);

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new JsonLinesProcess(process);
    }

    /// <summary>Waits for a line (already printed or still to come) that matches; throws with the transcript on timeout.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var line in Lines)
            {
                if (match(line))
                {
                    return line;
                }
            }

            if (DateTime.UtcNow > deadline || (_process.HasExited && _reader.IsCompleted))
            {
                throw new TimeoutException($"pid {Pid}: no line with {what} within {timeout.TotalSeconds:0.#} s.\nstdout:\n{string.Join('\n', Lines.Select(l => l.GetRawText()))}\nstderr:\n{StandardError}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>The first line whose "event" is <paramref name="name"/>.</summary>
    public Task<JsonElement> WaitForEventAsync(string name, TimeSpan timeout, Func<JsonElement, bool>? match = null) =>
        WaitForAsync(l => l.TryGetProperty("event", out var e) && e.GetString() == name && (match is null || match(l)), timeout, $"event '{name}'");

    /// <summary>Sends a signal to this process (by its pid).</summary>
    /// <summary>Types a line into the process's stdin (a headless node's commands: chat, mute, leave).</summary>
    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    public void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            ExternalProgram.Run("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(5));
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private async Task ReadLinesAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                lock (_gate)
                {
                    _lines.Add(document.RootElement.Clone());
                }
            }
            catch (JsonException)
            {
                lock (_gate)
                {
                    _stderr.AppendLine("NOT JSON on stdout: " + line);
                }
            }
        }
    }

    public const int SigTerm = 15;
    public const int SigInt = 2;
    public const int SigKill = 9;
}
