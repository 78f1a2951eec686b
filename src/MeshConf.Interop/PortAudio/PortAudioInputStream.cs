using System.Runtime.InteropServices;

namespace MeshConf.Interop.PortAudio;

/// <summary>A blocking capture stream. Overflows (samples the device dropped because we read late) are counted, not thrown.</summary>
public sealed unsafe class PortAudioInputStream : PortAudioStream
{
    internal PortAudioInputStream(PortAudioStreamHandle handle, AudioStreamOptions options)
        : base(handle, options)
    {
    }

    /// <summary>Reads that reported paInputOverflowed since the stream opened.</summary>
    public long Overflows { get; private set; }

    /// <summary>Frames that can be read without blocking.</summary>
    public long FramesAvailable => PortAudioException.ThrowIfError((int)PortAudioNative.GetStreamReadAvailable(Handle).Value, "Pa_GetStreamReadAvailable");

    /// <summary>Fills <paramref name="buffer"/> (interleaved), blocking until it is full. Returns false on an overflow.</summary>
    public bool Read(Span<short> buffer)
    {
        var frames = FramesIn(buffer.Length, AudioSampleFormat.Pcm16);
        fixed (short* p = buffer)
        {
            return Complete(PortAudioNative.ReadStream(Handle, p, new CULong((nuint)frames)));
        }
    }

    /// <inheritdoc cref="Read(Span{short})"/>
    public bool Read(Span<float> buffer)
    {
        var frames = FramesIn(buffer.Length, AudioSampleFormat.PcmFloat);
        fixed (float* p = buffer)
        {
            return Complete(PortAudioNative.ReadStream(Handle, p, new CULong((nuint)frames)));
        }
    }

    private bool Complete(int rc)
    {
        if (rc == PortAudioNative.InputOverflowed)
        {
            // The buffer is still filled; some earlier input was lost.
            Overflows++;
            return false;
        }

        PortAudioException.ThrowIfError(rc, "Pa_ReadStream");
        return true;
    }
}
