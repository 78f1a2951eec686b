using System.Runtime.InteropServices;
using MeshConf.Interop.Native;

namespace MeshConf.Interop.Opus;

/// <summary>Raw libopus entry points (opus.h, opus_defines.h of libopus 1.3).</summary>
internal static unsafe partial class OpusNative
{
    private const string Library = "opus";

    // Error codes, opus_defines.h.
    public const int Ok = 0;
    public const int BadArg = -1;
    public const int BufferTooSmall = -2;
    public const int InvalidPacket = -4;

    // CTL requests, opus_defines.h.
    public const int SetBitrateRequest = 4002;
    public const int GetBitrateRequest = 4003;
    public const int SetVbrRequest = 4006;
    public const int GetVbrRequest = 4007;
    public const int SetComplexityRequest = 4010;
    public const int GetComplexityRequest = 4011;
    public const int SetInbandFecRequest = 4012;
    public const int GetInbandFecRequest = 4013;
    public const int SetPacketLossPercRequest = 4014;
    public const int GetPacketLossPercRequest = 4015;
    public const int SetDtxRequest = 4016;
    public const int GetDtxRequest = 4017;
    public const int SetSignalRequest = 4024;
    public const int GetSignalRequest = 4025;
    public const int GetLookaheadRequest = 4027;
    public const int ResetStateRequest = 4028;
    public const int GetSampleRateRequest = 4029;
    public const int GetLastPacketDurationRequest = 4039;

    [LibraryImport(Library, EntryPoint = "opus_get_version_string")]
    public static partial byte* GetVersionString();

    [LibraryImport(Library, EntryPoint = "opus_strerror")]
    public static partial byte* StrError(int error);

    [LibraryImport(Library, EntryPoint = "opus_encoder_create")]
    public static partial OpusEncoderHandle EncoderCreate(int sampleRate, int channels, int application, out int error);

    [LibraryImport(Library, EntryPoint = "opus_encoder_destroy")]
    public static partial void EncoderDestroy(IntPtr encoder);

    [LibraryImport(Library, EntryPoint = "opus_encode")]
    public static partial int Encode(OpusEncoderHandle encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

    [LibraryImport(Library, EntryPoint = "opus_encode_float")]
    public static partial int EncodeFloat(OpusEncoderHandle encoder, float* pcm, int frameSize, byte* data, int maxDataBytes);

    [LibraryImport(Library, EntryPoint = "opus_decoder_create")]
    public static partial OpusDecoderHandle DecoderCreate(int sampleRate, int channels, out int error);

    [LibraryImport(Library, EntryPoint = "opus_decoder_destroy")]
    public static partial void DecoderDestroy(IntPtr decoder);

    [LibraryImport(Library, EntryPoint = "opus_decode")]
    public static partial int Decode(OpusDecoderHandle decoder, byte* data, int length, short* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_decode_float")]
    public static partial int DecodeFloat(OpusDecoderHandle decoder, byte* data, int length, float* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_packet_get_nb_samples")]
    public static partial int PacketGetNbSamples(byte* packet, int length, int sampleRate);

    // opus_encoder_ctl and opus_decoder_ctl are variadic. On x64 (System V and Microsoft) and on Linux/Windows
    // arm64 a variadic int or pointer travels exactly like a fixed one, so a fixed two- or three-argument
    // declaration is correct; C# __arglist is not supported by the runtime here. Apple arm64 passes every
    // variadic argument on the stack instead, so there we fill the eight argument registers with padding and
    // the value lands in the first stack slot, where va_arg reads it.
    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    private static partial int EncoderCtlValue(OpusEncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    private static partial int EncoderCtlPointer(OpusEncoderHandle encoder, int request, int* value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    private static partial int EncoderCtlNone(OpusEncoderHandle encoder, int request);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    private static partial int EncoderCtlAppleArm64(OpusEncoderHandle encoder, int request, nint r2, nint r3, nint r4, nint r5, nint r6, nint r7, nint stackValue);

    [LibraryImport(Library, EntryPoint = "opus_decoder_ctl")]
    private static partial int DecoderCtlPointer(OpusDecoderHandle decoder, int request, int* value);

    [LibraryImport(Library, EntryPoint = "opus_decoder_ctl")]
    private static partial int DecoderCtlNone(OpusDecoderHandle decoder, int request);

    [LibraryImport(Library, EntryPoint = "opus_decoder_ctl")]
    private static partial int DecoderCtlAppleArm64(OpusDecoderHandle decoder, int request, nint r2, nint r3, nint r4, nint r5, nint r6, nint r7, nint stackValue);

    private static readonly bool s_varargsOnStack =
        OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static int EncoderSet(OpusEncoderHandle encoder, int request, int value) => s_varargsOnStack
        ? EncoderCtlAppleArm64(encoder, request, 0, 0, 0, 0, 0, 0, value)
        : EncoderCtlValue(encoder, request, value);

    public static int EncoderGet(OpusEncoderHandle encoder, int request, out int value)
    {
        int v = 0;
        var result = s_varargsOnStack
            ? EncoderCtlAppleArm64(encoder, request, 0, 0, 0, 0, 0, 0, (nint)(&v))
            : EncoderCtlPointer(encoder, request, &v);
        value = v;
        return result;
    }

    public static int EncoderReset(OpusEncoderHandle encoder) => EncoderCtlNone(encoder, ResetStateRequest);

    public static int DecoderGet(OpusDecoderHandle decoder, int request, out int value)
    {
        int v = 0;
        var result = s_varargsOnStack
            ? DecoderCtlAppleArm64(decoder, request, 0, 0, 0, 0, 0, 0, (nint)(&v))
            : DecoderCtlPointer(decoder, request, &v);
        value = v;
        return result;
    }

    public static int DecoderReset(OpusDecoderHandle decoder) => DecoderCtlNone(decoder, ResetStateRequest);

    public static string ErrorText(int code)
    {
        NativeDependency.Opus.EnsureLoaded();
        return Marshal.PtrToStringUTF8((IntPtr)StrError(code)) ?? $"opus error {code}";
    }
}
