namespace MeshConf.Interop.PortAudio;

/// <summary>
/// A started blocking PortAudio stream. One thread (the device thread) reads or writes it; dispose it from
/// that thread or after joining it.
/// </summary>
public abstract unsafe class PortAudioStream : IDisposable
{
    private protected PortAudioStream(PortAudioStreamHandle handle, AudioStreamOptions options)
    {
        Handle = handle;
        Options = options;
        var info = PortAudioNative.GetStreamInfo(handle);
        if (info != null)
        {
            SampleRate = info->SampleRate;
            InputLatencySeconds = info->InputLatency;
            OutputLatencySeconds = info->OutputLatency;
        }
    }

    public AudioStreamOptions Options { get; }

    /// <summary>The rate the device really runs at.</summary>
    public double SampleRate { get; }

    public double InputLatencySeconds { get; }

    public double OutputLatencySeconds { get; }

    private protected PortAudioStreamHandle Handle { get; }

    /// <summary>Stops the stream after queued output has played, and closes it.</summary>
    public void Dispose()
    {
        if (!Handle.IsClosed)
        {
            PortAudioNative.StopStream(Handle);
            Handle.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private protected int FramesIn(int samples, AudioSampleFormat format)
    {
        if (format != Options.Format)
        {
            throw new ArgumentException($"The stream was opened for {Options.Format} samples, not {format}.");
        }

        return samples / Options.Channels;
    }
}
