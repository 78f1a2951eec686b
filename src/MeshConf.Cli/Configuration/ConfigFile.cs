namespace MeshConf.Cli.Configuration;

/// <summary>
/// The user's defaults file, <c>&lt;config dir&gt;/config</c>, read line by line:
/// <code>
/// # a comment (only whole lines: a '#' inside a value is part of the value)
/// name = darker            # keys are long option names without the dashes
/// no-mdns = true           # booleans: true/false, 1/0, yes/no
/// peer = 10.0.0.2:5000     # a repeatable option may repeat
/// peer = 10.0.0.3:5000
///
/// [join]                   # from here on, for `meshconf join` only
/// video = pattern
/// </code>
/// Keys before any section apply to every command that has that option; a <c>[command]</c> section scopes the keys
/// after it to that command and wins over the unscoped ones. Blanks around keys and values are ignored; a value in
/// double quotes keeps its blanks (the quotes are removed). This type checks the syntax only; which keys exist is
/// <see cref="CommandSettings.Validate"/>'s business.
/// </summary>
internal sealed class ConfigFile
{
    /// <summary>The file's name inside the configuration directory.</summary>
    public const string FileName = "config";

    private ConfigFile(string path, IReadOnlyList<ConfigEntry> entries)
    {
        Path = path;
        Entries = entries;
    }

    /// <summary>Where the file is (or would be); it names the source of every setting and error.</summary>
    public string Path { get; }

    /// <summary>The settings in file order.</summary>
    public IReadOnlyList<ConfigEntry> Entries { get; }

    /// <summary>Whether the file had anything in it; a missing file is an empty one.</summary>
    public bool IsEmpty => Entries.Count == 0;

    /// <summary>The file inside <paramref name="configDirectory"/>.</summary>
    public static string PathIn(string configDirectory) => System.IO.Path.GetFullPath(System.IO.Path.Combine(configDirectory, FileName));

    /// <summary>A file with no settings (what a missing file reads as).</summary>
    public static ConfigFile Empty(string path) => new(path, []);

    /// <summary>Reads and parses <paramref name="path"/>; a missing file (or directory) is an empty file, not an error.</summary>
    public static bool TryLoad(string path, out ConfigFile file, out string error)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            file = Empty(path);
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file = Empty(path);
            error = $"{path}: cannot read: {e.Message}";
            return false;
        }

        return TryParse(path, text, out file, out error);
    }

    /// <summary>
    /// Parses <paramref name="text"/>. On a bad line, <paramref name="error"/> is one line,
    /// "<c>PATH:LINE: what is wrong</c>".
    /// </summary>
    public static bool TryParse(string path, string text, out ConfigFile file, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<ConfigEntry>();
        string? section = null;
        var number = 0;
        file = Empty(path);
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                if (line[^1] != ']' || !IsName(line[1..^1].Trim()))
                {
                    error = $"{path}:{number}: '{line}' is not a section: write [command], e.g. [join]";
                    return false;
                }

                section = line[1..^1].Trim();
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                error = $"{path}:{number}: expected 'key = value', '[command]' or '# comment', not '{line}'";
                return false;
            }

            var key = line[..equals].Trim();
            var value = Unquote(line[(equals + 1)..].Trim());
            if (!IsName(key))
            {
                error = key.StartsWith('-')
                    ? $"{path}:{number}: write the key without dashes: '{key.TrimStart('-')} = ...'"
                    : $"{path}:{number}: '{key}' is not a setting name (letters, digits and '-', like no-mdns)";
                return false;
            }

            if (value.Length == 0)
            {
                error = $"{path}:{number}: '{key}' has no value (leave the line out for the default)";
                return false;
            }

            entries.Add(new ConfigEntry(section, key, value, number));
        }

        file = new ConfigFile(path, entries);
        error = string.Empty;
        return true;
    }

    /// <summary>Where an entry came from, as errors and <c>meshconf config</c> name it: <c>PATH:LINE</c>.</summary>
    public string Where(ConfigEntry entry) => $"{Path}:{entry.Line}";

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static bool IsName(string text) =>
        text.Length > 0 && char.IsAsciiLetterOrDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
