using MeshConf.Interop.Native;

namespace MeshConf.Interop.Enet;

/// <summary>Process-wide ENet state: initialised once, linked version checked before any struct is read.</summary>
public static class EnetLibrary
{
    /// <summary>ENet 1.3.17, whose <c>ENetPeer</c> field offsets the bindings use (checked with offsetof).</summary>
    public static readonly Version LayoutVersion = new(1, 3, 17);

    private static readonly Lock s_gate = new();
    private static bool s_initialized;
    private static bool s_layoutKnown;

    /// <summary>The version of the libenet actually loaded (<c>enet_linked_version</c>).</summary>
    public static Version LinkedVersion
    {
        get
        {
            EnsureInitialized();
            var v = EnetNative.LinkedVersion();
            return new Version((int)(v >> 16) & 0xFF, (int)(v >> 8) & 0xFF, (int)v & 0xFF);
        }
    }

    /// <summary>
    /// ENet's millisecond clock (<c>enet_time_get</c>), the clock of peer timestamps such as
    /// <see cref="EnetPeer.LastReceiveTimeMs"/>. It wraps after 2^32 ms: compare with unsigned subtraction.
    /// </summary>
    public static uint TimeMs
    {
        get
        {
            EnsureInitialized();
            return EnetNative.TimeGet();
        }
    }

    /// <summary>
    /// True when the loaded library lays out <c>ENetHost</c> and <c>ENetPeer</c> as the bindings expect:
    /// 1.3.17 or 1.3.18 (1.3.18 changed no structure), 64-bit process.
    /// </summary>
    public static bool HasKnownLayout
    {
        get
        {
            var v = LinkedVersion;
            return Environment.Is64BitProcess && v.Major == 1 && v.Minor == 3 && v.Build is 17 or 18;
        }
    }

    /// <summary>Loads libenet and calls <c>enet_initialize</c> the first time; later calls do nothing.</summary>
    public static void EnsureInitialized()
    {
        lock (s_gate)
        {
            if (s_initialized)
            {
                return;
            }

            NativeDependency.Enet.EnsureLoaded();
            var rc = EnetNative.Initialize();
            if (rc != 0)
            {
                throw new EnetException("enet_initialize", rc, "could not initialise ENet");
            }

            // enet_deinitialize is only meaningful on Windows (WSACleanup) and hosts may still be alive on other
            // threads while the process exits, so ENet stays initialised for the life of the process.
            s_initialized = true;
        }
    }

    /// <summary>Throws unless peer and host fields may be read from this library build.</summary>
    internal static void EnsureKnownLayout()
    {
        // Peer fields are read per packet on the transport thread: check the version once, not per read
        // (LinkedVersion builds a Version object). The loaded library cannot change within a process.
        if (Volatile.Read(ref s_layoutKnown))
        {
            return;
        }

        if (HasKnownLayout)
        {
            Volatile.Write(ref s_layoutKnown, true);
        }
        else
        {
            throw new NotSupportedException(
                $"libenet {LinkedVersion} is not a version whose structures MeshConf knows ({LayoutVersion} expected, 64-bit).");
        }
    }
}
