namespace MeshConf.Interop.Native;

/// <summary>A native library MeshConf needs is not installed; the message says how to install it.</summary>
public sealed class NativeDependencyMissingException : Exception
{
    public NativeDependencyMissingException()
    {
    }

    public NativeDependencyMissingException(string message)
        : base(message)
    {
    }

    public NativeDependencyMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal NativeDependencyMissingException(NativeDependency dependency, string message)
        : base(message)
    {
        Dependency = dependency;
    }

    /// <summary>The library that is missing.</summary>
    public NativeDependency? Dependency { get; }
}
