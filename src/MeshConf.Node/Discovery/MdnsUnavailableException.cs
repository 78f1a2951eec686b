namespace MeshConf.Node.Discovery;

/// <summary>
/// mDNS cannot run: no usable interface, an interface name that does not exist, or UDP port 5353 not bindable.
/// The message is one line meant for the user; <see cref="Notice"/> is the whole notice ("mDNS off: ...").
/// The rest of MeshConf runs on without discovery.
/// </summary>
public sealed class MdnsUnavailableException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public MdnsUnavailableException()
        : base("mDNS is unavailable")
    {
    }

    /// <summary>Creates the exception with a one-line <paramref name="message"/>.</summary>
    public MdnsUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line <paramref name="message"/> and its cause.</summary>
    public MdnsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The notice to show: "mDNS off: " and the message.</summary>
    public string Notice => $"mDNS off: {Message}";
}
