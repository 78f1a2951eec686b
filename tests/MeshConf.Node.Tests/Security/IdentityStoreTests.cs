using System.Runtime.Versioning;
using System.Security.Cryptography;
using MeshConf.Core.Security;
using MeshConf.Node.Security;

namespace MeshConf.Node.Tests.Security;

public sealed class IdentityStoreTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    [Fact]
    public void Given_no_identity_When_loaded_twice_Then_the_first_run_creates_it_and_the_second_loads_the_same_key()
    {
        using var temp = new TempDirectory();
        var configDir = temp.Combine("nested", "meshconf");

        using var first = IdentityStore.LoadOrCreate(configDir, out var createdFirst);
        using var second = IdentityStore.LoadOrCreate(configDir, out var createdSecond);

        Assert.True(createdFirst);
        Assert.False(createdSecond);
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(first.PublicKey.ToArray(), second.PublicKey.ToArray());
        Assert.Equal(Fingerprint.Of(first.PublicKey.Span), first.Fingerprint);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(IdentityStore.PathIn(configDir)), StringComparison.Ordinal);
        Assert.Equal([IdentityStore.FileName], Directory.GetFiles(configDir).Select(Path.GetFileName));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Given_a_new_identity_When_created_Then_the_file_is_0600_and_the_directory_0700()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes");
        using var temp = new TempDirectory();
        var configDir = temp.Combine("meshconf");

        using var key = IdentityStore.LoadOrCreate(configDir, out _);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(IdentityStore.PathIn(configDir)));
        Assert.Equal(OwnerAll, File.GetUnixFileMode(configDir));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.OtherWrite)]
    [UnsupportedOSPlatform("windows")]
    public void Given_an_identity_others_can_access_When_loaded_Then_it_is_refused_with_the_chmod_fix(UnixFileMode extra)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes");
        using var temp = new TempDirectory();
        using (IdentityStore.LoadOrCreate(temp.Path, out _))
        {
        }

        var path = IdentityStore.PathIn(temp.Path);
        File.SetUnixFileMode(path, OwnerReadWrite | extra);

        var error = Assert.Throws<IdentityException>(() => IdentityStore.LoadOrCreate(temp.Path, out _));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"chmod 600 {path}", error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToString((int)(OwnerReadWrite | extra), 8), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n%%%%\n-----END PRIVATE KEY-----\n")]
    public void Given_a_corrupt_identity_When_loaded_Then_it_is_refused_with_one_clear_line(string content)
    {
        using var temp = new TempDirectory();
        WritePrivate(IdentityStore.PathIn(temp.Path), content);

        var error = Assert.Throws<IdentityException>(() => IdentityStore.LoadOrCreate(temp.Path, out _));

        Assert.StartsWith($"identity key {IdentityStore.PathIn(temp.Path)} is not usable: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(content, File.ReadAllText(IdentityStore.PathIn(temp.Path)));
    }

    [Fact]
    public void Given_a_public_key_or_a_PKCS1_key_or_a_small_key_When_loaded_Then_each_is_refused_with_its_reason()
    {
        using var temp = new TempDirectory();
        using var rsa = RSA.Create(2048);
        var path = IdentityStore.PathIn(temp.Path);

        WritePrivate(path, rsa.ExportSubjectPublicKeyInfoPem());
        Assert.Contains("\"PUBLIC KEY\"", Assert.Throws<IdentityException>(() => IdentityStore.Load(path)).Message, StringComparison.Ordinal);

        WritePrivate(path, rsa.ExportRSAPrivateKeyPem());
        Assert.Contains("\"RSA PRIVATE KEY\"", Assert.Throws<IdentityException>(() => IdentityStore.Load(path)).Message, StringComparison.Ordinal);

        WritePrivate(path, rsa.ExportPkcs8PrivateKeyPem());
        Assert.Contains("2048-bit", Assert.Throws<IdentityException>(() => IdentityStore.Load(path)).Message, StringComparison.Ordinal);

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WritePrivate(path, ec.ExportPkcs8PrivateKeyPem());
        Assert.Contains("not an RSA private key", Assert.Throws<IdentityException>(() => IdentityStore.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_several_first_runs_at_once_When_they_race_Then_exactly_one_creates_and_all_share_its_key()
    {
        using var temp = new TempDirectory();
        var configDir = temp.Combine("meshconf");
        var results = new (Fingerprint Fingerprint, bool Created)[4];

        Parallel.For(0, results.Length, i =>
        {
            using var key = IdentityStore.LoadOrCreate(configDir, out var created);
            results[i] = (key.Fingerprint, created);
        });

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Fingerprint).Distinct());
        using var reloaded = IdentityStore.Load(IdentityStore.PathIn(configDir));
        Assert.Equal(results[0].Fingerprint, reloaded.Fingerprint);
        Assert.Equal([IdentityStore.FileName], Directory.GetFiles(configDir).Select(Path.GetFileName));
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerReadWrite);
        }
    }
}
