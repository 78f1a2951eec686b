using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.CommandLine.Parsing;
using MeshConf.Node.Security;

namespace MeshConf.Cli.Configuration;

/// <summary>
/// Parses a command line with the defaults of <see cref="CommandSettings"/> under it: command line, then
/// environment, then config file, then the options' own defaults. The command line is parsed once to learn the
/// command and which of its options were given; each option that was not gets its environment or file value
/// appended as <c>--option=value</c> tokens, and the whole is parsed again. So those values go through the very same
/// parsers and validators as typed ones, and <see cref="Describe"/> names their source in any error.
/// Help, version and other actions that are not the command's own run without reading any of it.
/// </summary>
internal sealed class LayeredCommandLine
{
    private LayeredCommandLine(ParseResult? result, IReadOnlyList<OptionSetting> applied, string? configPath, string? error)
    {
        Result = result;
        Applied = applied;
        ConfigPath = configPath;
        Error = error;
    }

    /// <summary>The parse to invoke, with the defaults in it; null when <see cref="Error"/> is set.</summary>
    public ParseResult? Result { get; }

    /// <summary>The settings that were added, for options the command line left out.</summary>
    public IReadOnlyList<OptionSetting> Applied { get; }

    /// <summary>The config file that was read, or null when none was needed (help, version).</summary>
    public string? ConfigPath { get; }

    /// <summary>
    /// One line about a bad config file or variable (without the "meshconf: " prefix); set exactly when
    /// <see cref="Result"/> is null. Errors of the command line itself are in the result, for <see cref="Describe"/>.
    /// </summary>
    public string? Error { get; }

    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="root"/> with the defaults from
    /// <paramref name="getEnvironmentVariable"/> and the config file: the invoked command's explicit
    /// <c>--config-dir</c>, else <see cref="ConfigDirectory.Resolve"/>.
    /// </summary>
    public static LayeredCommandLine Parse(Command root, IReadOnlyList<string> args, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        if (!TryParse(root, args, out var first, out var thrown))
        {
            return new LayeredCommandLine(null, [], null, thrown);
        }

        var command = first.CommandResult.Command;
        if (first.Errors.Count == 0 && !ReferenceEquals(first.Action, command.Action))
        {
            return new LayeredCommandLine(first, [], null, null);
        }

        var path = ConfigFile.PathIn(ExplicitValue(first, command, "config-dir") ?? ConfigDirectory.Resolve(getEnvironmentVariable));
        if (!ConfigFile.TryLoad(path, out var file, out var error)
            || !CommandSettings.Validate(file, root, out error)
            || !CommandSettings.TryResolve(command, file, getEnvironmentVariable, out var settings, out error))
        {
            return new LayeredCommandLine(null, [], path, error);
        }

        settings.RemoveAll(s => first.GetResult(s.Option) is { Implicit: false });
        if (settings.Count == 0)
        {
            return new LayeredCommandLine(first, [], path, null);
        }

        // Before a "--": after it every token is an argument.
        var tokens = args.ToList();
        var end = tokens.IndexOf("--");
        tokens.InsertRange(end < 0 ? tokens.Count : end, settings.SelectMany(Tokens));
        return TryParse(root, tokens, out var second, out thrown)
            ? new LayeredCommandLine(second, settings, path, null)
            : new LayeredCommandLine(null, settings, path, Attribute(settings, thrown, null));
    }

    /// <summary>
    /// The error's message, led by the variable or <c>FILE:LINE</c> it came from when it is about a value this
    /// added: the option the error belongs to, or (for a command's own checks) the option the message names.
    /// </summary>
    public string Describe(ParseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Attribute(Applied, error.Message, OptionOf(error.SymbolResult));
    }

    private static string Attribute(IReadOnlyList<OptionSetting> applied, string message, Option? option)
    {
        var candidates = option is null
            ? applied.Where(s => Mentions(message, s.Option.Name)).ToList()
            : applied.Where(s => ReferenceEquals(s.Option, option)).ToList();
        var source = candidates.FirstOrDefault(s => s.Values.Any(v => message.Contains(v, StringComparison.Ordinal)))
            ?? candidates.FirstOrDefault();
        return source is null ? message : $"{source.Where}: {message}";
    }

    // A command validator that reads a value which did not convert gets an InvalidOperationException from
    // System.CommandLine 2.0.0 (GetValue throws the conversion error) out of Parse: it is still a bad value.
    private static bool TryParse(Command root, IReadOnlyList<string> tokens, [NotNullWhen(true)] out ParseResult? result, [NotNullWhen(false)] out string? error)
    {
        try
        {
            result = root.Parse(tokens);
            error = null;
            return true;
        }
        catch (InvalidOperationException thrown)
        {
            result = null;
            error = thrown.Message;
            return false;
        }
    }

    // "--opt=value" keeps a value that starts with '-' or '@' a value; a switch with no argument is just its name.
    private static IEnumerable<string> Tokens(OptionSetting setting) =>
        setting.Option.Arity.MaximumNumberOfValues == 0
            ? setting.Values.Any(v => v == "true") ? [setting.Option.Name] : []
            : setting.Values.Select(v => $"{setting.Option.Name}={v}");

    private static string? ExplicitValue(ParseResult parse, Command command, string key)
    {
        var option = CommandSettings.SettableOptions(command).FirstOrDefault(o => CommandSettings.Key(o) == key);
        return option is not null && parse.GetResult(option) is { Implicit: false, Tokens: [var token, ..] } && token.Value.Length > 0
            ? token.Value
            : null;
    }

    private static Option? OptionOf(SymbolResult? result)
    {
        for (; result is not null; result = result.Parent)
        {
            if (result is OptionResult optionResult)
            {
                return optionResult.Option;
            }
        }

        return null;
    }

    // "--wait must be ..." names --wait, but "--wait-more" or "--waiting" do not.
    private static bool Mentions(string message, string name)
    {
        for (var at = message.IndexOf(name, StringComparison.Ordinal); at >= 0; at = message.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var next = at + name.Length;
            if (next == message.Length || !(char.IsAsciiLetterOrDigit(message[next]) || message[next] == '-'))
            {
                return true;
            }
        }

        return false;
    }
}
