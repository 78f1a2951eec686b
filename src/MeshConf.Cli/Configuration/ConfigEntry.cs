namespace MeshConf.Cli.Configuration;

/// <summary>One <c>key = value</c> line of the config file.</summary>
/// <param name="Section">The <c>[command]</c> it sits under, or null before any section (every command).</param>
/// <param name="Key">The long option name without dashes, e.g. <c>no-mdns</c>.</param>
/// <param name="Value">The value as written (quotes removed).</param>
/// <param name="Line">Its 1-based line number, for messages.</param>
internal sealed record ConfigEntry(string? Section, string Key, string Value, int Line);
