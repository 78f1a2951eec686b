using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using MeshConf.Node.Security;

namespace MeshConf.Cli.Configuration;

/// <summary>
/// --help: System.CommandLine's help, then the command's <see cref="CommandExamples"/> and a "Settings:" paragraph
/// naming the config file and the <c>MESHCONF_*</c> variables, worked out from the command's own options.
/// </summary>
internal sealed class ExamplesHelpAction(HelpAction standard, Func<string, string?> getEnvironmentVariable) : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var code = standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        var examples = CommandExamples.Of(command);
        if (examples.Count > 0)
        {
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine($"  {example}");
            }

            output.WriteLine();
        }

        WriteSettings(output, command);
        return code;
    }

    private void WriteSettings(TextWriter output, Command command)
    {
        var file = ConfigFile.PathIn(ConfigDirectory.Resolve(getEnvironmentVariable));
        output.WriteLine("Settings:");
        if (CommandSettings.SettableOptions(command).FirstOrDefault() is not { } sample)
        {
            output.WriteLine("  Defaults for any command's options come from MESHCONF_<OPTION> variables and from");
            output.WriteLine($"  {file}; 'meshconf config' shows them, and 'meshconf <command> --help' says how.");
            output.WriteLine();
            return;
        }

        output.WriteLine($"  Every option can also be set in the environment, as {CommandSettings.Variable(sample)} for --{CommandSettings.Key(sample)}");
        output.WriteLine("  (MESHCONF_<OPTION>: upper case, '-' as '_'; a comma-separated list for a repeatable option), or in");
        output.WriteLine($"  {file} as '{CommandSettings.Key(sample)} = ...' (for every command with that option) or under");
        output.WriteLine($"  [{command.Name}] (for {command.Name} only). Booleans: true/false, 1/0, yes/no.");
        output.WriteLine($"  The command line beats the environment, which beats the file. See: meshconf config {command.Name}");
        output.WriteLine();
    }
}
