using System.Runtime.InteropServices;

namespace MeshConf.Interop.PortAudio;

/// <summary>A blocking playback stream. Underflows (the device ran dry before we wrote) are counted, not thrown.</summary>
public sealed unsafe class PortAudioOutputStream : PortAudioStream
{
    internal PortAudioOutputStream(PortAudioStreamHandle handle, AudioStreamOptions options)
        : base(handle, options)
    {
    }

    /// <summary>Writes that reported paOutputUnderflowed since the stream opened.</summary>
    public long Underflows { get; private set; }

    /// <summary>Frames that can be written without blocking.</summary>
    public long FramesWritable => PortAudioException.ThrowIfError((int)PortAudioNative.GetStreamWriteAvailable(Handle).Value, "Pa_GetStreamWriteAvailable");

    /// <summary>Queues <paramref name="buffer"/> (interleaved), blocking while the device buffer is full. Returns false on an underflow.</summary>
    public bool Write(ReadOnlySpan<short> buffer)
    {
        var frames = FramesIn(buffer.Length, AudioSampleFormat.Pcm16);
        fixed (short* p = buffer)
        {
            return Complete(PortAudioNative.WriteStream(Handle, p, new CULong((nuint)frames)));
        }
    }

    /// <inheritdoc cref="Write(ReadOnlySpan{short})"/>
    public bool Write(ReadOnlySpan<float> buffer)
    {
        var frames = FramesIn(buffer.Length, AudioSampleFormat.PcmFloat);
        fixed (float* p = buffer)
        {
            return Complete(PortAudioNative.WriteStream(Handle, p, new CULong((nuint)frames)));
        }
    }

    private bool Complete(int rc)
    {
        if (rc == PortAudioNative.OutputUnderflowed)
        {
            Underflows++;
            return false;
        }

        PortAudioException.ThrowIfError(rc, "Pa_WriteStream");
        return true;
    }
}
