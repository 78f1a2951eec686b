using System.Runtime.ExceptionServices;

namespace MeshConf.Node;

/// <summary>
/// Where the call's long-running threads (device loops, the video capture loop, the ffmpeg supervisor, the render
/// loop) go when something they did not expect is thrown: instead of ending the process on the spot, with no
/// goodbye to the peers and the terminal left raw, the fault is handed to <see cref="Faulted"/> once, so the owner
/// can stop the call in order and say in one line what broke. Thread-safe.
/// </summary>
/// <remarks>
/// Each thread is started by <see cref="Start"/> under its name; only its first fault is reported (a thread ends
/// with its fault). With no handler attached, a fault is rethrown on its thread with its original stack: the
/// process ends as it would have without this class, which is what a test that forgot to watch wants.
/// </remarks>
public sealed class ThreadFaults
{
    private readonly Lock _gate = new();
    private ThreadFault? _first;

    /// <summary>Called on the faulted thread, once per fault, before the thread ends.</summary>
    public event Action<ThreadFault>? Faulted;

    /// <summary>The first fault of any thread, or null.</summary>
    public ThreadFault? First
    {
        get
        {
            lock (_gate)
            {
                return _first;
            }
        }
    }

    /// <summary>Starts <paramref name="body"/> on a new background thread named <paramref name="name"/>, guarded.</summary>
    public Thread Start(string name, Action body, ThreadPriority priority = ThreadPriority.Normal)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(body);
        var thread = new Thread(() => Run(name, body)) { IsBackground = true, Name = name, Priority = priority };
        thread.Start();
        return thread;
    }

    /// <summary>Runs <paramref name="body"/> on the calling thread, guarded as <see cref="Start"/> guards a thread.</summary>
    public void Run(string name, Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            body();
        }
        catch (Exception exception)
        {
            Report(name, exception);
        }
    }

    /// <summary>Reports a fault caught elsewhere (a task's, say) as a thread's.</summary>
    public void Report(string name, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var fault = new ThreadFault(name, exception);
        Action<ThreadFault>? handlers;
        lock (_gate)
        {
            _first ??= fault;
            handlers = Faulted;
        }

        if (handlers is null)
        {
            ExceptionDispatchInfo.Throw(exception);
        }

        handlers(fault);
    }
}

/// <summary>An unexpected exception that ended one of the call's threads.</summary>
/// <param name="Thread">The thread's name (e.g. <c>meshconf-audio-capture</c>).</param>
/// <param name="Exception">What was thrown.</param>
public sealed record ThreadFault(string Thread, Exception Exception)
{
    /// <summary>One line for the user: which part of the call failed and why.</summary>
    public string Describe() => $"{Part(Thread)} failed ({Thread}): {Exception.GetType().Name}: {FirstLine(Exception.Message)}";

    private static string Part(string thread) => thread switch
    {
        _ when thread.StartsWith("meshconf-audio", StringComparison.Ordinal) => "audio",
        _ when thread.StartsWith("meshconf-video", StringComparison.Ordinal) => "video",
        _ when thread.StartsWith("meshconf-ffmpeg", StringComparison.Ordinal) => "the video source",
        _ when thread.StartsWith("meshconf-render", StringComparison.Ordinal) => "the call screen",
        _ when thread.StartsWith("meshconf-keys", StringComparison.Ordinal) => "the keyboard",
        _ => "the call",
    };

    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }
}
