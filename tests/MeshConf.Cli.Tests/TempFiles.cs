namespace MeshConf.Cli.Tests;

/// <summary>A temporary directory for a test's files, deleted with everything in it.</summary>
internal sealed class TempFiles(string prefix) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory(prefix);

    public string Path(string name) => System.IO.Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);
}
