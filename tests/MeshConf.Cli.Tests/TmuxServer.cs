using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>
/// A private tmux server (its own socket in a temp directory, so a user's tmux is never touched) running one
/// window with a plain bash, driven as a person would: keys in, screen out.
/// </summary>
internal sealed class TmuxServer : IDisposable
{
    private readonly string _tmux;
    private readonly string _directory;
    private readonly string _socket;

    private TmuxServer(string tmux, int cols, int rows, IDictionary<string, string> environment)
    {
        _tmux = tmux;
        _directory = Directory.CreateTempSubdirectory("meshconf-tmux-").FullName;
        _socket = Path.Combine(_directory, "socket");
        var rc = Path.Combine(_directory, "bashrc");
        File.WriteAllText(rc, "PS1='prompt$ '\n");
        List<string> arguments = ["new-session", "-d", "-s", "call", "-x", cols.ToString(Inv), "-y", rows.ToString(Inv)];
        foreach (var (key, value) in environment)
        {
            arguments.AddRange(["-e", $"{key}={value}"]);
        }

        arguments.AddRange(["bash", "--noprofile", "--rcfile", rc, "-i"]);
        Run(arguments);
        Run(["set-option", "-g", "window-size", "manual"]);
    }

    private static IFormatProvider Inv => System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>Starts the server; skips (or fails under CI) when tmux is missing.</summary>
    public static TmuxServer Start(int cols, int rows, IDictionary<string, string> environment) =>
        new(SystemPiece.RequireProgram("tmux", "tmux"), cols, rows, environment);

    /// <summary>Types <paramref name="text"/> literally, then Enter when asked.</summary>
    public void Type(string text, bool enter = true)
    {
        Run(["send-keys", "-t", "call", "-l", text]);
        if (enter)
        {
            Run(["send-keys", "-t", "call", "Enter"]);
        }
    }

    /// <summary>Presses one key by its tmux name (Enter, Escape, m, C-c).</summary>
    public void Press(string key) => Run(["send-keys", "-t", "call", key]);

    /// <summary>The pane's title, which an escape sequence (OSC 0/2) that got through would change.</summary>
    public string Title() => Run(["display-message", "-p", "-t", "call", "#{pane_title}"]).StandardOutput.Trim();

    /// <summary>A tmux format about the pane, e.g. #{alternate_on} or #{cursor_flag}.</summary>
    public string Format(string format) => Run(["display-message", "-p", "-t", "call", format]).StandardOutput.Trim();

    /// <summary>The visible screen as text, one string per row (trailing blanks trimmed by tmux).</summary>
    public string[] Screen() => Run(["capture-pane", "-p", "-t", "call"]).StandardOutput.Split('\n');

    /// <summary>The visible screen with its colours (SGR sequences), to tell moving pictures apart.</summary>
    public string ScreenWithColours() => Run(["capture-pane", "-p", "-e", "-t", "call"]).StandardOutput;

    /// <summary>The pid of the shell in the pane.</summary>
    public int ShellPid() => int.Parse(Run(["display-message", "-p", "-t", "call", "#{pane_pid}"]).StandardOutput.Trim(), Inv);

    public void Resize(int cols, int rows) => Run(["resize-window", "-t", "call", "-x", cols.ToString(Inv), "-y", rows.ToString(Inv)]);

    public void Dispose()
    {
        try
        {
            Run(["kill-server"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ExternalProgram.Result Run(IEnumerable<string> arguments)
    {
        var result = ExternalProgram.Run(_tmux, ["-S", _socket, "-f", "/dev/null", .. arguments], timeout: TimeSpan.FromSeconds(20));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', arguments)}: {result.StandardError.Trim()}");
        }

        return result;
    }
}
