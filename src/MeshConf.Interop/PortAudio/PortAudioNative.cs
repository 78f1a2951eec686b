using System.Runtime.InteropServices;

namespace MeshConf.Interop.PortAudio;

/// <summary>Raw PortAudio v19 entry points and structures (portaudio.h).</summary>
internal static unsafe partial class PortAudioNative
{
    private const string Library = "portaudio";

    public const int NoError = 0;
    public const int NoDevice = -1;
    public const int InputOverflowed = -9981;
    public const int OutputUnderflowed = -9980;
    public const ulong Float32 = 0x1;
    public const ulong Int16 = 0x8;
    public const ulong ClipOff = 0x1;

    /// <summary><c>PaStreamParameters</c>. <c>unsigned long</c> is 64-bit on Linux and macOS, 32-bit on Windows: CULong.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StreamParameters
    {
        public int Device;
        public int ChannelCount;
        public CULong SampleFormat;
        public double SuggestedLatency;
        public IntPtr HostApiSpecificStreamInfo;
    }

    /// <summary><c>PaDeviceInfo</c> (structVersion 2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct DeviceInfo
    {
        public int StructVersion;
        public byte* Name;
        public int HostApi;
        public int MaxInputChannels;
        public int MaxOutputChannels;
        public double DefaultLowInputLatency;
        public double DefaultLowOutputLatency;
        public double DefaultHighInputLatency;
        public double DefaultHighOutputLatency;
        public double DefaultSampleRate;
    }

    /// <summary><c>PaHostApiInfo</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct HostApiInfo
    {
        public int StructVersion;
        public int Type;
        public byte* Name;
        public int DeviceCount;
        public int DefaultInputDevice;
        public int DefaultOutputDevice;
    }

    /// <summary><c>PaStreamInfo</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StreamInfo
    {
        public int StructVersion;
        public double InputLatency;
        public double OutputLatency;
        public double SampleRate;
    }

    [LibraryImport(Library, EntryPoint = "Pa_GetVersion")]
    public static partial int GetVersion();

    [LibraryImport(Library, EntryPoint = "Pa_GetVersionText")]
    public static partial byte* GetVersionText();

    [LibraryImport(Library, EntryPoint = "Pa_GetErrorText")]
    public static partial byte* GetErrorText(int error);

    [LibraryImport(Library, EntryPoint = "Pa_Initialize")]
    public static partial int Initialize();

    [LibraryImport(Library, EntryPoint = "Pa_Terminate")]
    public static partial int Terminate();

    [LibraryImport(Library, EntryPoint = "Pa_GetHostApiInfo")]
    public static partial HostApiInfo* GetHostApiInfo(int hostApi);

    [LibraryImport(Library, EntryPoint = "Pa_GetDeviceCount")]
    public static partial int GetDeviceCount();

    [LibraryImport(Library, EntryPoint = "Pa_GetDefaultInputDevice")]
    public static partial int GetDefaultInputDevice();

    [LibraryImport(Library, EntryPoint = "Pa_GetDefaultOutputDevice")]
    public static partial int GetDefaultOutputDevice();

    [LibraryImport(Library, EntryPoint = "Pa_GetDeviceInfo")]
    public static partial DeviceInfo* GetDeviceInfo(int device);

    [LibraryImport(Library, EntryPoint = "Pa_IsFormatSupported")]
    public static partial int IsFormatSupported(StreamParameters* input, StreamParameters* output, double sampleRate);

    [LibraryImport(Library, EntryPoint = "Pa_OpenStream")]
    public static partial int OpenStream(out IntPtr stream, StreamParameters* input, StreamParameters* output, double sampleRate, CULong framesPerBuffer, CULong flags, IntPtr callback, IntPtr userData);

    [LibraryImport(Library, EntryPoint = "Pa_StartStream")]
    public static partial int StartStream(PortAudioStreamHandle stream);

    [LibraryImport(Library, EntryPoint = "Pa_StopStream")]
    public static partial int StopStream(PortAudioStreamHandle stream);

    [LibraryImport(Library, EntryPoint = "Pa_CloseStream")]
    public static partial int CloseStream(IntPtr stream);

    [LibraryImport(Library, EntryPoint = "Pa_ReadStream")]
    public static partial int ReadStream(PortAudioStreamHandle stream, void* buffer, CULong frames);

    [LibraryImport(Library, EntryPoint = "Pa_WriteStream")]
    public static partial int WriteStream(PortAudioStreamHandle stream, void* buffer, CULong frames);

    [LibraryImport(Library, EntryPoint = "Pa_GetStreamReadAvailable")]
    public static partial CLong GetStreamReadAvailable(PortAudioStreamHandle stream);

    [LibraryImport(Library, EntryPoint = "Pa_GetStreamWriteAvailable")]
    public static partial CLong GetStreamWriteAvailable(PortAudioStreamHandle stream);

    [LibraryImport(Library, EntryPoint = "Pa_GetStreamInfo")]
    public static partial StreamInfo* GetStreamInfo(PortAudioStreamHandle stream);

    public static string ErrorText(int code) => Marshal.PtrToStringUTF8((IntPtr)GetErrorText(code)) ?? $"PortAudio error {code}";
}
