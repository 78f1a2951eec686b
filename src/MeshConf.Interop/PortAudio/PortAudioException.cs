using MeshConf.Interop.Native;

namespace MeshConf.Interop.PortAudio;

/// <summary>A PortAudio call returned a <c>PaError</c>.</summary>
public sealed class PortAudioException : NativeCallException
{
    public PortAudioException()
    {
    }

    public PortAudioException(string message)
        : base(message)
    {
    }

    public PortAudioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PortAudioException(string function, int code)
        : base(function, code, PortAudioNative.ErrorText(code))
    {
    }

    /// <summary>Throws when <paramref name="code"/> is negative; returns it otherwise.</summary>
    public static int ThrowIfError(int code, string function) =>
        code < 0 ? throw new PortAudioException(function, code) : code;
}
