namespace MeshConf.Node.Security;

/// <summary>Where MeshConf keeps its identity key and known peers.</summary>
public static class ConfigDirectory
{
    /// <summary>Variable that names the configuration directory outright (tests, several identities on one machine).</summary>
    public const string OverrideVariable = "MESHCONF_CONFIG_DIR";

    /// <summary>
    /// MESHCONF_CONFIG_DIR when set; else $XDG_CONFIG_HOME/meshconf when that is an absolute path (the XDG Base
    /// Directory spec says to ignore relative ones); else ~/.config/meshconf, or %APPDATA%\meshconf on Windows.
    /// </summary>
    /// <param name="getEnvironmentVariable">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> outside tests.</param>
    public static string Resolve(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (getEnvironmentVariable(OverrideVariable) is { Length: > 0 } overridden)
        {
            return overridden;
        }

        if (getEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "meshconf");
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "meshconf");
        }

        var home = getEnvironmentVariable("HOME") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "meshconf");
    }

    /// <summary><see cref="Resolve"/> against this process's environment.</summary>
    public static string ResolveCurrent() => Resolve(Environment.GetEnvironmentVariable);
}
