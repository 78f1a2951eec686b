namespace MeshConf.Node.Security;

/// <summary>
/// The identity key cannot be used: its file is readable by others, corrupt, or unreadable. The message is one line
/// for the user, naming the file and the fix.
/// </summary>
public sealed class IdentityException : Exception
{
    /// <summary>An identity problem with no details.</summary>
    public IdentityException()
        : base("the identity key cannot be used")
    {
    }

    /// <summary>An identity problem described by <paramref name="message"/>.</summary>
    public IdentityException(string message)
        : base(message)
    {
    }

    /// <summary>An identity problem caused by <paramref name="innerException"/>.</summary>
    public IdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
