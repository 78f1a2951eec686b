using MeshConf.Interop.Native;
using Xunit;

namespace MeshConf.TestSupport;

/// <summary>
/// Tests that need a piece of the system (a native library, PulseAudio, espeak-ng, root...) call these.
/// On a developer's machine a missing piece skips the test with its reason; under CI (CI=true) it fails
/// it, because CI installs everything and a skip there would hide a broken setup.
/// </summary>
public static class SystemPiece
{
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>Skips (or, under CI, fails) unless <paramref name="present"/>.</summary>
    public static void Require(bool present, string missing)
    {
        if (present)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail($"CI requires {missing}; scripts/setup.sh should have installed it");
        }

        Assert.Skip($"needs {missing}");
    }

    /// <summary>Requires a native library, returning when it is loadable.</summary>
    public static void RequireLibrary(NativeDependency dependency) =>
        Require(dependency.IsAvailable, $"{dependency.PrimaryName} ({dependency.DebianPackage})");

    /// <summary>Requires a program on PATH and returns its full path.</summary>
    public static string RequireProgram(string name, string package)
    {
        var path = FindProgram(name);
        Require(path is not null, $"the program {name} ({package})");
        return path!;
    }

    /// <summary>Requires root (network namespaces, privileged setup).</summary>
    public static void RequireRoot() => Require(Environment.UserName == "root", "root");

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindProgram(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
