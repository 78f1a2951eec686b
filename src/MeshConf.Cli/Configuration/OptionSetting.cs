using System.CommandLine;

namespace MeshConf.Cli.Configuration;

/// <summary>
/// Values for one option from the environment or the config file, as text for the command-line parser (booleans
/// already spelled true/false), with where they came from.
/// </summary>
/// <param name="Option">The option they are for.</param>
/// <param name="Values">One value, or several for a repeatable option.</param>
/// <param name="Origin">The layer.</param>
/// <param name="Where">What to name in messages: <c>MESHCONF_FPS</c> or <c>/home/me/.config/meshconf/config:3</c>.</param>
internal sealed record OptionSetting(Option Option, IReadOnlyList<string> Values, SettingOrigin Origin, string Where);
