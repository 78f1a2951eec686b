using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.CompilerServices;

namespace MeshConf.Cli.Configuration;

/// <summary>
/// The "Examples:" each command's --help ends with, registered by the command itself in one line
/// (<c>Configuration.CommandExamples.Add(command, "meshconf doctor", "meshconf doctor --json")</c>), and the help
/// action that prints them after System.CommandLine's own help, with where option defaults can come from.
/// </summary>
internal static class CommandExamples
{
    private static readonly ConditionalWeakTable<Command, string[]> Registered = [];

    /// <summary>Sets the examples of <paramref name="command"/>: whole command lines, as a user would type them.</summary>
    public static void Add(Command command, params string[] examples)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(examples);
        Registered.AddOrUpdate(command, examples);
    }

    /// <summary>The examples of <paramref name="command"/>, empty when it has none.</summary>
    public static IReadOnlyList<string> Of(Command command) =>
        Registered.TryGetValue(command, out var examples) ? examples : [];

    /// <summary>
    /// Makes --help on <paramref name="root"/> and every command under it (the help option is recursive) print the
    /// examples and the settings paragraph after the usual help.
    /// </summary>
    public static void InstallHelp(RootCommand root, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction standard)
            {
                help.Action = new ExamplesHelpAction(standard, getEnvironmentVariable);
            }
        }
    }
}
