using MeshConf.Core.Audio;

namespace MeshConf.Node.Audio;

/// <summary>
/// `--audio file:IN.wav`: a WAV file, looped, at real time. It is read whole when opened: channels are averaged
/// to mono, and a rate other than 48 kHz is resampled by linear interpolation (good enough for test speech and
/// bots; a file meant to sound its best should be 48 kHz already). Frames are paced by the clock.
/// </summary>
internal sealed class FileAudioInput : IAudioInput
{
    private readonly float[] _samples;
    private readonly FramePacer _pacer;
    private int _position;

    /// <summary>Plays <paramref name="audio"/> (any rate and channel count) under the name <paramref name="name"/>.</summary>
    public FileAudioInput(PcmAudio audio, string name, int frameSamples, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(audio);
        AudioFormat.CheckFrameSize(frameSamples);
        if (audio.FrameCount == 0)
        {
            throw new InvalidDataException("the WAVE file holds no samples");
        }

        _samples = ToMono48k(audio);
        _pacer = new FramePacer(time, frameSamples);
        FrameSamples = frameSamples;
        SourceRate = audio.SampleRate;
        SourceChannels = audio.Channels;
        Description = SourceRate == AudioFormat.SampleRate ? $"file {name}" : $"file {name} (resampled from {SourceRate} Hz)";
    }

    public int FrameSamples { get; }

    public bool IsDevice => false;

    public string Description { get; }

    public long Errors => 0;

    public string? Problem => null;

    /// <summary>The file's sample rate.</summary>
    public int SourceRate { get; }

    /// <summary>The file's channel count.</summary>
    public int SourceChannels { get; }

    /// <summary>Samples in one pass through the file, at 48 kHz.</summary>
    public int LoopSamples => _samples.Length;

    /// <summary>Reads a WAV file; <see cref="InvalidDataException"/> or an I/O exception when it cannot be used.</summary>
    public static FileAudioInput Open(string path, int frameSamples, TimeProvider time) =>
        new(WaveFile.Read(path), Path.GetFileName(path), frameSamples, time);

    public bool Read(Span<float> frame)
    {
        if (frame.Length < FrameSamples)
        {
            throw new ArgumentException($"a frame is {FrameSamples} samples; got {frame.Length}", nameof(frame));
        }

        if (!_pacer.WaitNext())
        {
            return false;
        }

        var filled = 0;
        while (filled < FrameSamples)
        {
            var n = Math.Min(FrameSamples - filled, _samples.Length - _position);
            _samples.AsSpan(_position, n).CopyTo(frame[filled..]);
            filled += n;
            _position += n;
            if (_position == _samples.Length)
            {
                _position = 0;
            }
        }

        return true;
    }

    public void Dispose() => _pacer.Dispose();

    /// <summary>Mono (channels averaged) floats at 48 kHz, resampled linearly when the rate differs.</summary>
    internal static float[] ToMono48k(PcmAudio audio)
    {
        var mono = audio.ToMono().Samples;
        if (audio.SampleRate == AudioFormat.SampleRate)
        {
            var same = new float[mono.Length];
            for (var i = 0; i < mono.Length; i++)
            {
                same[i] = SampleConversion.ToFloat(mono[i]);
            }

            return same;
        }

        var length = (int)Math.Max(1, Math.Round((double)mono.Length * AudioFormat.SampleRate / audio.SampleRate));
        var output = new float[length];
        var step = (double)audio.SampleRate / AudioFormat.SampleRate;
        for (var i = 0; i < length; i++)
        {
            var position = i * step;
            var left = (int)position;
            var fraction = position - left;
            var a = mono[Math.Min(left, mono.Length - 1)];
            var b = mono[Math.Min(left + 1, mono.Length - 1)];
            output[i] = (float)((a + ((b - a) * fraction)) / 32768.0);
        }

        return output;
    }
}
