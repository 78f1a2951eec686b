namespace MeshConf.Node.Security;

/// <summary>
/// Keeps this node's <see cref="IdentityKey"/> in <c>identity.pem</c> (PKCS#8 PEM) in the configuration directory,
/// private to its owner the way ssh keeps <c>~/.ssh/id_*</c>: directory 0700, file 0600, and a file others can
/// read is refused rather than used.
/// </summary>
public static class IdentityStore
{
    /// <summary>The identity file's name inside the configuration directory.</summary>
    public const string FileName = "identity.pem";

    /// <summary>The identity file of <paramref name="configDirectory"/>.</summary>
    public static string PathIn(string configDirectory) => Path.Combine(configDirectory, FileName);

    /// <summary>
    /// Loads the identity key of <paramref name="configDirectory"/>, creating it (and the directory) on first run.
    /// Two processes starting at once end with the same key: the file is created atomically, and the loser loads the
    /// winner's.
    /// </summary>
    /// <exception cref="IdentityException">The file is accessible by others, corrupt or unreadable.</exception>
    public static IdentityKey LoadOrCreate(string configDirectory, out bool created)
    {
        var path = PathIn(configDirectory);
        created = false;
        if (File.Exists(path))
        {
            return Load(path);
        }

        var key = IdentityKey.Generate();
        try
        {
            PrivateFile.EnsureDirectory(configDirectory);
            if (PrivateFile.TryCreate(path, key.ExportPkcs8Pem()))
            {
                created = true;
                return key;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            key.Dispose();
            throw new IdentityException($"cannot create identity key {path}: {error.Message}", error);
        }
        catch
        {
            key.Dispose();
            throw;
        }

        key.Dispose();
        return Load(path);
    }

    /// <summary>Loads an existing identity file, refusing it when others can access it.</summary>
    /// <exception cref="IdentityException">The file is accessible by others, corrupt or unreadable.</exception>
    public static IdentityKey Load(string path)
    {
        string pem;
        try
        {
            if (PrivateFile.LooseMode(path) is { } loose)
            {
                var mode = PrivateFile.Octal(loose);
                throw new IdentityException(
                    $"identity key {path} is accessible by others (mode {mode}); fix it with: chmod 600 {path}");
            }

            pem = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"cannot read identity key {path}: {error.Message}", error);
        }

        return IdentityKey.TryImportPkcs8Pem(pem, out var problem)
            ?? throw new IdentityException(
                $"identity key {path} is not usable: {problem}; move it away to create a new identity (peers will see a new fingerprint)");
    }
}
