using MeshConf.Interop.PortAudio;

namespace MeshConf.Node.Audio;

/// <summary>
/// A microphone through a PortAudio blocking stream (48 kHz mono float, one frame per host buffer), read on the
/// caller's thread. Overflows are counted. When a read fails (the device vanished, the sound server went away)
/// the failure is counted, the stream closed, and <see cref="Read"/> hands out silence at the frame pace while
/// the stream is reopened with backoff; the call goes on and the voice comes back when the device does.
/// </summary>
internal sealed class DeviceAudioInput : IAudioInput
{
    private readonly PortAudioSession _session;
    private readonly AudioStreamOptions _options;
    private readonly FramePacer _pacer;
    private readonly ReopenBackoff _backoff;

    // Held around every call on the stream; Dispose takes it to close the stream, so the stream is never
    // closed under a blocked Pa_ReadStream (which returns within a frame).
    private readonly Lock _streamGate = new();
    private PortAudioInputStream? _stream;
    private long _errors;
    private volatile string? _problem;
    private volatile bool _disposed;

    /// <summary>
    /// Opens <paramref name="device"/> now: a <see cref="PortAudioException"/> when it cannot (the session is then
    /// still the caller's). On success the input owns <paramref name="session"/>.
    /// </summary>
    public DeviceAudioInput(PortAudioSession session, AudioDeviceInfo device, int frameSamples, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(device);
        AudioFormat.CheckFrameSize(frameSamples);
        _options = new AudioStreamOptions(device.Index, AudioFormat.SampleRate, 1, frameSamples, AudioSampleFormat.PcmFloat);
        _stream = session.OpenInput(_options);
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

    public string Description => $"microphone {Device.Name} ({Device.HostApi})";

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

    public bool Read(Span<float> frame)
    {
        frame = FrameOf(frame);
        if (_disposed)
        {
            return false;
        }

        lock (_streamGate)
        {
            if (_disposed)
            {
                return false;
            }

            if (_stream is null && _backoff.IsDue)
            {
                Reopen();
            }

            if (_stream is { } stream)
            {
                try
                {
                    if (!stream.Read(frame))
                    {
                        // An overflow: the frame is filled, but earlier input was lost.
                        Interlocked.Increment(ref _errors);
                    }

                    return true;
                }
                catch (PortAudioException e)
                {
                    Lost($"microphone lost: {e.Message}");
                }
            }
        }

        frame.Clear();
        return _pacer.WaitNext();
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

    private Span<float> FrameOf(Span<float> frame) =>
        frame.Length >= FrameSamples ? frame[..FrameSamples] : throw new ArgumentException($"a frame is {FrameSamples} samples; got {frame.Length}", nameof(frame));

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
            _stream = _session.OpenInput(_options);
            _backoff.Succeeded();
        }
        catch (PortAudioException e)
        {
            Interlocked.Increment(ref _errors);
            _problem = $"microphone lost: reopening failed ({e.Message}); retrying";
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
