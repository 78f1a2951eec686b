using System.CommandLine;
using System.CommandLine.Parsing;
using MeshConf.Cli.Commands;
using MeshConf.Cli.Configuration;
using MeshConf.Interop.Native;

namespace MeshConf.Cli;

/// <summary>
/// The `meshconf` command: parses the command line over the defaults from MESHCONF_* variables and the config file
/// (<see cref="LayeredCommandLine"/>) and turns every failure into one clear line.
/// </summary>
internal static class Program
{
    /// <summary>Exit code for a command line that does not parse (unknown option, bad value).</summary>
    public const int UsageError = 2;

    public static int Main(string[] args)
    {
        var root = BuildRoot();
        var layered = LayeredCommandLine.Parse(root, args.Length == 0 ? ["--help"] : args, Environment.GetEnvironmentVariable);
        if (layered.Result is not { } parse)
        {
            // A bad config file or MESHCONF_* variable (or a value a check could not read): one line naming its source.
            Console.Error.WriteLine($"meshconf: {layered.Error}");
            return UsageError;
        }

        // One line per error (usually one), nothing else: the error names the option and what it wants.
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"meshconf: {layered.Describe(error)}");
            }

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
            ConfigCommand.Create(),
        };
        CommandExamples.Add(
            root,
            "meshconf join session1 --name darker",
            "meshconf discover",
            "meshconf doctor",
            "meshconf fingerprint",
            "meshconf config join");
        CommandExamples.InstallHelp(root, Environment.GetEnvironmentVariable);
        return root;
    }
}
