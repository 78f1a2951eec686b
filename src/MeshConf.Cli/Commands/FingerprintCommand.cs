using System.CommandLine;
using System.Text;
using System.Text.Json;
using MeshConf.Node.Security;

namespace MeshConf.Cli.Commands;

/// <summary>
/// `meshconf fingerprint`: this node's identity fingerprint, to read out to peers so they can check what their
/// screen shows. Creates the identity key on first run.
/// </summary>
internal static class FingerprintCommand
{
    public static Command Create()
    {
        var configDir = new Option<string?>("--config-dir")
        {
            Description = "Configuration directory (default: $MESHCONF_CONFIG_DIR, else $XDG_CONFIG_HOME/meshconf, else ~/.config/meshconf)",
            HelpName = "DIR",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var command = new Command("fingerprint", "Show this node's identity fingerprint, creating the identity key on first run")
        {
            configDir,
            json,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(configDir) is { Length: > 0 } given ? given : ConfigDirectory.ResolveCurrent();
            var path = Path.GetFullPath(IdentityStore.PathIn(directory));
            IdentityKey key;
            bool created;
            try
            {
                key = IdentityStore.LoadOrCreate(directory, out created);
            }
            catch (IdentityException error)
            {
                Console.Error.WriteLine($"meshconf: {error.Message}");
                return 1;
            }

            using (key)
            {
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(ToJson(key, path, created));
                }
                else
                {
                    Console.Out.WriteLine($"{key.Fingerprint.Short}  SHA-256 {key.Fingerprint}");
                }

                if (created)
                {
                    Console.Error.WriteLine($"created identity key {path}");
                }
            }

            return 0;
        });
        Configuration.CommandExamples.Add(command, "meshconf fingerprint", "meshconf fingerprint --json", "meshconf fingerprint --config-dir ~/.config/meshconf-work");
        return command;
    }

    private static string ToJson(IdentityKey key, string path, bool created)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", key.Fingerprint.ToString());
            writer.WriteString("short", key.Fingerprint.Short);
            writer.WriteString("path", path);
            writer.WriteBoolean("created", created);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
