using System.CommandLine;
using System.Globalization;
using MeshConf.Interop.PortAudio;
using MeshConf.Node.Video;

namespace MeshConf.Cli.Commands;

/// <summary>`meshconf devices`: the audio devices and cameras MeshConf can use, with the indexes --mic and --speaker take.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List microphones, speakers and cameras (use the index or name with --mic, --speaker, --video)");
        command.SetAction(_ =>
        {
            using var session = new PortAudioSession();
            var devices = session.GetDevices();
            Console.WriteLine("Audio devices:");
            if (devices.Count == 0)
            {
                Console.WriteLine("  (none: no sound card or sound server is visible)");
            }

            foreach (var d in devices)
            {
                var marks = (d.IsDefaultInput ? " [default mic]" : string.Empty) + (d.IsDefaultOutput ? " [default speaker]" : string.Empty);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {d.Index,3}  {d.Name}  ({d.HostApi}; in {d.MaxInputChannels}, out {d.MaxOutputChannels}; {d.DefaultSampleRate:0} Hz){marks}"));
            }

            var cameras = CameraEnumerator.List();
            Console.WriteLine("Cameras:");
            if (cameras.Count == 0)
            {
                Console.WriteLine("  (none)");
            }

            foreach (var camera in cameras)
            {
                Console.WriteLine($"  {camera.Input}  {camera.Name}");
            }

            return 0;
        });
        Configuration.CommandExamples.Add(command, "meshconf devices", "meshconf join session1 --mic 2 --speaker 3", "meshconf join session1 --video camera:/dev/video2");
        return command;
    }
}
