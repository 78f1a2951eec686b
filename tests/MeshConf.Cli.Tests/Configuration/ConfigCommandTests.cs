using System.CommandLine;
using MeshConf.Cli.Configuration;

namespace MeshConf.Cli.Tests.Configuration;

public sealed class ConfigCommandTests
{
    private readonly Command _join = new("join")
    {
        new Option<string>("--name"),
        new Option<int>("--fps") { DefaultValueFactory = _ => 15 },
        new Option<string[]>("--peer"),
        new Option<bool>("--no-mdns"),
        new Option<string>("--passphrase"),
        new Option<string>("--bind"),
    };

    [Fact]
    public void Given_file_and_variables_When_reported_Then_each_option_shows_its_value_and_where_it_comes_from()
    {
        Assert.True(ConfigFile.TryParse("/cfg/config", "name = darker\n[join]\npeer = a:1\npeer = b:2\npassphrase = letmein", out var file, out _));
        var environment = new Dictionary<string, string> { ["MESHCONF_FPS"] = "20", ["MESHCONF_NO_MDNS"] = "yes" };
        using var output = new StringWriter { NewLine = "\n" };

        Assert.True(ConfigCommand.TryWrite(output, file, exists: true, [_join], environment.GetValueOrDefault, out var error), error);

        Assert.Equal(
            """
            # config file: /cfg/config
            # precedence: command line > MESHCONF_* variable > config file > built-in default

            [join]
            name = darker                    # /cfg/config:1
            fps = 20                         # MESHCONF_FPS
            peer = a:1                       # /cfg/config:3
            peer = b:2                       # /cfg/config:4
            no-mdns = true                   # MESHCONF_NO_MDNS
            passphrase = (hidden)            # /cfg/config:5
            # bind =                         # not set

            """,
            output.ToString());
        Assert.DoesNotContain("letmein", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_file_When_reported_Then_it_says_so_and_shows_the_built_in_defaults()
    {
        using var output = new StringWriter { NewLine = "\n" };

        Assert.True(ConfigCommand.TryWrite(output, ConfigFile.Empty("/cfg/config"), exists: false, [_join], _ => null, out _));

        var text = output.ToString();
        Assert.StartsWith("# config file: /cfg/config (not there: built-in defaults)\n", text, StringComparison.Ordinal);
        Assert.Contains("fps = 15                         # default\n", text, StringComparison.Ordinal);
        Assert.Contains("no-mdns = false                  # default\n", text, StringComparison.Ordinal);
        Assert.Contains("# name =                         # not set\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_variable_that_is_not_a_boolean_When_reported_Then_it_fails_naming_the_variable()
    {
        using var output = new StringWriter();

        Assert.False(ConfigCommand.TryWrite(output, ConfigFile.Empty("/cfg/config"), exists: false, [_join], v => v == "MESHCONF_NO_MDNS" ? "perhaps" : null, out var error));

        Assert.Equal("MESHCONF_NO_MDNS: 'perhaps' is not a boolean (true/false, 1/0 or yes/no)", error);
    }
}
