using MeshConf.Node.Security;

namespace MeshConf.Node.Tests.Security;

public sealed class ConfigDirectoryTests
{
    [Fact]
    public void Given_MESHCONF_CONFIG_DIR_When_resolving_Then_it_wins_over_everything()
    {
        var env = Environment(("MESHCONF_CONFIG_DIR", "/srv/meshconf-a"), ("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/ann"));

        Assert.Equal("/srv/meshconf-a", ConfigDirectory.Resolve(env));
    }

    [Fact]
    public void Given_XDG_CONFIG_HOME_When_resolving_Then_meshconf_lives_under_it()
    {
        var env = Environment(("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/ann"));

        Assert.Equal(Path.Combine("/xdg", "meshconf"), ConfigDirectory.Resolve(env));
    }

    [Fact]
    public void Given_only_HOME_When_resolving_Then_it_is_dot_config_meshconf()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows uses %APPDATA%");

        Assert.Equal("/home/ann/.config/meshconf", ConfigDirectory.Resolve(Environment(("HOME", "/home/ann"))));
    }

    [Fact]
    public void Given_empty_or_relative_variables_When_resolving_Then_they_are_ignored()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows uses %APPDATA%");
        var env = Environment(("MESHCONF_CONFIG_DIR", string.Empty), ("XDG_CONFIG_HOME", "relative/dir"), ("HOME", "/home/bob"));

        Assert.Equal("/home/bob/.config/meshconf", ConfigDirectory.Resolve(env));
    }

    [Fact]
    public void Given_no_HOME_When_resolving_Then_the_user_profile_is_used()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows uses %APPDATA%");

        var resolved = ConfigDirectory.Resolve(_ => null);

        Assert.Equal(Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config", "meshconf"), resolved);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }
}
