using System.Text.Json;

namespace MeshConf.Cli.Tests;

public sealed class FingerprintCommandTests : IDisposable
{
    private readonly string _configDir = Path.Combine(Directory.CreateTempSubdirectory("meshconf-fingerprint-").FullName, "meshconf");

    private Dictionary<string, string> Environment => new() { ["MESHCONF_CONFIG_DIR"] = _configDir };

    private string IdentityPath => Path.Combine(_configDir, "identity.pem");

    [Fact]
    public void Given_no_identity_When_run_twice_Then_the_first_run_creates_the_key_and_both_print_the_same_fingerprint()
    {
        var first = MeshConfProcess.Run(["fingerprint"], Environment);
        var second = MeshConfProcess.Run(["fingerprint"], Environment);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"created identity key {IdentityPath}", first.StandardError.Trim());
        var line = first.StandardOutput.Trim();
        Assert.Matches("^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}  SHA-256 [0-9a-f]{64}$", line);
        Assert.Equal(line[..19].Replace("-", string.Empty, StringComparison.Ordinal), line[29..45]);
        Assert.True(File.Exists(IdentityPath));

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(string.Empty, second.StandardError);
        Assert.Equal(line, second.StandardOutput.Trim());
    }

    [Fact]
    public void Given_json_When_run_Then_one_object_carries_fingerprint_short_path_and_created()
    {
        var first = MeshConfProcess.Run(["fingerprint", "--json"], Environment);
        // --config-dir wins over the variable, which points at a directory that must stay untouched.
        var elsewhere = Path.Combine(Path.GetDirectoryName(_configDir)!, "elsewhere");
        var second = MeshConfProcess.Run(["fingerprint", "--json", "--config-dir", _configDir], new Dictionary<string, string> { ["MESHCONF_CONFIG_DIR"] = elsewhere });

        Assert.Equal(0, first.ExitCode);
        using var created = JsonDocument.Parse(first.StandardOutput);
        using var loaded = JsonDocument.Parse(second.StandardOutput);
        var fingerprint = created.RootElement.GetProperty("fingerprint").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        Assert.Equal($"{fingerprint[..4]}-{fingerprint[4..8]}-{fingerprint[8..12]}-{fingerprint[12..16]}", created.RootElement.GetProperty("short").GetString());
        Assert.Equal(IdentityPath, created.RootElement.GetProperty("path").GetString());
        Assert.True(created.RootElement.GetProperty("created").GetBoolean());
        Assert.False(loaded.RootElement.GetProperty("created").GetBoolean());
        Assert.Equal(fingerprint, loaded.RootElement.GetProperty("fingerprint").GetString());
        Assert.False(Directory.Exists(elsewhere));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Given_an_identity_readable_by_others_When_run_Then_it_exits_1_with_one_line_naming_the_fix()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes");
        Assert.Equal(0, MeshConfProcess.Run(["fingerprint"], Environment).ExitCode);
        File.SetUnixFileMode(IdentityPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = MeshConfProcess.Run(["fingerprint"], Environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Equal(
            $"meshconf: identity key {IdentityPath} is accessible by others (mode 0644); fix it with: chmod 600 {IdentityPath}",
            result.StandardError.TrimEnd('\n'));
    }

    [Fact]
    public void Given_a_corrupt_identity_When_run_Then_it_exits_1_with_one_line_and_no_stack_trace()
    {
        Directory.CreateDirectory(_configDir);
        File.WriteAllText(IdentityPath, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(IdentityPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var result = MeshConfProcess.Run(["fingerprint"], Environment);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"meshconf: identity key {IdentityPath} is not usable: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_configDir)!, recursive: true);
}
