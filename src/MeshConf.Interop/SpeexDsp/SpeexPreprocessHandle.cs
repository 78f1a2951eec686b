using System.Runtime.InteropServices;

namespace MeshConf.Interop.SpeexDsp;

/// <summary>Owns a <c>SpeexPreprocessState*</c>.</summary>
internal sealed class SpeexPreprocessHandle : SafeHandle
{
    public SpeexPreprocessHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        SpeexDspNative.PreprocessStateDestroy(handle);
        return true;
    }
}
