using System.Globalization;

namespace MeshConf.Cli.Join;

internal static class NodeIds
{
    /// <summary>Node ids are shown as 16 lowercase hex digits everywhere.</summary>
    public static string Format(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);
}
