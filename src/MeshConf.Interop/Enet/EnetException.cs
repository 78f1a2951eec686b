using MeshConf.Interop.Native;

namespace MeshConf.Interop.Enet;

/// <summary>An ENet call failed. ENet reports little more than -1, so the message says what was attempted.</summary>
public sealed class EnetException : NativeCallException
{
    public EnetException()
    {
    }

    public EnetException(string message)
        : base(message)
    {
    }

    public EnetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EnetException(string function, int code, string description)
        : base(function, code, description)
    {
    }
}
