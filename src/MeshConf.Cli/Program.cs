using System.CommandLine;
using MeshConf.Cli.Commands;
using MeshConf.Interop.Native;

namespace MeshConf.Cli;

/// <summary>The `meshconf` command: parses the command line and turns every failure into one clear line.</summary>
internal static class Program
{
    /// <summary>Exit code for a command line that does not parse (unknown option, bad value).</summary>
    public const int UsageError = 2;

    public static int Main(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"meshconf: {error.Message}");
            }

            Console.Error.WriteLine("Try 'meshconf --help'.");
            return UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (NativeDependencyMissingException missing)
        {
            Console.Error.WriteLine($"meshconf: {missing.Message}");
            return 1;
        }
        catch (Exception error) when (Environment.GetEnvironmentVariable("MESHCONF_DEBUG") != "1")
        {
            Console.Error.WriteLine($"meshconf: {error.Message}");
            return 1;
        }
    }

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "MeshConf: serverless video and audio calls in the terminal, encrypted end to end, for the LAN.")
        {
            JoinCommand.Create(),
            FingerprintCommand.Create(),
            DiscoverCommand.Create(),
            RelayCommand.Create(),
            DoctorCommand.Create(),
            DevicesCommand.Create(),
        };
        return root;
    }
}
