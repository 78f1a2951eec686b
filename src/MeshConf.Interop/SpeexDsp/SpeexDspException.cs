using MeshConf.Interop.Native;

namespace MeshConf.Interop.SpeexDsp;

/// <summary>A speexdsp call failed (a ctl returns -1 for a request it does not know).</summary>
public sealed class SpeexDspException : NativeCallException
{
    public SpeexDspException()
    {
    }

    public SpeexDspException(string message)
        : base(message)
    {
    }

    public SpeexDspException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SpeexDspException(string function, int code, string description)
        : base(function, code, description)
    {
    }

    internal static void ThrowIfError(int code, string function, int request)
    {
        if (code != 0)
        {
            throw new SpeexDspException(function, code, $"request {request} refused");
        }
    }
}
