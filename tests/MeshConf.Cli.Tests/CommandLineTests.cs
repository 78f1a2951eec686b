using System.Text.Json;

namespace MeshConf.Cli.Tests;

public sealed class CommandLineTests : IDisposable
{
    // A node started here: loopback, no mDNS, no devices, gone after a second.
    private static readonly string[] QuietJoin =
        ["join", "s1", "--headless", "--duration", "1", "--no-mdns", "--bind", "127.0.0.1", "--port", "0", "--video", "none", "--audio", "none", "--audio-out", "none"];

    private readonly string _configDir = Path.Combine(Directory.CreateTempSubdirectory("meshconf-cli-").FullName, "meshconf");

    public static TheoryData<string> Commands => new("join", "discover", "devices", "doctor", "fingerprint", "relay", "config");

    private string ConfigPath => Path.Combine(_configDir, "config");

    [Fact]
    public void Version_prints_the_product_version()
    {
        var result = MeshConfProcess.Run(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.StandardOutput.Trim());
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var result = MeshConfProcess.Run(["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("doctor", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("devices", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void No_arguments_show_help_rather_than_an_error()
    {
        var result = MeshConfProcess.Run([]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_one_clear_line_and_exit_code_2()
    {
        var result = MeshConfProcess.Run(["doctor", "--frobnicate"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("meshconf: Unrecognized command or argument '--frobnicate'", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Given_any_command_When_help_is_asked_Then_it_ends_with_examples_and_the_settings(string command)
    {
        var result = MeshConfProcess.Run([command, "--help"], Environment());

        Assert.Equal(0, result.ExitCode);
        var examples = result.StandardOutput.IndexOf("\nExamples:\n  meshconf ", StringComparison.Ordinal);
        Assert.True(examples > result.StandardOutput.IndexOf("Usage:", StringComparison.Ordinal), result.StandardOutput);
        Assert.Contains(ConfigPath, result.StandardOutput[examples..], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_root_When_help_is_asked_Then_it_has_examples_too()
    {
        var result = MeshConfProcess.Run(["--help"], Environment());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\nExamples:\n  meshconf join session1 --name darker\n", result.StandardOutput.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "fromfile")]
    [InlineData("fromenv", null, "fromenv")]
    [InlineData("fromenv", "fromcli", "fromcli")]
    public void Given_a_name_in_the_config_file_When_joining_Then_command_line_beats_environment_beats_file(string? environment, string? commandLine, string expected)
    {
        WriteConfig("# who I am\nname = fromfile\n[join]\nno-mdns = true\n");
        var variables = Environment();
        if (environment is not null)
        {
            variables["MESHCONF_NAME"] = environment;
        }

        string[] name = commandLine is null ? [] : ["--name", commandLine];
        var result = MeshConfProcess.Run([.. QuietJoin, .. name], variables);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var ready = result.StandardOutput.Split('\n').Select(l => l.Trim()).First(l => l.Contains("\"ready\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(ready);
        Assert.Equal(expected, json.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void Given_a_bad_value_in_the_config_file_When_run_Then_one_line_names_file_and_line_and_it_exits_2()
    {
        WriteConfig("[join]\nfps = fast\n");

        var result = MeshConfProcess.Run(QuietJoin, Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"meshconf: {ConfigPath}:2: Cannot parse argument 'fast' for option '--fps' as expected type 'System.Int32'.",
            result.StandardError.Split('\n')[0]);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void Given_a_bad_value_in_a_variable_When_run_Then_one_line_names_the_variable_and_it_exits_2()
    {
        var variables = Environment();
        variables["MESHCONF_FPS"] = "fast";

        var result = MeshConfProcess.Run(QuietJoin, variables);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("meshconf: MESHCONF_FPS: Cannot parse argument 'fast' for option '--fps' as expected type 'System.Int32'.", result.StandardError.Split('\n')[0]);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_out_of_range_value_in_a_variable_When_join_runs_Then_its_own_check_names_the_variable_and_it_exits_2()
    {
        var variables = Environment();
        variables["MESHCONF_FPS"] = "99";

        var result = MeshConfProcess.Run(QuietJoin, variables);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("meshconf: MESHCONF_FPS: --fps 99: must be 1 to 30", result.StandardError.Split('\n')[0]);
    }

    [Theory]
    [InlineData("--record", "", "--record needs a file name")]
    [InlineData("--color", "sepia", "--color 'sepia': use auto, truecolor, 256, 16 or mono")]
    [InlineData("--render", "braille", "--render 'braille': use auto, halfblock, quadrant, sextant or glyph")]
    [InlineData("--video", "webcam", "webcam")]
    [InlineData("--peer", "nowhere", "--peer")]
    [InlineData("--tile", "80by40", "--tile '80by40' must be COLSxROWS")]
    public void Given_a_bad_join_value_When_run_Then_one_line_and_exit_code_2(string option, string value, string expected)
    {
        var result = MeshConfProcess.Run(["join", "s", "--no-mdns", "--duration", "1", option, value], Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("meshconf: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, result.StandardError.Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_record_with_headless_When_run_Then_it_says_there_is_no_screen_to_record_and_exits_2()
    {
        var result = MeshConfProcess.Run(["join", "s", "--no-mdns", "--headless", "--record", "x.cast"], Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("meshconf: --record needs the call screen: it records what the terminal shows, and --headless shows nothing", result.StandardError.TrimEnd('\n'));
    }

    [Fact]
    public void Given_an_unknown_key_in_the_config_file_When_any_command_runs_Then_it_is_one_line_and_exit_code_2()
    {
        WriteConfig("name = darker\n[join]\nfoo = 1\n");

        var result = MeshConfProcess.Run(["fingerprint"], Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"meshconf: {ConfigPath}:3: unknown setting 'foo' (join has no --foo)", result.StandardError.TrimEnd('\n'));
        Assert.False(File.Exists(Path.Combine(_configDir, "identity.pem")));
    }

    [Fact]
    public void Given_a_fingerprint_section_When_fingerprint_runs_Then_it_follows_the_file_and_config_dir_picks_the_file()
    {
        WriteConfig("[fingerprint]\njson = yes\n");
        var elsewhere = Path.Combine(Path.GetDirectoryName(_configDir)!, "elsewhere");

        var fromFile = MeshConfProcess.Run(["fingerprint"], Environment());
        var otherDir = MeshConfProcess.Run(["fingerprint", "--config-dir", elsewhere], Environment());

        Assert.Equal(0, fromFile.ExitCode);
        using var json = JsonDocument.Parse(fromFile.StandardOutput);
        Assert.Equal(Path.Combine(_configDir, "identity.pem"), json.RootElement.GetProperty("path").GetString());
        Assert.Equal(0, otherDir.ExitCode);
        Assert.Matches("^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}  SHA-256 [0-9a-f]{64}$", otherDir.StandardOutput.Trim());
    }

    [Fact]
    public void Given_settings_in_file_and_environment_When_config_runs_Then_it_shows_the_path_and_where_each_value_comes_from()
    {
        WriteConfig("[join]\nname = darker\npassphrase = letmein\n");
        var variables = Environment();
        variables["MESHCONF_VIDEO"] = "pattern";

        var result = MeshConfProcess.Run(["config", "join"], variables);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal($"# config file: {ConfigPath}", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("name = darker ", StringComparison.Ordinal) && l.EndsWith($"# {ConfigPath}:2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("video = pattern ", StringComparison.Ordinal) && l.EndsWith("# MESHCONF_VIDEO", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("fps = 15 ", StringComparison.Ordinal) && l.EndsWith("# default", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("passphrase = (hidden) ", StringComparison.Ordinal));
        Assert.DoesNotContain("letmein", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("[discover]", result.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_configDir)!, recursive: true);

    private Dictionary<string, string> Environment() => new() { ["MESHCONF_CONFIG_DIR"] = _configDir };

    private void WriteConfig(string text)
    {
        Directory.CreateDirectory(_configDir);
        File.WriteAllText(ConfigPath, text);
    }
}
