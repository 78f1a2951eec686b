using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MeshConf.TestSupport;

/// <summary>The Linux calls the namespace helpers need: entering a network namespace, signalling a pid.</summary>
internal static partial class Libc
{
    // glibc's soname: "libc" alone resolves to the linker script libc.so (with libc6-dev) or to nothing.
    private const string Library = "libc.so.6";

    /// <summary>CLONE_NEWNET from &lt;sched.h&gt;: setns must find a network namespace behind the descriptor.</summary>
    public const int CloneNewNet = 0x40000000;

    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>
    /// setns(2). The descriptor is a SafeHandle the marshaller passes as a pointer-sized value; the C side reads
    /// its low 32 bits as the int it declares, which is how both x64 and arm64 pass an int in a register.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(SafeFileHandle fd, int nsType);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial uint IfNameToIndex(string name);

    /// <summary>Moves the CALLING THREAD into the network namespace behind <paramref name="path"/>.</summary>
    public static void EnterNetworkNamespace(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        if (SetNs(handle, CloneNewNet) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"setns({path}, CLONE_NEWNET) failed: {Marshal.GetPInvokeErrorMessage(errno)} ({errno})");
        }
    }

    /// <summary>The index of interface <paramref name="name"/> in the calling thread's network namespace.</summary>
    public static int InterfaceIndex(string name)
    {
        var index = IfNameToIndex(name);
        if (index == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"if_nametoindex({name}) failed: {Marshal.GetPInvokeErrorMessage(errno)} ({errno})");
        }

        return (int)index;
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process exists (any more).</summary>
    public static bool Signal(int pid, int signal)
    {
        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new Win32Exception(errno, $"kill({pid}, {signal}) failed: {Marshal.GetPInvokeErrorMessage(errno)} ({errno})");
    }
}
