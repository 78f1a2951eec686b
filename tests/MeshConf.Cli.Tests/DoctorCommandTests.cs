using System.Text.Json;
using MeshConf.TestSupport;

namespace MeshConf.Cli.Tests;

public sealed class DoctorCommandTests
{
    private static readonly string[] s_requiredPieces = ["enet", "opus", "portaudio", "speexdsp", "ffmpeg"];

    [Fact]
    public void Doctor_lists_all_four_libraries_and_ffmpeg_as_present()
    {
        var result = MeshConfProcess.Run(["doctor", "--json"]);

        var checks = Parse(result.StandardOutput);
        foreach (var name in s_requiredPieces)
        {
            var check = Assert.Single(checks, c => c.Name == name);
            SystemPiece.Require(check.Status == "ok", $"{name} ({check.Detail}; {check.Fix})");
        }

        Assert.Contains("ENet 1.3.", checks.Single(c => c.Name == "enet").Detail, StringComparison.Ordinal);
        Assert.Contains("libopus 1.", checks.Single(c => c.Name == "opus").Detail, StringComparison.Ordinal);
        Assert.Contains("PortAudio V19", checks.Single(c => c.Name == "portaudio").Detail, StringComparison.Ordinal);
        Assert.Contains("libspeexdsp.so.1", checks.Single(c => c.Name == "speexdsp").Detail, StringComparison.Ordinal);
        Assert.Matches(@"^ffmpeg \d", checks.Single(c => c.Name == "ffmpeg").Detail);
        Assert.Equal(checks.Any(c => c.Status == "missing") ? 1 : 0, result.ExitCode);
    }

    [Theory]
    [InlineData("C.UTF-8", "xterm-kitty", "ok", "halfblock, quadrant, sextant, glyph")]
    [InlineData("C.UTF-8", "xterm-256color", "ok", "halfblock, quadrant, glyph")]
    [InlineData("C", "xterm-kitty", "note", "halfblock, glyph")]
    public void Doctor_reports_the_render_modes_the_terminal_can_draw(string lang, string term, string status, string modes)
    {
        var result = MeshConfProcess.Run(["doctor", "--json"], new Dictionary<string, string>
        {
            ["LC_ALL"] = string.Empty, ["LC_CTYPE"] = string.Empty, ["LANG"] = lang, ["TERM"] = term,
            ["KITTY_WINDOW_ID"] = string.Empty, ["WT_SESSION"] = string.Empty, ["VTE_VERSION"] = string.Empty, ["TERM_PROGRAM"] = string.Empty,
        });

        var render = Assert.Single(Parse(result.StandardOutput), c => c.Name == "render");
        Assert.Equal(status, render.Status);
        Assert.Contains($"--render {modes} (", render.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_text_output_ends_with_a_verdict()
    {
        var result = MeshConfProcess.Run(["doctor"]);

        var lastLine = result.StandardOutput.TrimEnd().Split('\n')[^1];
        Assert.True(
            result.ExitCode == 0 ? lastLine.StartsWith("Everything", StringComparison.Ordinal) : lastLine.Contains("missing piece", StringComparison.Ordinal),
            lastLine);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public void Given_a_missing_library_When_doctor_runs_Then_one_line_says_which_package_to_install_and_it_exits_1()
    {
        var result = MeshConfProcess.Run(["doctor"], new Dictionary<string, string> { ["MESHCONF_LIBOPUS"] = "/nonexistent/libopus.so.0" });

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardOutput.Split('\n'), l => l.Contains(" opus ", StringComparison.Ordinal));
        Assert.StartsWith("MISSING", line, StringComparison.Ordinal);
        Assert.Contains("MESHCONF_LIBOPUS", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public void Given_a_missing_library_When_doctor_runs_as_json_Then_it_is_reported_with_a_fix()
    {
        var result = MeshConfProcess.Run(["doctor", "--json"], new Dictionary<string, string> { ["MESHCONF_LIBOPUS"] = "libopus-absent.so.0" });

        var opus = Assert.Single(Parse(result.StandardOutput), c => c.Name == "opus");
        Assert.Equal("missing", opus.Status);
        Assert.Equal("fix the path or unset it", opus.Fix);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Given_PortAudio_missing_When_listing_devices_Then_the_user_sees_one_friendly_line_not_a_DllNotFoundException()
    {
        var result = MeshConfProcess.Run(["devices"], new Dictionary<string, string> { ["MESHCONF_LIBPORTAUDIO"] = "/nonexistent/libportaudio.so.2" });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "meshconf: PortAudio audio devices could not be loaded from MESHCONF_LIBPORTAUDIO=/nonexistent/libportaudio.so.2: fix the path or unset it",
            result.StandardError.Trim());
        Assert.DoesNotContain("DllNotFoundException", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_sound_server_When_listing_devices_Then_no_ALSA_or_JACK_noise_reaches_the_terminal()
    {
        SystemPiece.RequireLibrary(MeshConf.Interop.Native.NativeDependency.PortAudio);
        var empty = Directory.CreateTempSubdirectory("meshconf-nosound-").FullName;
        try
        {
            var result = MeshConfProcess.Run(["devices"], new Dictionary<string, string>
            {
                ["XDG_RUNTIME_DIR"] = empty,
                ["PULSE_SERVER"] = "unix:" + Path.Combine(empty, "nothing-here"),
            });

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(string.Empty, result.StandardError);
            Assert.Contains("Audio devices:", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Given_a_PulseAudio_server_When_doctor_runs_Then_microphone_and_speaker_are_found()
    {
        SystemPiece.RequireLibrary(MeshConf.Interop.Native.NativeDependency.PortAudio);
        using var pulse = PulseAudioServer.TryStart(out var problem);
        SystemPiece.Require(pulse is not null, problem);

        var result = MeshConfProcess.Run(["doctor", "--json"], new Dictionary<string, string>(pulse!.Environment));

        var checks = Parse(result.StandardOutput);
        Assert.Equal("ok", checks.Single(c => c.Name == "microphone").Status);
        Assert.Equal("ok", checks.Single(c => c.Name == "speaker").Status);
    }

    private sealed record Check(string Area, string Name, string Status, string Detail, string? Fix);

    private static List<Check> Parse(string jsonLines)
    {
        var checks = new List<Check>();
        foreach (var line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            checks.Add(new Check(
                root.GetProperty("area").GetString()!,
                root.GetProperty("name").GetString()!,
                root.GetProperty("status").GetString()!,
                root.GetProperty("detail").GetString()!,
                root.TryGetProperty("fix", out var fix) ? fix.GetString() : null));
        }

        return checks;
    }
}
