using System.Globalization;
using System.Runtime.ExceptionServices;

namespace MeshConf.TestSupport;

/// <summary>
/// A named Linux network namespace (<c>ip netns add NAME</c>, so <c>/run/netns/NAME</c> exists). Code reaches it
/// two ways: child processes through <c>ip netns exec NAME program ...</c> (<see cref="Command"/> and the
/// helpers built on it), and in-process code through <see cref="Run{T}(Func{T})"/>, which runs a function on a
/// fresh thread that has entered the namespace. This type neither creates nor deletes the namespace:
/// <see cref="VirtualLan"/> does.
/// </summary>
public sealed class NetworkNamespace
{
    /// <summary>Where <c>ip netns</c> keeps the namespace files it names.</summary>
    public const string Directory = "/run/netns";

    /// <summary>Wraps the existing namespace <paramref name="name"/>.</summary>
    public NetworkNamespace(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"not a namespace name: {name}", nameof(name));
        }

        Name = name;
    }

    /// <summary>The name <c>ip netns</c> knows it by.</summary>
    public string Name { get; }

    /// <summary>The file setns(2) opens: <c>/run/netns/NAME</c>.</summary>
    public string Path => System.IO.Path.Combine(Directory, Name);

    /// <summary>Whether the namespace file exists (it is gone after <c>ip netns del</c>).</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>
    /// Runs <paramref name="function"/> on a new dedicated thread that has entered this namespace
    /// (setns(fd of /run/netns/NAME, CLONE_NEWNET)), waits for it, and returns its result or rethrows its
    /// exception. Only that thread changes namespace and it ends with the call, so no pooled thread is ever
    /// left inside. A socket created in <paramref name="function"/> belongs to this namespace for its whole
    /// life and may then be used from any thread; so do the interfaces, addresses and routes that
    /// <c>NetworkInterface.GetAllNetworkInterfaces()</c> or <c>if_nametoindex</c> see when called inside.
    /// Do not start asynchronous work inside: continuations run on pool threads, in the machine's namespace.
    /// </summary>
    public T Run<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var result = default(T)!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Libc.EnterNetworkNamespace(Path);
                result = function();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = $"netns {Name}",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Runs <paramref name="action"/> inside this namespace; see <see cref="Run{T}(Func{T})"/>.</summary>
    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>The index of interface <paramref name="interfaceName"/> inside this namespace.</summary>
    public int InterfaceIndex(string interfaceName) => Run(() => Libc.InterfaceIndex(interfaceName));

    /// <summary>
    /// The command line that runs <paramref name="fileName"/> inside this namespace:
    /// <c>ip netns exec NAME fileName arguments...</c>, ready for <see cref="ExternalProgram.Run"/> or
    /// <see cref="JsonLinesProcess.Start"/>. ip execs the program in place, so the pid of the started process
    /// IS the program's pid. The program also gets a private mount namespace with this namespace's /sys.
    /// </summary>
    public (string FileName, IReadOnlyList<string> Arguments) Command(string fileName, IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        return (IpProgram, ["netns", "exec", Name, fileName, .. arguments]);
    }

    /// <summary>Runs a program to completion inside this namespace (<see cref="ExternalProgram.Run"/>).</summary>
    public ExternalProgram.Result RunProgram(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var (ip, ipArguments) = Command(fileName, arguments);
        return ExternalProgram.Run(ip, ipArguments, environment, timeout);
    }

    /// <summary>Starts a JSON-lines program (e.g. <c>meshconf join --headless</c>) inside this namespace.</summary>
    public JsonLinesProcess StartJsonLines(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var (ip, ipArguments) = Command(fileName, arguments);
        return JsonLinesProcess.Start(ip, ipArguments, environment);
    }

    /// <summary>Starts a long-running program that prints plain text lines inside this namespace.</summary>
    public TextLinesProcess StartTextLines(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var (ip, ipArguments) = Command(fileName, arguments);
        return TextLinesProcess.Start(ip, ipArguments, environment);
    }

    /// <summary>The pids of every process whose network namespace this is (<c>ip netns pids NAME</c>).</summary>
    public IReadOnlyList<int> ProcessIds()
    {
        var result = ExternalProgram.Run(IpProgram, ["netns", "pids", Name], timeout: TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0)
        {
            return Exists
                ? throw new InvalidOperationException($"ip netns pids {Name}: exit {result.ExitCode}: {result.StandardError.Trim()}")
                : [];
        }

        return [.. result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))];
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The ip program (iproute2), by full path when it is on PATH.</summary>
    internal static string IpProgram => SystemPiece.FindProgram("ip") ?? "ip";
}
