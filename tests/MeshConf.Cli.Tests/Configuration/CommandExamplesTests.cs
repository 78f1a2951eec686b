using System.CommandLine;
using MeshConf.Cli.Configuration;

namespace MeshConf.Cli.Tests.Configuration;

public sealed class CommandExamplesTests
{
    public static TheoryData<string> CommandNames => new(CommandSettings.Commands(Program.BuildRoot()).Select(c => c.Name));

    [Fact]
    public void Given_the_meshconf_commands_Then_the_root_and_every_command_have_two_to_five_examples()
    {
        var root = Program.BuildRoot();

        foreach (var command in CommandSettings.Commands(root).Prepend(root))
        {
            Assert.InRange(CommandExamples.Of(command).Count, 2, 5);
        }
    }

    [Fact]
    public void Given_every_example_When_parsed_by_meshconf_Then_it_is_a_valid_command_line()
    {
        var root = Program.BuildRoot();

        foreach (var example in CommandSettings.Commands(root).Prepend(root).SelectMany(CommandExamples.Of))
        {
            // Leading VARIABLE=value words are the shell's; then "meshconf" and its arguments.
            var words = example.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w.Contains('=', StringComparison.Ordinal) && w.StartsWith("MESHCONF_", StringComparison.Ordinal)).ToList();
            Assert.Equal("meshconf", words[0]);
            var parse = root.Parse(words[1..]);
            Assert.True(parse.Errors.Count == 0, $"{example}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Same(parse.CommandResult.Command.Action, parse.Action);
        }
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Given_a_command_When_its_help_is_shown_Then_the_options_are_followed_by_its_examples_and_the_settings(string name)
    {
        var root = Program.BuildRoot();
        var command = CommandSettings.Commands(root).Single(c => c.Name == name);

        var help = Help(root, name, "--help");

        var options = help.IndexOf("Options:", StringComparison.Ordinal);
        var examples = help.IndexOf("\nExamples:\n", StringComparison.Ordinal);
        Assert.InRange(options, 0, examples);
        Assert.Contains(string.Concat(CommandExamples.Of(command).Select(e => $"  {e}\n")), help, StringComparison.Ordinal);
        Assert.Contains("\nSettings:\n", help[examples..], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_command_with_options_When_its_help_is_shown_Then_it_names_the_config_file_its_section_and_a_variable()
    {
        var join = new Command("join") { new Option<string>("--name"), new Option<bool>("--no-mdns") };
        join.SetAction(_ => 0);
        var root = new RootCommand { join };
        CommandExamples.Add(join, "meshconf join s1 --name darker", "meshconf join s1 --no-mdns");
        CommandExamples.InstallHelp(root, name => name == "MESHCONF_CONFIG_DIR" ? "/srv/meshconf-config" : null);

        var help = Help(root, "join", "-h");

        Assert.Contains("Examples:\n  meshconf join s1 --name darker\n  meshconf join s1 --no-mdns\n", help, StringComparison.Ordinal);
        Assert.Contains("MESHCONF_NAME for --name", help, StringComparison.Ordinal);
        Assert.Contains("/srv/meshconf-config/config as 'name = ...'", help, StringComparison.Ordinal);
        Assert.Contains("[join] (for join only)", help, StringComparison.Ordinal);
        Assert.Contains("The command line beats the environment, which beats the file.", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_root_When_its_help_is_shown_Then_it_has_examples_and_points_at_the_config_file()
    {
        var root = Program.BuildRoot();

        var help = Help(root, "--help");

        Assert.Contains("Commands:", help, StringComparison.Ordinal);
        Assert.Contains("\nExamples:\n  meshconf join session1 --name darker\n", help, StringComparison.Ordinal);
        Assert.Contains("MESHCONF_<OPTION> variables", help, StringComparison.Ordinal);
    }

    private static string Help(RootCommand root, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        var parse = root.Parse(args);
        Assert.Equal(0, parse.Invoke(new InvocationConfiguration { Output = output }));
        return output.ToString().ReplaceLineEndings("\n");
    }
}
