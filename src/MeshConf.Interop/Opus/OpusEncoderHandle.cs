using System.Runtime.InteropServices;

namespace MeshConf.Interop.Opus;

/// <summary>Owns an <c>OpusEncoder*</c>; released with <c>opus_encoder_destroy</c>.</summary>
internal sealed class OpusEncoderHandle : SafeHandle
{
    public OpusEncoderHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpusNative.EncoderDestroy(handle);
        return true;
    }
}
