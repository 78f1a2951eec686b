using MeshConf.Interop.Native;

namespace MeshConf.Interop.Opus;

/// <summary>A libopus call returned an error code (negative <c>OPUS_*</c>).</summary>
public sealed class OpusException : NativeCallException
{
    public OpusException()
    {
    }

    public OpusException(string message)
        : base(message)
    {
    }

    public OpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OpusException(string function, int code)
        : base(function, code, OpusNative.ErrorText(code))
    {
    }

    /// <summary>Throws when <paramref name="code"/> is negative; returns it otherwise.</summary>
    public static int ThrowIfError(int code, string function) =>
        code < 0 ? throw new OpusException(function, code) : code;
}
