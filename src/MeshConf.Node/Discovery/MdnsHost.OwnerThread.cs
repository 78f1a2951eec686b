using MeshConf.Core.Discovery;

namespace MeshConf.Node.Discovery;

/// <summary>The two threads: the receiver queues what the socket gives; the owner runs everything else.</summary>
internal sealed partial class MdnsHost
{
    private long NowMs() => (long)_time.GetElapsedTime(_origin).TotalMilliseconds;

    private void RunReceiver()
    {
        while (true)
        {
            switch (_transport.Receive(Timeout.InfiniteTimeSpan, out var datagram))
            {
                case MdnsReceiveStatus.Closed:
                    return;
                case MdnsReceiveStatus.Message:
                    if (Interlocked.Increment(ref _queued) > MaxQueuedMessages)
                    {
                        Interlocked.Decrement(ref _queued);
                        Interlocked.Increment(ref _overflowed);
                        break;
                    }

                    _received.Enqueue(datagram);
                    _signal.Set();
                    break;
                case MdnsReceiveStatus.Failed:
                    // A socket error that repeats would spin this thread: give the socket a moment.
                    Thread.Sleep(10);
                    break;
                default:
                    break; // echoes, bad datagrams, other interfaces: counted by the transport
            }
        }
    }

    private void RunOwner()
    {
        try
        {
            var now = NowMs();
            foreach (var (index, agents) in _agents)
            {
                foreach (var agent in agents)
                {
                    StartAgent(index, agent, now);
                }
            }

            RemoveFailed();
            while (!_stopRequested)
            {
                RunPosted();
                DeliverReceived();
                PollDue();
                Wait();
            }
        }
        catch (Exception e)
        {
            // A bug here, not in an agent (those are caught where they are called): report it and close down
            // in order rather than take the process with an unhandled exception on a background thread.
            Report(e);
        }
        finally
        {
            Shutdown();
        }
    }

    /// <summary>On the owner thread, last: what was posted, then the agents' goodbyes, then the socket.</summary>
    private void Shutdown()
    {
        lock (_gate)
        {
            _closed = true;
        }

        RunPosted(_posted);
        var now = NowMs();
        foreach (var (index, agents) in _agents)
        {
            foreach (var agent in agents)
            {
                StopAgent(index, agent, now);
            }

            agents.Clear();
        }

        _transport.Dispose();
        _receiver.Join();
        while (_received.TryDequeue(out _))
        {
        }
    }

    /// <summary>Sleeps until a message or action arrives, or until the earliest wake an agent asked for.</summary>
    private void Wait()
    {
        if (!_received.IsEmpty || _stopRequested)
        {
            return;
        }

        var next = long.MaxValue;
        foreach (var agents in _agents.Values)
        {
            foreach (var agent in agents)
            {
                next = Math.Min(next, WakeOf(agent));
            }
        }

        RemoveFailed();

        // At least 1 ms: an agent still due right after its Poll (or a clock that does not move) must not spin.
        var timeoutMs = next == long.MaxValue ? Timeout.Infinite : (int)Math.Clamp(next - NowMs(), 1, int.MaxValue);
        _signal.WaitOne(timeoutMs);
    }

    private void RunPosted()
    {
        lock (_gate)
        {
            if (_posted.Count == 0)
            {
                return;
            }
        }

        while (true)
        {
            Action action;
            lock (_gate)
            {
                if (!_posted.TryDequeue(out action!))
                {
                    return;
                }
            }

            RunAction(action);
        }
    }

    /// <summary>Runs what is left in <paramref name="posted"/> once posting has closed (no lock needed then).</summary>
    private void RunPosted(Queue<Action> posted)
    {
        while (posted.TryDequeue(out var action))
        {
            RunAction(action);
        }
    }

    private void RunAction(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            Report(e);
        }
    }

    private void DeliverReceived()
    {
        while (_received.TryDequeue(out var datagram))
        {
            Interlocked.Decrement(ref _queued);
            if (!_agents.TryGetValue(datagram.InterfaceIndex, out var agents))
            {
                continue;
            }

            var now = NowMs();
            foreach (var agent in agents)
            {
                try
                {
                    agent.Receive(datagram.Message, datagram.Source, now);
                }
                catch (Exception e)
                {
                    Fail(agent, e);
                }
            }

            RemoveFailed();
            foreach (var agent in agents)
            {
                PollAgent(datagram.InterfaceIndex, agent, now);
            }

            RemoveFailed();
        }
    }

    private void PollDue()
    {
        var now = NowMs();
        foreach (var (index, agents) in _agents)
        {
            foreach (var agent in agents)
            {
                if (WakeOf(agent) <= now)
                {
                    PollAgent(index, agent, now);
                }
            }
        }

        RemoveFailed();
    }

    private void AddStarted(int interfaceIndex, IMdnsAgent agent)
    {
        var agents = _agents[interfaceIndex];
        agents.Add(agent);
        StartAgent(interfaceIndex, agent, NowMs());
        RemoveFailed();
    }

    private void StartAgent(int interfaceIndex, IMdnsAgent agent, long now)
    {
        try
        {
            agent.Start(now);
        }
        catch (Exception e)
        {
            Fail(agent, e);
            return;
        }

        PollAgent(interfaceIndex, agent, now);
    }

    private void PollAgent(int interfaceIndex, IMdnsAgent agent, long now)
    {
        _output.Clear();
        try
        {
            agent.Poll(now, _output);
        }
        catch (Exception e)
        {
            // Half an answer from a broken agent is not sent.
            _output.Clear();
            Fail(agent, e);
            return;
        }

        SendOutput(interfaceIndex);
    }

    private void StopAgent(int interfaceIndex, IMdnsAgent agent, long now)
    {
        _output.Clear();
        try
        {
            agent.Stop(now, _output);
        }
        catch (Exception e)
        {
            Report(e);
        }

        SendOutput(interfaceIndex);
    }

    private void SendOutput(int interfaceIndex)
    {
        foreach (var send in _output)
        {
            _transport.Send(send.Message, interfaceIndex, send.Destination); // a failure is counted there
        }

        _output.Clear();
    }

    private void Fail(IMdnsAgent agent, Exception e)
    {
        if (!_failed.Contains(agent))
        {
            _failed.Add(agent);
        }

        Report(e);
    }

    private long WakeOf(IMdnsAgent agent)
    {
        try
        {
            return agent.NextWakeMs;
        }
        catch (Exception e)
        {
            Fail(agent, e);
            return long.MaxValue;
        }
    }

    /// <summary>Takes the agents that threw out of every interface's list (not while a list is being walked).</summary>
    private void RemoveFailed()
    {
        if (_failed.Count == 0)
        {
            return;
        }

        foreach (var agents in _agents.Values)
        {
            agents.RemoveAll(_failed.Contains);
        }

        _failed.Clear();
    }

    private void Report(Exception e)
    {
        try
        {
            AgentFailed?.Invoke(this, e);
        }
        catch (Exception)
        {
            // A handler that throws must not take the owner thread down with it.
        }
    }
}
