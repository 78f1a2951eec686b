using System.Globalization;

namespace MeshConf.Node.Audio;

/// <summary>
/// A parsed `--audio` value (<c>device</c>, <c>file:IN.wav</c>, <c>tone</c>, <c>tone:HZ</c>, <c>tone:HZ,HZ</c> or
/// <c>none</c>) or `--audio-out` value (<c>device</c>, <c>file:OUT.wav</c> or <c>none</c>). The keyword is
/// case-insensitive; a path is kept exactly as given after the first colon (a Windows path has colons too).
/// A tone with two pitches alternates between them.
/// </summary>
/// <param name="Kind">What it names.</param>
/// <param name="Path">The WAV file, for <see cref="AudioSpecKind.File"/>.</param>
/// <param name="ToneHz">The tone's pitch, for <see cref="AudioSpecKind.Tone"/>.</param>
/// <param name="AlternateToneHz">A second pitch taking turns with the first, or null.</param>
internal sealed record AudioDeviceSpec(AudioSpecKind Kind, string? Path = null, double ToneHz = ToneAudioInput.DefaultFrequency, double? AlternateToneHz = null)
{
    /// <summary>What `--audio` and `--audio-out` mean when they are not given.</summary>
    public static AudioDeviceSpec Default { get; } = new(AudioSpecKind.Device);

    /// <summary>Parses an `--audio` value; false with a one-line <paramref name="error"/> for anything else.</summary>
    public static bool TryParseInput(string? text, out AudioDeviceSpec spec, out string? error) => TryParse(text, "--audio", input: true, out spec, out error);

    /// <summary>Parses an `--audio-out` value; false with a one-line <paramref name="error"/> for anything else.</summary>
    public static bool TryParseOutput(string? text, out AudioDeviceSpec spec, out string? error) => TryParse(text, "--audio-out", input: false, out spec, out error);

    /// <summary>The option text that parses back to this spec.</summary>
    public override string ToString() => Kind switch
    {
        AudioSpecKind.File => "file:" + Path,
        AudioSpecKind.Tone when AlternateToneHz is { } second => string.Create(CultureInfo.InvariantCulture, $"tone:{ToneHz},{second}"),
        AudioSpecKind.Tone when ToneHz != ToneAudioInput.DefaultFrequency => string.Create(CultureInfo.InvariantCulture, $"tone:{ToneHz}"),
        _ => Kind.ToString().ToLowerInvariant(),
    };

    private static bool TryParse(string? text, string option, bool input, out AudioDeviceSpec spec, out string? error)
    {
        spec = Default;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var keyword = colon < 0 ? value : value[..colon];
        var argument = colon < 0 ? null : value[(colon + 1)..];
        var usage = input ? "use device, file:IN.wav, tone, tone:HZ[,HZ] or none" : "use device, file:OUT.wav or none";
        switch (keyword.ToUpperInvariant())
        {
            case "DEVICE" when argument is null:
                return true;
            case "DEVICE":
                error = $"{option} device takes no argument: pick the device with {(input ? "--mic" : "--speaker")} NAME|INDEX";
                return false;
            case "FILE" when !string.IsNullOrWhiteSpace(argument):
                spec = new AudioDeviceSpec(AudioSpecKind.File, argument);
                return true;
            case "FILE":
                error = $"{option} file: needs a path, e.g. file:{(input ? "speech.wav" : "out.wav")}";
                return false;
            case "TONE" when input && argument is null:
                spec = new AudioDeviceSpec(AudioSpecKind.Tone);
                return true;
            case "TONE" when input:
                return TryParseTone(argument!, option, out spec, out error);
            case "NONE" when argument is null:
                spec = new AudioDeviceSpec(AudioSpecKind.None);
                return true;
            default:
                error = $"{option} '{value}' is not {(input ? "an input" : "an output")}: {usage}";
                return false;
        }
    }

    private static bool TryParseTone(string argument, string option, out AudioDeviceSpec spec, out string? error)
    {
        spec = Default;
        var parts = argument.Split(',');
        var pitches = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts.Length > 2 || !double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out pitches[i]) || !double.IsFinite(pitches[i]) || pitches[i] is < 20 or > 20000)
            {
                error = $"{option} tone:{argument} is not a tone: use tone:HZ or tone:HZ,HZ with pitches from 20 to 20000 Hz, e.g. tone:440,660";
                return false;
            }
        }

        spec = new AudioDeviceSpec(AudioSpecKind.Tone, null, pitches[0], pitches.Length == 2 ? pitches[1] : null);
        error = null;
        return true;
    }
}
