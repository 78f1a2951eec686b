using System.Runtime.InteropServices;

namespace MeshConf.Interop.PortAudio;

/// <summary>
/// Owns a <c>PaStream*</c> together with the <c>Pa_Initialize</c> reference taken to open it: release closes
/// the stream, then drops that reference, so PortAudio never terminates under an open stream.
/// </summary>
internal sealed class PortAudioStreamHandle : SafeHandle
{
    public PortAudioStreamHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public PortAudioStreamHandle(IntPtr stream)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(stream);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        // Pa_CloseStream on a running stream aborts it first.
        var rc = PortAudioNative.CloseStream(handle);
        PortAudioRuntime.Release();
        return rc == PortAudioNative.NoError;
    }
}
