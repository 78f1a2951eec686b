using System.Runtime.InteropServices;

namespace MeshConf.Interop.SpeexDsp;

/// <summary>Raw speexdsp entry points (speex_echo.h, speex_preprocess.h of speexdsp 1.2).</summary>
internal static unsafe partial class SpeexDspNative
{
    private const string Library = "speexdsp";

    // speex_echo.h
    public const int EchoSetSamplingRate = 24;
    public const int EchoGetSamplingRate = 25;

    // speex_preprocess.h
    public const int SetDenoise = 0;
    public const int GetDenoise = 1;
    public const int SetAgc = 2;
    public const int GetAgc = 3;
    public const int SetVad = 4;
    public const int GetVad = 5;
    public const int SetAgcLevel = 6;
    public const int GetAgcLevel = 7;
    public const int SetProbStart = 14;
    public const int SetProbContinue = 16;
    public const int SetNoiseSuppress = 18;
    public const int GetNoiseSuppress = 19;
    public const int SetEchoSuppress = 20;
    public const int SetEchoSuppressActive = 22;
    public const int SetEchoState = 24;
    public const int SetAgcMaxGain = 30;
    public const int GetAgcGain = 35;
    public const int GetProb = 45;

    [LibraryImport(Library, EntryPoint = "speex_echo_state_init")]
    public static partial SpeexEchoHandle EchoStateInit(int frameSize, int filterLength);

    [LibraryImport(Library, EntryPoint = "speex_echo_state_destroy")]
    public static partial void EchoStateDestroy(IntPtr state);

    [LibraryImport(Library, EntryPoint = "speex_echo_cancellation")]
    public static partial void EchoCancellation(SpeexEchoHandle state, short* recorded, short* played, short* output);

    [LibraryImport(Library, EntryPoint = "speex_echo_capture")]
    public static partial void EchoCapture(SpeexEchoHandle state, short* recorded, short* output);

    [LibraryImport(Library, EntryPoint = "speex_echo_playback")]
    public static partial void EchoPlayback(SpeexEchoHandle state, short* played);

    [LibraryImport(Library, EntryPoint = "speex_echo_state_reset")]
    public static partial void EchoStateReset(SpeexEchoHandle state);

    [LibraryImport(Library, EntryPoint = "speex_echo_ctl")]
    public static partial int EchoCtl(SpeexEchoHandle state, int request, void* value);

    [LibraryImport(Library, EntryPoint = "speex_preprocess_state_init")]
    public static partial SpeexPreprocessHandle PreprocessStateInit(int frameSize, int samplingRate);

    [LibraryImport(Library, EntryPoint = "speex_preprocess_state_destroy")]
    public static partial void PreprocessStateDestroy(IntPtr state);

    [LibraryImport(Library, EntryPoint = "speex_preprocess_run")]
    public static partial int PreprocessRun(SpeexPreprocessHandle state, short* samples);

    [LibraryImport(Library, EntryPoint = "speex_preprocess_ctl")]
    public static partial int PreprocessCtl(SpeexPreprocessHandle state, int request, void* value);
}
