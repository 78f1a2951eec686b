using System.Runtime.InteropServices;

namespace MeshConf.Interop.Opus;

/// <summary>Owns an <c>OpusDecoder*</c>; released with <c>opus_decoder_destroy</c>.</summary>
internal sealed class OpusDecoderHandle : SafeHandle
{
    public OpusDecoderHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpusNative.DecoderDestroy(handle);
        return true;
    }
}
