using System.Collections;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MeshConf.Node.Security;

namespace MeshConf.Cli.Configuration;

/// <summary>
/// `meshconf config [COMMAND]`: the config file's path and, for each command, every option's effective default
/// with where it comes from, written in the config file's own form so a line can be copied into it.
/// </summary>
internal static class ConfigCommand
{
    public const string Name = "config";

    public static Command Create()
    {
        var only = new Argument<string?>("command")
        {
            Description = "Show this command's settings only (e.g. join)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        only.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && !CommandSettings.Commands(Root(result)).Any(c => c.Name == name))
            {
                result.AddError($"config: there is no command '{name}' (commands: {string.Join(", ", CommandSettings.Commands(Root(result)).Select(c => c.Name))})");
            }
        });
        var configDir = new Option<string?>("--config-dir")
        {
            Description = "Configuration directory whose config file to read (default: $MESHCONF_CONFIG_DIR, else $XDG_CONFIG_HOME/meshconf, else ~/.config/meshconf)",
            HelpName = "DIR",
        };
        var command = new Command(Name, "Show the config file's path and each option's default and where it comes from (file, MESHCONF_* variable or built in)")
        {
            only,
            configDir,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(configDir) is { Length: > 0 } given ? given : ConfigDirectory.ResolveCurrent();
            var path = ConfigFile.PathIn(directory);
            var root = parse.RootCommandResult.Command;
            if (!ConfigFile.TryLoad(path, out var file, out var error) || !CommandSettings.Validate(file, root, out error))
            {
                Console.Error.WriteLine($"meshconf: {error}");
                return Program.UsageError;
            }

            var commands = CommandSettings.Commands(root).Where(c => parse.GetValue(only) is not { } name || c.Name == name);
            if (!TryWrite(Console.Out, file, File.Exists(path), commands, Environment.GetEnvironmentVariable, out error))
            {
                Console.Error.WriteLine($"meshconf: {error}");
                return Program.UsageError;
            }

            return 0;
        });
        CommandExamples.Add(command, "meshconf config", "meshconf config join", "MESHCONF_VIDEO=pattern meshconf config join", "meshconf config --config-dir /tmp/meshconf-test");
        return command;
    }

    /// <summary>Writes the report for <paramref name="commands"/>; false when a variable's value is not usable.</summary>
    internal static bool TryWrite(
        TextWriter output, ConfigFile file, bool exists, IEnumerable<Command> commands,
        Func<string, string?> getEnvironmentVariable, out string error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(commands);
        output.WriteLine($"# config file: {file.Path}{(exists ? string.Empty : " (not there: built-in defaults)")}");
        output.WriteLine("# precedence: command line > MESHCONF_* variable > config file > built-in default");
        foreach (var command in commands)
        {
            var options = CommandSettings.SettableOptions(command).ToList();
            if (options.Count == 0)
            {
                continue;
            }

            if (!CommandSettings.TryResolve(command, file, getEnvironmentVariable, out var settings, out error))
            {
                return false;
            }

            output.WriteLine();
            output.WriteLine($"[{command.Name}]");
            foreach (var option in options)
            {
                var key = CommandSettings.Key(option);
                var set = settings.Where(s => ReferenceEquals(s.Option, option)).ToList();
                if (set.Count > 0)
                {
                    foreach (var setting in set)
                    {
                        foreach (var value in setting.Values)
                        {
                            Row(output, $"{key} = {Shown(option, value)}", setting.Where);
                        }
                    }
                }
                else if (DefaultText(option) is { } builtIn)
                {
                    Row(output, $"{key} = {builtIn}", "default");
                }
                else
                {
                    Row(output, $"# {key} =", "not set");
                }
            }
        }

        error = string.Empty;
        return true;
    }

    private static void Row(TextWriter output, string setting, string source) =>
        output.WriteLine($"{setting,-32} # {source}");

    // A passphrase is a secret: the report says that it is set and where, never what it is.
    private static string Shown(Option option, string value) =>
        CommandSettings.Key(option).Contains("passphrase", StringComparison.Ordinal) ? "(hidden)" : value;

    private static string? DefaultText(Option option)
    {
        if (!option.HasDefaultValue)
        {
            return CommandSettings.IsFlag(option) ? "false" : null;
        }

        return option.GetDefaultValue() switch
        {
            null => null,
            bool flag => flag ? "true" : "false",
            string text => text,
            IEnumerable values => string.Join(",", values.Cast<object>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    private static Command Root(SymbolResult result)
    {
        while (result.Parent is not null)
        {
            result = result.Parent;
        }

        return ((CommandResult)result).Command;
    }
}
