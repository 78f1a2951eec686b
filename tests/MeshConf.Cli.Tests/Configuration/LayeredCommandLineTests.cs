using System.CommandLine;
using MeshConf.Cli.Configuration;

namespace MeshConf.Cli.Tests.Configuration;

public sealed class LayeredCommandLineTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("meshconf-layered-");
    private readonly Dictionary<string, string> _environment = [];
    private readonly Option<string> _name = new("--name");
    private readonly Option<int> _fps = new("--fps") { DefaultValueFactory = _ => 15 };
    private readonly Option<int> _port = new("--port");
    private readonly Option<string[]> _peer = new("--peer");
    private readonly Option<bool> _noMdns = new("--no-mdns");
    private readonly Option<string> _configDir = new("--config-dir");
    private readonly Option<double> _wait = new("--wait") { DefaultValueFactory = _ => 3 };
    private readonly Option<string> _target = new("--target") { Required = true };
    private readonly RootCommand _root;

    public LayeredCommandLineTests()
    {
        _environment["MESHCONF_CONFIG_DIR"] = ConfigDir;
        var join = new Command("join") { new Argument<string>("session"), _name, _fps, _port, _peer, _noMdns, _configDir };
        // Like RelayCommand's --listen: a check of the option's own (converted) value.
        _port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError($"--port {result.GetValueOrDefault<int>()}: must be 0 to 65535");
            }
        });
        join.SetAction(_ => 0);
        var discover = new Command("discover") { _wait };
        // Like DiscoverCommand: a command's own check that names the option it is about, and reads its value.
        discover.Validators.Add(result =>
        {
            if (result.GetValue(_wait) is < 0 or > 3600)
            {
                result.AddError("--wait must be between 0 and 3600 seconds");
            }
        });
        discover.SetAction(_ => 0);
        var relay = new Command("relay") { _target };
        relay.SetAction(_ => 0);
        _root = new RootCommand { join, discover, relay };
    }

    private string ConfigDir => Path.Combine(_directory.FullName, "meshconf");

    private string ConfigPath => Path.Combine(ConfigDir, "config");

    [Fact]
    public void Given_a_config_file_value_When_parsed_Then_the_command_gets_it()
    {
        WriteConfig("name = fromfile\n[join]\nfps = 20\nno-mdns = yes");

        var layered = Parse("join", "s1");

        Assert.Equal("fromfile", layered.Result!.GetValue(_name));
        Assert.Equal(20, layered.Result.GetValue(_fps));
        Assert.True(layered.Result.GetValue(_noMdns));
        Assert.Equal(ConfigPath, layered.ConfigPath);
        Assert.Equal(
            ["--name File", "--fps File", "--no-mdns File", "--config-dir Environment"],
            layered.Applied.Select(s => $"{s.Option.Name} {s.Origin}"));
    }

    [Fact]
    public void Given_file_environment_and_command_line_When_parsed_Then_the_command_line_beats_the_environment_which_beats_the_file()
    {
        WriteConfig("name = fromfile\nfps = 10\npeer = a:1\npeer = b:2");
        _environment["MESHCONF_FPS"] = "20";
        _environment["MESHCONF_PEER"] = "c:3,d:4";

        var noFlags = Parse("join", "s1");
        var flags = Parse("join", "s1", "--fps", "30", "--peer", "e:5");

        Assert.Equal("fromfile", noFlags.Result!.GetValue(_name));
        Assert.Equal(20, noFlags.Result.GetValue(_fps));
        Assert.Equal(["c:3", "d:4"], noFlags.Result.GetValue(_peer)!);
        Assert.Equal(30, flags.Result!.GetValue(_fps));
        Assert.Equal(["e:5"], flags.Result.GetValue(_peer)!);
        Assert.DoesNotContain(flags.Applied, s => s.Option == _fps || s.Option == _peer);
    }

    [Fact]
    public void Given_nothing_configured_When_parsed_Then_the_built_in_defaults_stay()
    {
        var layered = Parse("join", "s1");

        // MESHCONF_CONFIG_DIR is join's --config-dir too: the same directory either way.
        var applied = Assert.Single(layered.Applied);
        Assert.Equal(["MESHCONF_CONFIG_DIR", ConfigDir], [applied.Where, .. applied.Values]);
        Assert.Equal(15, layered.Result!.GetValue(_fps));
        Assert.Null(layered.Result.GetValue(_name));
    }

    [Fact]
    public void Given_values_that_look_like_options_or_response_files_When_parsed_Then_they_stay_values()
    {
        WriteConfig("name = -dash\npeer = @file");

        var layered = Parse("join", "s1");

        Assert.Empty(layered.Result!.Errors);
        Assert.Equal("-dash", layered.Result.GetValue(_name));
        Assert.Equal(["@file"], layered.Result.GetValue(_peer)!);
    }

    [Fact]
    public void Given_a_double_dash_When_parsed_Then_the_defaults_go_before_it()
    {
        WriteConfig("name = fromfile");

        var layered = Parse("join", "--", "-session-");

        Assert.Empty(layered.Result!.Errors);
        Assert.Equal("fromfile", layered.Result.GetValue(_name));
    }

    [Fact]
    public void Given_a_required_option_from_the_environment_When_parsed_Then_it_is_satisfied()
    {
        _environment["MESHCONF_TARGET"] = "127.0.0.1:7000";

        var layered = Parse("relay");

        Assert.Empty(layered.Result!.Errors);
        Assert.Equal("127.0.0.1:7000", layered.Result.GetValue(_target));
    }

    [Fact]
    public void Given_a_bad_value_in_the_file_When_parsed_Then_the_error_names_file_and_line()
    {
        WriteConfig("# frame rate\n\n[join]\nfps = fast");

        var layered = Parse("join", "s1");

        var error = Assert.Single(layered.Result!.Errors);
        Assert.Equal($"{ConfigPath}:4: Cannot parse argument 'fast' for option '--fps' as expected type 'System.Int32'.", layered.Describe(error));
    }

    [Fact]
    public void Given_a_value_a_validator_refuses_in_the_environment_When_parsed_Then_the_error_names_the_variable()
    {
        _environment["MESHCONF_PORT"] = "70000";

        var layered = Parse("join", "s1");

        Assert.Equal("MESHCONF_PORT: --port 70000: must be 0 to 65535", layered.Describe(Assert.Single(layered.Result!.Errors)));
    }

    [Fact]
    public void Given_a_command_check_that_names_a_configured_option_When_it_fails_Then_the_error_names_the_source()
    {
        WriteConfig("[discover]\nwait = 9999");

        var layered = Parse("discover");

        Assert.Equal($"{ConfigPath}:2: --wait must be between 0 and 3600 seconds", layered.Describe(Assert.Single(layered.Result!.Errors)));
    }

    [Fact]
    public void Given_a_value_a_check_cannot_read_When_parsed_Then_it_is_one_error_line_not_an_exception()
    {
        // System.CommandLine 2.0.0 runs the checks on a value that did not convert, and reading it throws.
        _environment["MESHCONF_WAIT"] = "soon";
        WriteConfig("[join]\nport = high");

        var discover = Parse("discover");
        var join = Parse("join", "s1");
        var commandLine = Parse("discover", "--wait", "later");

        Assert.Null(discover.Result);
        Assert.Equal("MESHCONF_WAIT: Cannot parse argument 'soon' for option '--wait' as expected type 'System.Double'.", discover.Error);
        Assert.Null(join.Result);
        Assert.Equal($"{ConfigPath}:2: Cannot parse argument 'high' for option '--port' as expected type 'System.Int32'.", join.Error);
        Assert.Null(commandLine.Result);
        Assert.Equal("Cannot parse argument 'later' for option '--wait' as expected type 'System.Double'.", commandLine.Error);
    }

    [Fact]
    public void Given_an_error_of_the_command_line_itself_When_described_Then_it_names_no_source()
    {
        WriteConfig("name = fromfile");

        var layered = Parse("join", "s1", "--fps", "fast", "--frobnicate");

        Assert.Equal(
            ["Cannot parse argument 'fast' for option '--fps' as expected type 'System.Int32'.", "Unrecognized command or argument '--frobnicate'."],
            layered.Result!.Errors.Select(layered.Describe).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_an_unknown_key_When_parsed_Then_the_error_is_the_files_line_and_there_is_no_result()
    {
        WriteConfig("name = x\n[join]\nfoo = 1");

        var layered = Parse("join", "s1");

        Assert.Null(layered.Result);
        Assert.Equal($"{ConfigPath}:3: unknown setting 'foo' (join has no --foo)", layered.Error);
    }

    [Fact]
    public void Given_help_or_version_When_the_config_file_is_broken_Then_they_still_work()
    {
        WriteConfig("this is not a setting");

        var help = Parse("join", "--help");
        var version = Parse("--version");

        Assert.Null(help.Error);
        Assert.Null(help.ConfigPath);
        Assert.Empty(help.Result!.Errors);
        Assert.Null(version.Error);
    }

    [Fact]
    public void Given_config_dir_on_the_command_line_When_parsed_Then_the_config_file_is_read_from_there()
    {
        WriteConfig("name = default-dir");
        var other = Path.Combine(_directory.FullName, "other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "config"), "name = other-dir\n");

        var layered = Parse("join", "s1", "--config-dir", other);

        Assert.Equal(Path.Combine(other, "config"), layered.ConfigPath);
        Assert.Equal("other-dir", layered.Result!.GetValue(_name));
        Assert.Equal(other, layered.Result.GetValue(_configDir));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private LayeredCommandLine Parse(params string[] args) => LayeredCommandLine.Parse(_root, args, _environment.GetValueOrDefault);

    private void WriteConfig(string text)
    {
        Directory.CreateDirectory(ConfigDir);
        File.WriteAllText(ConfigPath, text);
    }
}
