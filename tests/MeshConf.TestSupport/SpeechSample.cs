using MeshConf.Core.Audio;

namespace MeshConf.TestSupport;

/// <summary>
/// Real speech for codec tests, spoken by espeak-ng and resampled to 48 kHz mono by sox. Pure tones are not
/// enough: Opus classifies them as non-speech and sends no FEC for them.
/// </summary>
public static class SpeechSample
{
    private const string Text =
        "Hello from MeshConf. This is a test of speech over a lossy network, with forward error correction. " +
        "Seven bright foxes jumped over the quiet river, and everyone could hear them clearly.";

    private static readonly Lock s_gate = new();
    private static PcmAudio? s_cached;

    /// <summary>About ten seconds of 48 kHz mono speech; skips (fails under CI) without espeak-ng and sox.</summary>
    public static PcmAudio Get()
    {
        var espeak = SystemPiece.RequireProgram("espeak-ng", "espeak-ng");
        var sox = SystemPiece.RequireProgram("sox", "sox");
        lock (s_gate)
        {
            if (s_cached is not null)
            {
                return s_cached;
            }

            var dir = Directory.CreateTempSubdirectory("meshconf-speech-").FullName;
            try
            {
                var raw = Path.Combine(dir, "raw.wav");
                var resampled = Path.Combine(dir, "speech48k.wav");
                var spoken = ExternalProgram.Run(espeak, ["-s", "150", "-w", raw, Text]);
                if (spoken.ExitCode != 0)
                {
                    throw new InvalidOperationException($"espeak-ng failed: {spoken.StandardError}");
                }

                var converted = ExternalProgram.Run(sox, [raw, "-r", "48000", "-c", "1", "-b", "16", resampled]);
                if (converted.ExitCode != 0)
                {
                    throw new InvalidOperationException($"sox failed: {converted.StandardError}");
                }

                s_cached = WaveFile.Read(resampled);
                return s_cached;
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
