namespace MeshConf.Interop.Native;

/// <summary>A native function reported an error. Carries the function's name and the code it returned.</summary>
public abstract class NativeCallException : Exception
{
    protected NativeCallException()
    {
        Function = string.Empty;
    }

    protected NativeCallException(string message)
        : base(message)
    {
        Function = string.Empty;
    }

    protected NativeCallException(string message, Exception innerException)
        : base(message, innerException)
    {
        Function = string.Empty;
    }

    protected NativeCallException(string function, int code, string description)
        : base($"{function} failed: {description} ({code})")
    {
        Function = function;
        Code = code;
    }

    /// <summary>The native function that failed, e.g. <c>opus_encode</c>.</summary>
    public string Function { get; }

    /// <summary>The error code it returned.</summary>
    public int Code { get; }
}
