using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

/// <summary>Runs the built `meshconf` as a user would, in a child process.</summary>
internal static class MeshConfProcess
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "meshconf.dll");

    public static ExternalProgram.Result Run(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["DOTNET_NOLOGO"] = "1",
        };
        return ExternalProgram.Run("dotnet", new[] { DllPath }.Concat(arguments), env, TimeSpan.FromSeconds(60));
    }
}
