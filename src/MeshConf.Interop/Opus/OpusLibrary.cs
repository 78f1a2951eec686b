using System.Runtime.InteropServices;
using MeshConf.Interop.Native;

namespace MeshConf.Interop.Opus;

/// <summary>Facts about the loaded libopus.</summary>
public static unsafe class OpusLibrary
{
    /// <summary>The version string libopus reports, e.g. "libopus 1.3.1".</summary>
    public static string Version
    {
        get
        {
            NativeDependency.Opus.EnsureLoaded();
            return Marshal.PtrToStringUTF8((IntPtr)OpusNative.GetVersionString()) ?? "unknown";
        }
    }

    /// <summary>Number of samples per channel in <paramref name="packet"/>, at <paramref name="sampleRate"/>.</summary>
    public static int GetSampleCount(ReadOnlySpan<byte> packet, int sampleRate)
    {
        NativeDependency.Opus.EnsureLoaded();
        fixed (byte* p = packet)
        {
            return OpusException.ThrowIfError(OpusNative.PacketGetNbSamples(p, packet.Length, sampleRate), "opus_packet_get_nb_samples");
        }
    }
}
