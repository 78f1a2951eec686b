using MeshConf.Core.Audio;
using MeshConf.Interop.Native;
using MeshConf.Interop.PortAudio;
using MeshConf.Node.Audio;
using MeshConf.Node.Tests.Security;

namespace MeshConf.Node.Tests.Audio;

/// <summary>The factory without sound devices: files, tones, none, and PortAudio missing. Device cases are in AudioDeviceTests.</summary>
public sealed class AudioIoFactoryTests
{
    private const int Frame = AudioFormat.Frame20Ms;

    private static readonly AudioIoFactory NoPortAudio = new(() => throw new NativeDependencyMissingException("PortAudio audio devices (libportaudio.so.2) is not installed"));

    private static readonly AudioIoFactory PortAudioNotAsked = new(() => throw new InvalidOperationException("PortAudio must not be asked"));

    [Fact]
    public void Given_none_When_created_Then_no_input_a_discarding_output_and_no_notice()
    {
        Assert.Null(PortAudioNotAsked.CreateInput(new AudioDeviceSpec(AudioSpecKind.None), null, Frame, TimeProvider.System, out var inNotice));
        using var output = PortAudioNotAsked.CreateOutput(new AudioDeviceSpec(AudioSpecKind.None), null, Frame, TimeProvider.System, out var outNotice);

        Assert.Null(inNotice);
        Assert.Null(outNotice);
        Assert.IsType<NullAudioOutput>(output);
        Assert.Equal(Frame, output.FrameSamples);
    }

    [Fact]
    public void Given_a_tone_spec_When_created_Then_a_tone_input_at_those_pitches()
    {
        Assert.True(AudioDeviceSpec.TryParseInput("tone:330,495", out var spec, out _));

        using var input = PortAudioNotAsked.CreateInput(spec, "ignored", AudioFormat.Frame10Ms, TimeProvider.System, out var notice);

        var tone = Assert.IsType<ToneAudioInput>(input);
        Assert.Null(notice);
        Assert.Equal((330.0, (double?)495.0, AudioFormat.Frame10Ms), (tone.Frequency, tone.AlternateFrequency, tone.FrameSamples));
    }

    [Fact]
    public void Given_a_wav_file_When_created_Then_a_looping_file_input()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("in.wav");
        WaveFile.Write(path, new PcmAudio(48000, 1, new short[4800]));

        using var input = PortAudioNotAsked.CreateInput(new AudioDeviceSpec(AudioSpecKind.File, path), null, Frame, TimeProvider.System, out var notice);

        Assert.IsType<FileAudioInput>(input);
        Assert.Null(notice);
    }

    [Fact]
    public void Given_a_missing_input_file_When_created_Then_no_input_and_a_notice_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "meshconf-absent-" + Guid.NewGuid().ToString("N") + ".wav");

        Assert.Null(PortAudioNotAsked.CreateInput(new AudioDeviceSpec(AudioSpecKind.File, path), null, Frame, TimeProvider.System, out var notice));
        Assert.Equal($"audio file not found: {path}; listening only", notice);
    }

    [Fact]
    public void Given_a_file_that_is_not_a_wav_When_created_Then_no_input_and_a_notice_saying_why()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("notes.txt");
        File.WriteAllText(path, "hello");

        Assert.Null(PortAudioNotAsked.CreateInput(new AudioDeviceSpec(AudioSpecKind.File, path), null, Frame, TimeProvider.System, out var notice));
        Assert.Equal($"audio file {path} cannot be used (not a WAVE file (no RIFF/WAVE header)); listening only", notice);
    }

    [Fact]
    public void Given_an_output_file_When_created_Then_a_file_output_writing_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("out.wav");

        using (var output = PortAudioNotAsked.CreateOutput(new AudioDeviceSpec(AudioSpecKind.File, path), null, Frame, TimeProvider.System, out var notice))
        {
            Assert.IsType<FileAudioOutput>(output);
            Assert.Null(notice);
        }

        Assert.Empty(WaveFile.Read(path).Samples);
    }

    [Fact]
    public void Given_an_output_file_in_a_missing_folder_When_created_Then_a_discarding_output_and_a_notice()
    {
        var path = Path.Combine(Path.GetTempPath(), "meshconf-absent-" + Guid.NewGuid().ToString("N"), "out.wav");

        using var output = PortAudioNotAsked.CreateOutput(new AudioDeviceSpec(AudioSpecKind.File, path), null, Frame, TimeProvider.System, out var notice);

        Assert.IsType<NullAudioOutput>(output);
        Assert.NotNull(notice);
        Assert.StartsWith($"cannot write {path} (", notice, StringComparison.Ordinal);
        Assert.EndsWith("): the call is silent here", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_portaudio_When_devices_are_wanted_Then_listening_only_and_silent_with_the_install_hint()
    {
        var input = NoPortAudio.CreateInput(AudioDeviceSpec.Default, null, Frame, TimeProvider.System, out var inNotice);
        using var output = NoPortAudio.CreateOutput(AudioDeviceSpec.Default, "3", Frame, TimeProvider.System, out var outNotice);

        Assert.Null(input);
        Assert.IsType<NullAudioOutput>(output);
        var hint = NativeDependency.PortAudio.InstallHint;
        Assert.Equal($"portaudio missing: {hint}; listening only", inNotice);
        Assert.Equal($"portaudio missing: {hint}; the call is silent here", outNotice);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("libportaudio2", inNotice, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_portaudio_that_fails_to_start_When_a_microphone_is_wanted_Then_a_notice_not_an_exception()
    {
        var broken = new AudioIoFactory(() => throw new PortAudioException("Pa_Initialize", -9999));

        Assert.Null(broken.CreateInput(AudioDeviceSpec.Default, null, Frame, TimeProvider.System, out var notice));
        Assert.NotNull(notice);
        Assert.StartsWith("portaudio failed to start (Pa_Initialize", notice, StringComparison.Ordinal);
        Assert.EndsWith("): listening only", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_tone_as_an_output_When_created_Then_an_argument_error_because_parsing_never_gives_one()
    {
        Assert.Throws<ArgumentException>(() => PortAudioNotAsked.CreateOutput(new AudioDeviceSpec(AudioSpecKind.Tone), null, Frame, TimeProvider.System, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortAudioNotAsked.CreateInput(new AudioDeviceSpec(AudioSpecKind.Tone), null, 1000, TimeProvider.System, out _));
    }
}
