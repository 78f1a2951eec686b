using System.Diagnostics;
using System.Text;
using MeshConf.Terminal.Recording;
using MeshConf.TestSupport;

namespace MeshConf.Terminal.Tests.Recording;

/// <summary>
/// The recording as asciinema itself reads it: <c>asciinema cat</c> must print exactly the bytes the terminal got.
/// asciinema 2.2's cat opens /dev/tty (and puts it in raw mode), so it runs under util-linux <c>script</c>, which
/// gives it a pseudo-terminal and copies what it prints to a pipe; raw mode turns off output processing, so the
/// pipe carries the bytes unchanged (no LF to CRLF).
/// </summary>
public sealed class AsciicastReplayTests
{
    [Fact(Timeout = 60_000)]
    public async Task Given_a_recording_When_asciinema_cats_it_Then_it_prints_exactly_the_recorded_bytes()
    {
        var asciinema = SystemPiece.RequireProgram("asciinema", "asciinema");
        var script = SystemPiece.RequireProgram("script", "bsdutils");
        var token = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("meshconf-replay-");
        try
        {
            var path = Path.Combine(directory.FullName, "call.cast");
            var screen = new MemoryStream();
            using (var recorder = AsciicastRecorder.Create(path, 80, 24, TimeProvider.System, "replay test", AsciicastRecorder.TerminalEnvironment()))
            {
                foreach (var piece in Pieces())
                {
                    recorder.Output(piece);
                    screen.Write(piece);
                }

                recorder.Resize(100, 30);
                recorder.Output("after the resize\r\n"u8);
                screen.Write("after the resize\r\n"u8);

                Assert.Null(recorder.Failure);
            }

            var home = directory.CreateSubdirectory("home").FullName;
            var environment = new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["XDG_CONFIG_HOME"] = home,
                ["XDG_DATA_HOME"] = home,
                ["XDG_STATE_HOME"] = home,
                ["LC_ALL"] = "C.UTF-8",
                ["PYTHONIOENCODING"] = "utf-8",
            };
            var (exitCode, output, errors) = await RunAsync(script, ["-q", "-e", "-c", $"'{asciinema}' cat '{path}'", "/dev/null"], environment, token);

            Assert.True(exitCode == 0, $"asciinema cat failed ({exitCode}): {errors}");
            Assert.Equal(screen.ToArray(), output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>What a call screen sends, in pieces split inside escape sequences and multi-byte chars.</summary>
    private static IEnumerable<byte[]> Pieces()
    {
        var frame = new StringBuilder("\e[?1049h\e[?25l\e[2J\e[H");
        for (var row = 1; row <= 24; row++)
        {
            frame.Append($"\e[{row};1H\e[38;2;{row * 10};20;30m\e[48;5;{row}m");
            frame.Append(row % 3 == 0 ? "▀▄▀▄ José Zoë Ωmega " : "日本語 😀 \"quoted\" \\ back\\slash\t");
        }

        frame.Append("\e[0m\r\n\a\b\f\v\u007f end\n");
        var bytes = Encoding.UTF8.GetBytes(frame.ToString());
        var controls = Enumerable.Range(1, 0x1F).Where(b => b != 0x1B).Select(b => (byte)b).ToArray();
        var emoji = "😀"u8.ToArray();
        var cuts = new[] { 0, 7, 100, 101, 150, 151, 152, bytes.Length };
        return cuts.Zip(cuts.Skip(1), (from, to) => bytes[from..to])
            .Concat([controls, emoji[..1], emoji[1..3], emoji[3..], "\e[?25h\e[?1049l"u8.ToArray()]);
    }

    private static async Task<(int ExitCode, byte[] Output, string Errors)> RunAsync(string fileName, IEnumerable<string> arguments, Dictionary<string, string> environment, CancellationToken token)
    {
        // The output is compared byte for byte, so it is read as bytes (ExternalProgram.Run reads text).
        using var process = Process.Start(ExternalProgram.StartInfo(fileName, arguments, environment)) ?? throw new InvalidOperationException($"could not start {fileName}");
        try
        {
            process.StandardInput.Close();
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, token);
            var errors = process.StandardError.ReadToEndAsync(token);
            await process.WaitForExitAsync(token);
            await copy;
            return (process.ExitCode, output.ToArray(), await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
