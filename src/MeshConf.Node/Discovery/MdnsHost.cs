using System.Collections.Concurrent;
using MeshConf.Core.Discovery;

namespace MeshConf.Node.Discovery;

/// <summary>
/// Runs mDNS agents (<see cref="IMdnsAgent"/>: responders, browsers) over one <see cref="MdnsTransport"/>.
/// One thread, "meshconf-mdns", owns the agents: it starts them, feeds each the messages that arrived on its
/// interface, polls them when they asked to be woken (and after every message), sends what they produce on their
/// interface, and on <see cref="Dispose"/> stops them and sends their goodbyes before the socket closes. A second
/// thread, "meshconf-mdns-rx", only waits on the socket and queues what arrives, so the owner thread can sleep on
/// one signal that messages, <see cref="Post"/>ed actions and Dispose all raise.
/// <para>
/// Agents are touched on the owner thread only; other threads reach them through <see cref="Post"/> and
/// <see cref="InvokeAsync{T}"/>. Time is milliseconds of the injected <see cref="TimeProvider"/>'s monotonic
/// clock, counted from the host's creation. An agent that throws is removed and reported through
/// <see cref="AgentFailed"/>; the others go on.
/// </para>
/// The threads need not live in the transport's network namespace: its socket does. Only
/// <see cref="Open(string?, TimeProvider?)"/> (interfaces and socket) has to run inside it.
/// </summary>
internal sealed partial class MdnsHost : IDisposable
{
    /// <summary>Messages queued for the owner thread at most; more are dropped and counted (a flood, not mDNS).</summary>
    public const int MaxQueuedMessages = 1024;

    private readonly MdnsTransport _transport;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Dictionary<int, List<IMdnsAgent>> _agents = [];
    private readonly List<MdnsSend> _output = [];
    private readonly List<IMdnsAgent> _failed = [];
    private readonly ConcurrentQueue<MdnsDatagram> _received = new();
    private readonly Queue<Action> _posted = new(); // under _gate
    private readonly Lock _gate = new();
    private readonly AutoResetEvent _signal = new(initialState: false);
    private readonly Thread _owner;
    private readonly Thread _receiver;
    private int _queued;
    private long _overflowed;
    private bool _started; // under _gate
    private bool _closed; // under _gate: no more posts
    private volatile bool _stopRequested;
    private int _disposed;

    /// <summary>Hosts agents over <paramref name="transport"/>, which it owns from now on (and disposes).</summary>
    public MdnsHost(MdnsTransport transport, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        foreach (var nic in transport.Interfaces)
        {
            _agents[nic.Index] = [];
        }

        _owner = new Thread(RunOwner) { IsBackground = true, Name = "meshconf-mdns" };
        _receiver = new Thread(RunReceiver) { IsBackground = true, Name = "meshconf-mdns-rx" };
    }

    /// <summary>An agent threw (it has been removed). Raised on the owner thread.</summary>
    public event EventHandler<Exception>? AgentFailed;

    /// <summary>The interfaces mDNS runs on.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces => _transport.Interfaces;

    /// <summary>The transport's counters, and the messages this host dropped in a flood.</summary>
    public MdnsCounters Counters => _transport.Counters with { Overflowed = Interlocked.Read(ref _overflowed) };

    /// <summary>The owner thread's managed id (for checks that agents run there alone).</summary>
    public int OwnerThreadId => _owner.ManagedThreadId;

    /// <summary>
    /// Chooses the interfaces (<see cref="MdnsInterfaceSelector"/>, <paramref name="interfaceName"/> null for all
    /// suitable ones) and opens the socket on them. Run it in the network namespace mDNS is for: both answer
    /// for the calling thread's namespace.
    /// </summary>
    /// <exception cref="MdnsUnavailableException">No usable interface, an unknown name, or port 5353 not bindable.</exception>
    public static MdnsHost Open(string? interfaceName, TimeProvider? time = null) =>
        new(MdnsTransport.Open(MdnsInterfaceSelector.Select(interfaceName), time), time);

    /// <summary>
    /// Adds <paramref name="agent"/> on interface <paramref name="interfaceIndex"/>. Before <see cref="Start"/> it
    /// starts with the others; afterwards it starts at once, on the owner thread.
    /// </summary>
    public void Add(int interfaceIndex, IMdnsAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!_agents.ContainsKey(interfaceIndex))
        {
            throw new ArgumentException($"mDNS does not run on interface #{interfaceIndex}", nameof(interfaceIndex));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (!_started)
            {
                _agents[interfaceIndex].Add(agent);
                return;
            }
        }

        var posted = Post(() => AddStarted(interfaceIndex, agent));
        ObjectDisposedException.ThrowIf(!posted, this);
    }

    /// <summary>
    /// Removes <paramref name="agent"/> on the owner thread: it is stopped and its goodbyes are sent. False when the
    /// host has closed (it stops every agent then anyway).
    /// </summary>
    public bool Remove(IMdnsAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        lock (_gate)
        {
            if (!_started && !_closed)
            {
                // Never started: nothing to say goodbye for.
                foreach (var agents in _agents.Values)
                {
                    agents.Remove(agent);
                }

                return true;
            }
        }

        return Post(() =>
        {
            foreach (var (index, agents) in _agents)
            {
                if (agents.Remove(agent))
                {
                    StopAgent(index, agent, NowMs());
                }
            }
        });
    }

    /// <summary>Starts the owner and receiving threads; the agents start on the owner thread.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_started)
            {
                throw new InvalidOperationException("The mDNS host has already started.");
            }

            _started = true;
        }

        _receiver.Start();
        _owner.Start();
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the owner thread, where the agents may be read and changed. Actions run
    /// in order, as soon as the thread is free (before <see cref="Start"/>: when it starts). False when the host
    /// has closed; an action that throws is reported through <see cref="AgentFailed"/>.
    /// </summary>
    public bool Post(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _posted.Enqueue(action);

            // Under the lock: once Shutdown has closed posting, nobody touches the signal any more.
            _signal.Set();
        }

        return true;
    }

    /// <summary>Runs <paramref name="function"/> on the owner thread and returns its result (or exception).</summary>
    public Task<T> InvokeAsync<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = Post(() =>
        {
            try
            {
                completion.SetResult(function());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        if (!posted)
        {
            completion.SetException(new ObjectDisposedException(nameof(MdnsHost)));
        }

        return completion.Task;
    }

    /// <summary>
    /// Stops every agent and sends their goodbyes, then closes the socket and joins both threads. Actions posted
    /// before run first. Safe to call more than once, and from an action on the owner thread (which then
    /// finishes the work itself when the action returns).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        bool started;
        lock (_gate)
        {
            started = _started;
            if (!started)
            {
                _closed = true;
            }
        }

        if (!started)
        {
            // No owner thread was ever there: the posted actions run here, the agents never started.
            RunPosted(_posted);
            _transport.Dispose();
            _signal.Dispose();
            return;
        }

        _stopRequested = true;
        _signal.Set();
        if (Thread.CurrentThread != _owner)
        {
            _owner.Join();
            _signal.Dispose();
        }
    }
}
