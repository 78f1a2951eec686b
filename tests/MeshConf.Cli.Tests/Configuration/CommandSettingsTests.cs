using System.CommandLine;
using MeshConf.Cli.Configuration;

namespace MeshConf.Cli.Tests.Configuration;

public sealed class CommandSettingsTests
{
    private const string Path = "/cfg/config";

    private readonly Command _join;
    private readonly Command _discover;
    private readonly RootCommand _root;

    public CommandSettingsTests()
    {
        _join = new Command("join")
        {
            new Option<string>("--name"),
            new Option<int>("--fps") { DefaultValueFactory = _ => 15 },
            new Option<string[]>("--peer"),
            new Option<bool>("--no-mdns"),
            new Option<string>("--interface"),
        };
        _discover = new Command("discover") { new Option<bool>("--watch"), new Option<string>("--interface") };
        _root = new RootCommand { _join, _discover };
    }

    [Theory]
    [InlineData("--name", "name", "MESHCONF_NAME")]
    [InlineData("--no-mdns", "no-mdns", "MESHCONF_NO_MDNS")]
    [InlineData("--peer-timeout", "peer-timeout", "MESHCONF_PEER_TIMEOUT")]
    public void Given_an_option_Then_its_key_is_the_long_name_and_its_variable_the_upper_cased_key(string name, string key, string variable)
    {
        var option = new Option<string>(name);

        Assert.Equal(key, CommandSettings.Key(option));
        Assert.Equal(variable, CommandSettings.Variable(option));
    }

    [Fact]
    public void Given_the_root_Then_help_and_version_are_not_settable()
    {
        Assert.Empty(CommandSettings.SettableOptions(_root));
        Assert.Equal(["--name", "--fps", "--peer", "--no-mdns", "--interface"], CommandSettings.SettableOptions(_join).Select(o => o.Name));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("1", true)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    [InlineData("maybe", null)]
    [InlineData("", null)]
    public void Given_boolean_text_Then_only_true_false_1_0_yes_no_are_booleans(string text, bool? expected) =>
        Assert.Equal(expected, CommandSettings.TryParseBoolean(text));

    [Theory]
    [InlineData("foo = 1", "/cfg/config:1: unknown setting 'foo' (no command has --foo)")]
    [InlineData("[join]\nwatch = true", "/cfg/config:2: unknown setting 'watch' (join has no --watch)")]
    [InlineData("name = a\n[jion]\nname = b", "/cfg/config:3: unknown section [jion] (commands: join, discover)")]
    [InlineData("[discover]\nwatch = sometimes", "/cfg/config:2: watch = 'sometimes' is not a boolean (true/false, 1/0 or yes/no)")]
    [InlineData("name = a\nfps = 3\nname = b", "/cfg/config:3: 'name' is already set on line 1; only repeatable options (like peer) repeat")]
    public void Given_a_file_with_a_wrong_setting_When_validated_Then_one_line_names_file_line_and_what_is_wrong(string text, string expected)
    {
        var file = Parse(text);

        Assert.False(CommandSettings.Validate(file, _root, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void Given_keys_before_any_section_for_some_command_and_repeated_peers_When_validated_Then_the_file_is_fine()
    {
        var file = Parse("watch = true\nname = darker\npeer = a:1\npeer = b:2\n[join]\nname = other\nno-mdns = yes\n[discover]\ninterface = eth0");

        Assert.True(CommandSettings.Validate(file, _root, out var error), error);
    }

    [Fact]
    public void Given_a_section_and_unscoped_keys_When_resolved_Then_the_section_wins_and_unscoped_keys_fill_in()
    {
        var file = Parse("name = everyone\ninterface = eth0\n[join]\nname = joiner\n[discover]\ninterface = wlan0");

        var join = Resolve(_join, file, []);
        var discover = Resolve(_discover, file, []);

        Assert.Equal(["--name=joiner@/cfg/config:4 (File)", "--interface=eth0@/cfg/config:2 (File)"], join);
        Assert.Equal(["--interface=wlan0@/cfg/config:6 (File)"], discover);
    }

    [Fact]
    public void Given_a_variable_and_a_file_value_When_resolved_Then_the_variable_wins()
    {
        var file = Parse("[join]\nname = fromfile\nfps = 10");

        var settings = Resolve(_join, file, new() { ["MESHCONF_NAME"] = "fromenv" });

        Assert.Equal(["--name=fromenv@MESHCONF_NAME (Environment)", "--fps=10@/cfg/config:3 (File)"], settings);
    }

    [Fact]
    public void Given_a_repeatable_option_When_resolved_Then_the_file_gives_each_line_and_the_variable_a_comma_list_that_replaces_them()
    {
        var file = Parse("peer = a:1\npeer = b:2");

        var fromFile = Resolve(_join, file, []);
        var fromEnvironment = Resolve(_join, file, new() { ["MESHCONF_PEER"] = "c:3, d:4,," });

        Assert.Equal(["--peer=a:1@/cfg/config:1 (File)", "--peer=b:2@/cfg/config:2 (File)"], fromFile);
        Assert.Equal(["--peer=c:3|d:4@MESHCONF_PEER (Environment)"], fromEnvironment);
    }

    [Fact]
    public void Given_booleans_in_any_spelling_When_resolved_Then_the_parser_gets_true_or_false()
    {
        var fromFile = Resolve(_join, Parse("no-mdns = YES"), []);
        var fromEnvironment = Resolve(_join, Parse("no-mdns = YES"), new() { ["MESHCONF_NO_MDNS"] = "0" });

        Assert.Equal(["--no-mdns=true@/cfg/config:1 (File)"], fromFile);
        Assert.Equal(["--no-mdns=false@MESHCONF_NO_MDNS (Environment)"], fromEnvironment);
    }

    [Fact]
    public void Given_a_variable_that_is_not_a_boolean_When_resolved_Then_one_line_names_the_variable()
    {
        var environment = new Dictionary<string, string> { ["MESHCONF_NO_MDNS"] = "maybe" };

        Assert.False(CommandSettings.TryResolve(_join, Parse(""), environment.GetValueOrDefault, out _, out var error));

        Assert.Equal("MESHCONF_NO_MDNS: 'maybe' is not a boolean (true/false, 1/0 or yes/no)", error);
    }

    [Fact]
    public void Given_empty_and_unrelated_variables_When_resolved_Then_they_are_ignored()
    {
        var environment = new Dictionary<string, string>
        {
            ["MESHCONF_NAME"] = "",
            ["MESHCONF_PEER"] = ",",
            ["MESHCONF_DEBUG"] = "1",
            ["MESHCONF_CONFIG_DIR"] = "/somewhere",
            ["MESHCONF_WATCH"] = "not for join",
        };

        var settings = Resolve(_join, Parse("name = fromfile"), environment);

        Assert.Equal(["--name=fromfile@/cfg/config:1 (File)"], settings);
    }

    private static ConfigFile Parse(string text)
    {
        Assert.True(ConfigFile.TryParse(Path, text, out var file, out var error), error);
        return file;
    }

    private static List<string> Resolve(Command command, ConfigFile file, Dictionary<string, string> environment)
    {
        Assert.True(CommandSettings.TryResolve(command, file, environment.GetValueOrDefault, out var settings, out var error), error);
        return settings.Select(s => $"{s.Option.Name}={string.Join('|', s.Values)}@{s.Where} ({s.Origin})").ToList();
    }
}
