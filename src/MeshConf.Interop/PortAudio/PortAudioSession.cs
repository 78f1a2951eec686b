using System.Globalization;
using System.Runtime.InteropServices;
using MeshConf.Interop.Native;

namespace MeshConf.Interop.PortAudio;

/// <summary>
/// A reference to an initialised PortAudio: lists devices and opens blocking streams. Streams keep PortAudio
/// initialised on their own, so disposing the session while a stream is open is safe.
/// </summary>
public sealed unsafe class PortAudioSession : IDisposable
{
    private bool _disposed;

    /// <summary>Initialises PortAudio, with its ALSA/JACK probing noise kept off the terminal.</summary>
    public PortAudioSession() => PortAudioRuntime.Acquire();

    /// <summary>PortAudio's version text, e.g. "PortAudio V19.6.0-devel, revision 396fe4b6699ae929d3a685b3ef8a7e97396139a4".</summary>
    public static string VersionText
    {
        get
        {
            NativeDependency.PortAudio.EnsureLoaded();
            return Marshal.PtrToStringUTF8((IntPtr)PortAudioNative.GetVersionText()) ?? "unknown";
        }
    }

    /// <summary>Every device of every host API.</summary>
    public IReadOnlyList<AudioDeviceInfo> GetDevices()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = PortAudioException.ThrowIfError(PortAudioNative.GetDeviceCount(), "Pa_GetDeviceCount");
        var defaultIn = PortAudioNative.GetDefaultInputDevice();
        var defaultOut = PortAudioNative.GetDefaultOutputDevice();
        var devices = new List<AudioDeviceInfo>(count);
        for (var i = 0; i < count; i++)
        {
            var info = PortAudioNative.GetDeviceInfo(i);
            if (info == null)
            {
                continue;
            }

            var api = PortAudioNative.GetHostApiInfo(info->HostApi);
            devices.Add(new AudioDeviceInfo(
                i,
                Marshal.PtrToStringUTF8((IntPtr)info->Name) ?? $"device {i}",
                api == null ? "unknown" : Marshal.PtrToStringUTF8((IntPtr)api->Name) ?? "unknown",
                info->MaxInputChannels,
                info->MaxOutputChannels,
                info->DefaultSampleRate,
                info->DefaultLowInputLatency,
                info->DefaultLowOutputLatency,
                i == defaultIn,
                i == defaultOut));
        }

        return devices;
    }

    /// <summary>The default capture device, or null when there is none.</summary>
    public AudioDeviceInfo? DefaultInput => GetDevices().FirstOrDefault(d => d.IsDefaultInput && d.CanCapture);

    /// <summary>The default playback device, or null when there is none.</summary>
    public AudioDeviceInfo? DefaultOutput => GetDevices().FirstOrDefault(d => d.IsDefaultOutput && d.CanPlay);

    /// <summary>
    /// Finds a device by index ("3") or by name: an exact, case-insensitive match first, then the first device
    /// whose name contains <paramref name="nameOrIndex"/>. Only devices that can capture (or play) are considered.
    /// </summary>
    public AudioDeviceInfo? FindDevice(string nameOrIndex, bool capture)
    {
        ArgumentNullException.ThrowIfNull(nameOrIndex);
        var candidates = GetDevices().Where(d => capture ? d.CanCapture : d.CanPlay).ToList();
        if (int.TryParse(nameOrIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return candidates.FirstOrDefault(d => d.Index == index);
        }

        return candidates.FirstOrDefault(d => string.Equals(d.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase))
            ?? candidates.FirstOrDefault(d => d.Name.Contains(nameOrIndex, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Opens and starts a blocking capture stream.</summary>
    public PortAudioInputStream OpenInput(AudioStreamOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(options);
        var device = options.Device ?? PortAudioNative.GetDefaultInputDevice();
        var parameters = Parameters(device, options, input: true);
        return new PortAudioInputStream(Open(&parameters, null, options), options);
    }

    /// <summary>Opens and starts a blocking playback stream.</summary>
    public PortAudioOutputStream OpenOutput(AudioStreamOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(options);
        var device = options.Device ?? PortAudioNative.GetDefaultOutputDevice();
        var parameters = Parameters(device, options, input: false);
        return new PortAudioOutputStream(Open(null, &parameters, options), options);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            PortAudioRuntime.Release();
        }
    }

    private static PortAudioNative.StreamParameters Parameters(int device, AudioStreamOptions options, bool input)
    {
        if (device == PortAudioNative.NoDevice)
        {
            throw new PortAudioException(input ? "Pa_GetDefaultInputDevice" : "Pa_GetDefaultOutputDevice", -9996 /* paInvalidDevice */);
        }

        var info = PortAudioNative.GetDeviceInfo(device);
        if (info == null)
        {
            throw new PortAudioException("Pa_GetDeviceInfo", -9996);
        }

        return new PortAudioNative.StreamParameters
        {
            Device = device,
            ChannelCount = options.Channels,
            SampleFormat = new CULong((nuint)(options.Format == AudioSampleFormat.Pcm16 ? PortAudioNative.Int16 : PortAudioNative.Float32)),
            SuggestedLatency = options.SuggestedLatencySeconds ?? (input ? info->DefaultLowInputLatency : info->DefaultLowOutputLatency),
            HostApiSpecificStreamInfo = IntPtr.Zero,
        };
    }

    private static PortAudioStreamHandle Open(PortAudioNative.StreamParameters* input, PortAudioNative.StreamParameters* output, AudioStreamOptions options)
    {
        // The stream holds its own Pa_Initialize reference, dropped when its handle is released.
        PortAudioRuntime.Acquire();
        int rc;
        IntPtr stream;
        using (StderrSilencer.Begin())
        {
            rc = PortAudioNative.OpenStream(out stream, input, output, options.SampleRate, new CULong((nuint)options.FramesPerBuffer), new CULong((nuint)PortAudioNative.ClipOff), IntPtr.Zero, IntPtr.Zero);
        }

        if (rc != PortAudioNative.NoError)
        {
            PortAudioRuntime.Release();
            throw new PortAudioException("Pa_OpenStream", rc);
        }

        var handle = new PortAudioStreamHandle(stream);
        rc = PortAudioNative.StartStream(handle);
        if (rc != PortAudioNative.NoError)
        {
            handle.Dispose();
            throw new PortAudioException("Pa_StartStream", rc);
        }

        return handle;
    }
}
