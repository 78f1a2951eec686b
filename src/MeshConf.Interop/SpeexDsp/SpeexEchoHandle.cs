using System.Runtime.InteropServices;

namespace MeshConf.Interop.SpeexDsp;

/// <summary>Owns a <c>SpeexEchoState*</c>.</summary>
internal sealed class SpeexEchoHandle : SafeHandle
{
    public SpeexEchoHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        SpeexDspNative.EchoStateDestroy(handle);
        return true;
    }
}
