using System.CommandLine;
using System.CommandLine.Help;

namespace MeshConf.Cli.Configuration;

/// <summary>
/// Defaults for a command's options from <c>MESHCONF_*</c> variables and the config file. The rules work from the
/// options themselves, so an option added to a command can be set these ways without any change here:
/// <list type="bullet">
/// <item>its config key is its long name without the dashes (<c>--no-mdns</c> → <c>no-mdns</c>);</item>
/// <item>its variable is <c>MESHCONF_</c> and the key upper-cased with '-' as '_' (<c>MESHCONF_NO_MDNS</c>); a
/// repeatable option takes a comma-separated list (<c>MESHCONF_PEER=a:1,b:2</c>); an empty variable is unset;</item>
/// <item>booleans are true/false, 1/0 or yes/no, in any case;</item>
/// <item>the environment beats the file, and in the file a <c>[command]</c> section beats the keys before any
/// section. The command line beats both (<see cref="LayeredCommandLine"/>).</item>
/// </list>
/// Variables that name no option of the command (MESHCONF_CONFIG_DIR for discover, MESHCONF_DEBUG, ...) are ignored.
/// </summary>
internal static class CommandSettings
{
    /// <summary>What every option variable starts with.</summary>
    public const string VariablePrefix = "MESHCONF_";

    /// <summary>The options of <paramref name="command"/> a user can give defaults for: all but help and version.</summary>
    public static IEnumerable<Option> SettableOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Options.Where(o => o is not HelpOption and not VersionOption && !o.Hidden && o.Name.StartsWith("--", StringComparison.Ordinal));
    }

    /// <summary>The config-file key: the long name without the dashes.</summary>
    public static string Key(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.Name.TrimStart('-');
    }

    /// <summary>The environment variable: <c>MESHCONF_</c> and the key upper-cased with '-' as '_'.</summary>
    public static string Variable(Option option) => VariablePrefix + Key(option).ToUpperInvariant().Replace('-', '_');

    /// <summary>Whether the option takes several values (given several times on the command line).</summary>
    public static bool IsRepeatable(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.Arity.MaximumNumberOfValues > 1;
    }

    /// <summary>Whether the option is a boolean switch.</summary>
    public static bool IsFlag(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.ValueType == typeof(bool) || option.ValueType == typeof(bool?);
    }

    /// <summary>Every command under <paramref name="root"/> (not the root itself), depth first.</summary>
    public static IEnumerable<Command> Commands(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var command in root.Subcommands)
        {
            yield return command;
            foreach (var nested in Commands(command))
            {
                yield return nested;
            }
        }
    }

    /// <summary>
    /// Checks every line of <paramref name="file"/> against the commands under <paramref name="root"/>: sections
    /// name a command, keys name one of its options (or, before any section, an option of some command), booleans
    /// are booleans, and only a repeatable option is set twice in one place. <paramref name="error"/> is one line,
    /// "<c>PATH:LINE: unknown setting 'foo' (join has no --foo)</c>".
    /// </summary>
    public static bool Validate(ConfigFile file, Command root, out string error)
    {
        ArgumentNullException.ThrowIfNull(file);
        var commands = Commands(root).ToList();
        var seen = new Dictionary<(string?, string), ConfigEntry>();
        foreach (var entry in file.Entries)
        {
            var where = file.Where(entry);
            List<Option> options;
            if (entry.Section is { } section)
            {
                var command = commands.FirstOrDefault(c => c.Name == section);
                if (command is null)
                {
                    error = $"{where}: unknown section [{section}] (commands: {string.Join(", ", commands.Select(c => c.Name))})";
                    return false;
                }

                options = SettableOptions(command).Where(o => Key(o) == entry.Key).ToList();
                if (options.Count == 0)
                {
                    error = $"{where}: unknown setting '{entry.Key}' ({command.Name} has no --{entry.Key})";
                    return false;
                }
            }
            else
            {
                options = commands.SelectMany(SettableOptions).Where(o => Key(o) == entry.Key).ToList();
                if (options.Count == 0)
                {
                    error = $"{where}: unknown setting '{entry.Key}' (no command has --{entry.Key})";
                    return false;
                }
            }

            if (options.Any(IsFlag) && TryParseBoolean(entry.Value) is null)
            {
                error = $"{where}: {entry.Key} = '{entry.Value}' is not a boolean (true/false, 1/0 or yes/no)";
                return false;
            }

            if (seen.TryGetValue((entry.Section, entry.Key), out var earlier) && !options.All(IsRepeatable))
            {
                error = $"{where}: '{entry.Key}' is already set on line {earlier.Line}; only repeatable options (like peer) repeat";
                return false;
            }

            seen[(entry.Section, entry.Key)] = entry;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The defaults for <paramref name="command"/>'s options from the environment and <paramref name="file"/>
    /// (which <see cref="Validate"/> has accepted), highest layer only, in option order; a file's repeatable
    /// option gives one setting per line. <paramref name="error"/> names the variable of a bad boolean.
    /// </summary>
    public static bool TryResolve(
        Command command, ConfigFile file, Func<string, string?> getEnvironmentVariable,
        out List<OptionSetting> settings, out string error)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        settings = [];
        foreach (var option in SettableOptions(command))
        {
            var variable = Variable(option);
            var text = getEnvironmentVariable(variable) ?? string.Empty;
            string[] values = IsRepeatable(option)
                ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : text.Length > 0 ? [text] : [];
            if (values.Length > 0)
            {
                if (IsFlag(option))
                {
                    if (TryParseBoolean(text) is not { } flag)
                    {
                        error = $"{variable}: '{text}' is not a boolean (true/false, 1/0 or yes/no)";
                        return false;
                    }

                    values = [flag ? "true" : "false"];
                }

                settings.Add(new OptionSetting(option, values, SettingOrigin.Environment, variable));
                continue;
            }

            var key = Key(option);
            var lines = file.Entries.Where(e => e.Key == key && e.Section == command.Name).ToList();
            if (lines.Count == 0)
            {
                lines = file.Entries.Where(e => e.Key == key && e.Section is null).ToList();
            }

            foreach (var line in lines)
            {
                var value = IsFlag(option) && TryParseBoolean(line.Value) is { } flag ? (flag ? "true" : "false") : line.Value;
                settings.Add(new OptionSetting(option, [value], SettingOrigin.File, file.Where(line)));
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>true/false, 1/0, yes/no in any case; null for anything else.</summary>
    public static bool? TryParseBoolean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "TRUE" or "1" or "YES" => true,
            "FALSE" or "0" or "NO" => false,
            _ => null,
        };
    }
}
