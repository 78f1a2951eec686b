using MeshConf.Interop.PortAudio;

namespace MeshConf.Node.Audio;

/// <summary>
/// A speaker through a PortAudio blocking stream (48 kHz mono float, one frame per host buffer), written on the
/// caller's thread, which the stream paces by blocking while its buffer is full. Underflows are counted. When a
/// write fails the failure is counted, the stream closed, and <see cref="Write"/> discards frames at the frame
/// pace while the stream is reopened with backoff, so the playout loop keeps its real-time rhythm.
/// </summary>
internal sealed class DeviceAudioOutput : IAudioOutput
{
    private readonly PortAudioSession _session;
    private readonly AudioStreamOptions _options;
    private readonly FramePacer _pacer;
    private readonly ReopenBackoff _backoff;

    // Held around every call on the stream; Dispose takes it to close the stream (see DeviceAudioInput).
    private readonly Lock _streamGate = new();
    private PortAudioOutputStream? _stream;
    private long _errors;
    private volatile string? _problem;
    private volatile bool _disposed;

    /// <summary>
    /// Opens <paramref name="device"/> now: a <see cref="PortAudioException"/> when it cannot (the session is then
    /// still the caller's). On success the output owns <paramref name="session"/>. The suggested latency is the
    /// device's low latency but at least two frames, so one late mix does not underflow.
    /// </summary>
    public DeviceAudioOutput(PortAudioSession session, AudioDeviceInfo device, int frameSamples, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(device);
        AudioFormat.CheckFrameSize(frameSamples);
        var latency = Math.Max(device.DefaultLowOutputLatency, 2 * AudioFormat.DurationOf(frameSamples).TotalSeconds);
        _options = new AudioStreamOptions(device.Index, AudioFormat.SampleRate, 1, frameSamples, AudioSampleFormat.PcmFloat, latency);
        _stream = session.OpenOutput(_options);
        _session = session;
        _pacer = new FramePacer(time, frameSamples);
        _backoff = new ReopenBackoff(time);
        FrameSamples = frameSamples;
        Device = device;
    }

    public int FrameSamples { get; }

    public bool IsDevice => true;

    /// <summary>The device as PortAudio listed it.</summary>
    public AudioDeviceInfo Device { get; }

    public string Description => $"speaker {Device.Name} ({Device.HostApi})";

    public long Errors => Interlocked.Read(ref _errors);

    public string? Problem => _problem;

    /// <summary>True while the device is open (false while it is being reopened).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_streamGate)
            {
                return _stream is not null;
            }
        }
    }

    public void Write(ReadOnlySpan<float> frame)
    {
        frame = frame.Length >= FrameSamples ? frame[..FrameSamples] : throw new ArgumentException($"a frame is {FrameSamples} samples; got {frame.Length}", nameof(frame));
        if (_disposed)
        {
            return;
        }

        lock (_streamGate)
        {
            if (_disposed)
            {
                return;
            }

            if (_stream is null && _backoff.IsDue)
            {
                Reopen();
            }

            if (_stream is { } stream)
            {
                try
                {
                    if (!stream.Write(frame))
                    {
                        // An underflow: the device ran dry before this frame came; it is queued all the same.
                        Interlocked.Increment(ref _errors);
                    }

                    return;
                }
                catch (PortAudioException e)
                {
                    Lost($"speaker lost: {e.Message}");
                }
            }
        }

        _pacer.WaitNext();
    }

    public void Dispose()
    {
        _disposed = true;
        _pacer.Cancel();
        lock (_streamGate)
        {
            CloseStream();
        }

        _pacer.Dispose();
        _session.Dispose();
    }

    private void Lost(string problem)
    {
        Interlocked.Increment(ref _errors);
        _problem = problem;
        CloseStream();
        _backoff.Failed();
        _pacer.Restart();
    }

    private void Reopen()
    {
        try
        {
            _stream = _session.OpenOutput(_options);
            _backoff.Succeeded();
        }
        catch (PortAudioException e)
        {
            Interlocked.Increment(ref _errors);
            _problem = $"speaker lost: reopening failed ({e.Message}); retrying";
            _backoff.Failed();
        }
    }

    private void CloseStream()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (PortAudioException)
        {
            // Closing a stream whose device is gone may fail too; the handle is released either way.
        }

        _stream = null;
    }
}
