using MeshConf.Node.Audio;

namespace MeshConf.Node.Tests.Audio;

public sealed class AudioDeviceSpecTests
{
    [Theory]
    [InlineData("device", "Device", null, 440.0, null)]
    [InlineData("DEVICE", "Device", null, 440.0, null)]
    [InlineData("file:speech.wav", "File", "speech.wav", 440.0, null)]
    [InlineData("File:C:\\audio\\in.wav", "File", "C:\\audio\\in.wav", 440.0, null)]
    [InlineData("tone", "Tone", null, 440.0, null)]
    [InlineData("tone:660", "Tone", null, 660.0, null)]
    [InlineData("tone:440,550.5", "Tone", null, 440.0, 550.5)]
    [InlineData(" none ", "None", null, 440.0, null)]
    public void Given_an_audio_value_When_parsed_Then_its_kind_and_argument(string? text, string kind, string? path, double hz, double? alternate)
    {
        Assert.True(AudioDeviceSpec.TryParseInput(text, out var spec, out var error), error);

        Assert.Null(error);
        Assert.Equal(new AudioDeviceSpec(Enum.Parse<AudioSpecKind>(kind), path, hz, alternate), spec);
        Assert.True(AudioDeviceSpec.TryParseInput(spec.ToString(), out var again, out _));
        Assert.Equal(spec, again);
    }

    [Theory]
    [InlineData("device", "Device", null)]
    [InlineData("file:out.wav", "File", "out.wav")]
    [InlineData("none", "None", null)]
    public void Given_an_audio_out_value_When_parsed_Then_its_kind_and_path(string text, string kind, string? path)
    {
        Assert.True(AudioDeviceSpec.TryParseOutput(text, out var spec, out var error), error);

        Assert.Equal(new AudioDeviceSpec(Enum.Parse<AudioSpecKind>(kind), path), spec);
        Assert.Equal(text, spec.ToString());
    }

    [Theory]
    [InlineData(null, "--audio '' is not an input: use device, file:IN.wav, tone, tone:HZ[,HZ] or none")]
    [InlineData("", "--audio '' is not an input: use device, file:IN.wav, tone, tone:HZ[,HZ] or none")]
    [InlineData("mic", "--audio 'mic' is not an input: use device, file:IN.wav, tone, tone:HZ[,HZ] or none")]
    [InlineData("file:", "--audio file: needs a path, e.g. file:speech.wav")]
    [InlineData("file:  ", "--audio file: needs a path, e.g. file:speech.wav")]
    [InlineData("device:pulse", "--audio device takes no argument: pick the device with --mic NAME|INDEX")]
    [InlineData("none:x", "--audio 'none:x' is not an input: use device, file:IN.wav, tone, tone:HZ[,HZ] or none")]
    [InlineData("tone:loud", "--audio tone:loud is not a tone: use tone:HZ or tone:HZ,HZ with pitches from 20 to 20000 Hz, e.g. tone:440,660")]
    [InlineData("tone:5", "--audio tone:5 is not a tone: use tone:HZ or tone:HZ,HZ with pitches from 20 to 20000 Hz, e.g. tone:440,660")]
    [InlineData("tone:NaN", "--audio tone:NaN is not a tone: use tone:HZ or tone:HZ,HZ with pitches from 20 to 20000 Hz, e.g. tone:440,660")]
    [InlineData("tone:1,2,3", "--audio tone:1,2,3 is not a tone: use tone:HZ or tone:HZ,HZ with pitches from 20 to 20000 Hz, e.g. tone:440,660")]
    public void Given_a_bad_audio_value_When_parsed_Then_a_one_line_error(string? text, string expected)
    {
        Assert.False(AudioDeviceSpec.TryParseInput(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("tone", "--audio-out 'tone' is not an output: use device, file:OUT.wav or none")]
    [InlineData("file:", "--audio-out file: needs a path, e.g. file:out.wav")]
    [InlineData("device:1", "--audio-out device takes no argument: pick the device with --speaker NAME|INDEX")]
    [InlineData("speakers", "--audio-out 'speakers' is not an output: use device, file:OUT.wav or none")]
    public void Given_a_bad_audio_out_value_When_parsed_Then_a_one_line_error(string text, string expected)
    {
        Assert.False(AudioDeviceSpec.TryParseOutput(text, out _, out var error));
        Assert.Equal(expected, error);
    }
}
