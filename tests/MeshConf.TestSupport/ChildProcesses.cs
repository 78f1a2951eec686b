using System.Globalization;

namespace MeshConf.TestSupport;

/// <summary>The direct children of a process we started (Linux /proc), so a test can stop exactly those, by pid.</summary>
public static class ChildProcesses
{
    public static List<int> Of(int pid) =>
        [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
            .Select(task => Path.Combine(task, "children"))
            .Where(File.Exists)
            .SelectMany(file => File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(text => int.Parse(text, CultureInfo.InvariantCulture))];
}
