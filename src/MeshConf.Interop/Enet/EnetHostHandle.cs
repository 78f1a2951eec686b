using System.Runtime.InteropServices;

namespace MeshConf.Interop.Enet;

/// <summary>Owns an <c>ENetHost*</c>; released with <c>enet_host_destroy</c>, which also frees its peers.</summary>
internal sealed class EnetHostHandle : SafeHandle
{
    public EnetHostHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        EnetNative.HostDestroy(handle);
        return true;
    }
}
