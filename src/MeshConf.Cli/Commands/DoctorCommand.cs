using System.CommandLine;
using MeshConf.Cli.Diagnostics;
using MeshConf.Terminal;

namespace MeshConf.Cli.Commands;

/// <summary>`meshconf doctor`: is a full call possible on this machine, and if not, what to install.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per check instead of text" };
        var command = new Command("doctor", "Check libraries, ffmpeg, audio devices, cameras and the terminal; exit 1 when a full call is not possible")
        {
            json,
        };
        command.SetAction(parse =>
        {
            var checks = SystemDoctor.Run(TerminalCapabilities.DetectCurrent());
            if (parse.GetValue(json))
            {
                DoctorReportWriter.WriteJson(Console.Out, checks);
            }
            else
            {
                DoctorReportWriter.WriteText(Console.Out, checks);
            }

            return checks.Any(c => c.Status == CheckStatus.Missing) ? 1 : 0;
        });
        Configuration.CommandExamples.Add(command, "meshconf doctor", "meshconf doctor --json");
        return command;
    }
}
