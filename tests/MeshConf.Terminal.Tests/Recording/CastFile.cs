using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MeshConf.Terminal.Tests.Recording;

/// <summary>An asciicast v2 file read back as the spec describes it: a header object line, then event array lines.</summary>
internal sealed record CastFile(JsonElement Header, IReadOnlyList<CastEvent> Events, IReadOnlyList<string> Lines)
{
    public static CastFile Parse(byte[] bytes)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text[..^1].Split('\n');
        using var header = JsonDocument.Parse(lines[0]);
        Assert.Equal(JsonValueKind.Object, header.RootElement.ValueKind);
        var events = new List<CastEvent>();
        foreach (var line in lines.Skip(1))
        {
            using var document = JsonDocument.Parse(line);
            var array = document.RootElement;
            Assert.Equal(JsonValueKind.Array, array.ValueKind);
            Assert.Equal(3, array.GetArrayLength());
            var time = array[0].GetRawText();
            Assert.Matches(@"^\d+\.\d{6}$", time);
            events.Add(new CastEvent(double.Parse(time, CultureInfo.InvariantCulture), array[1].GetString()!, array[2].GetString()!));
        }

        return new CastFile(header.RootElement.Clone(), events, lines);
    }

    /// <summary>Everything the "o" events say, joined, as the UTF-8 a player writes to its terminal.</summary>
    public byte[] OutputBytes() => Encoding.UTF8.GetBytes(string.Concat(Events.Where(e => e.Type == "o").Select(e => e.Data)));
}

internal sealed record CastEvent(double Seconds, string Type, string Data);
