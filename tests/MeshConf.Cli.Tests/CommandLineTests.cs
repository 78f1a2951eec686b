namespace MeshConf.Cli.Tests;

public sealed class CommandLineTests
{
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
}
