using System.Text;
using System.Text.Json;

namespace MeshConf.Cli.Diagnostics;

/// <summary>Prints doctor checks for people (aligned lines) or for programs (one JSON object per line).</summary>
internal static class DoctorReportWriter
{
    public static void WriteText(TextWriter output, IReadOnlyList<DoctorCheck> checks)
    {
        var width = checks.Max(c => c.Name.Length);
        foreach (var check in checks)
        {
            var status = check.Status switch
            {
                CheckStatus.Ok => "ok     ",
                CheckStatus.Note => "note   ",
                _ => "MISSING",
            };
            var line = $"{status}  {check.Name.PadRight(width)}  {check.Detail}";
            if (check.Status != CheckStatus.Ok && check.Fix is not null)
            {
                line += $" -> {check.Fix}";
            }

            output.WriteLine(line);
        }

        var missing = checks.Count(c => c.Status == CheckStatus.Missing);
        output.WriteLine(missing == 0
            ? "Everything a full call needs is here."
            : $"{missing} missing piece{(missing == 1 ? string.Empty : "s")}: a full call is not possible yet (see the lines marked MISSING).");
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<DoctorCheck> checks)
    {
        foreach (var check in checks)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("area", check.Area);
                json.WriteString("name", check.Name);
                json.WriteString("status", check.Status.ToString().ToLowerInvariant());
                json.WriteString("detail", check.Detail);
                if (check.Fix is not null)
                {
                    json.WriteString("fix", check.Fix);
                }

                json.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }
}
