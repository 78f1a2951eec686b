using MeshConf.Node.Security;

namespace MeshConf.Node.Tests.Mesh;

/// <summary>RSA-3072 keys take a while to make: tests share two, made once per test run.</summary>
internal static class TestIdentity
{
    private static readonly Lazy<IdentityKey> SharedKey = new(IdentityKey.Generate);
    private static readonly Lazy<IdentityKey> OtherKey = new(IdentityKey.Generate);

    public static IdentityKey Shared => SharedKey.Value;

    public static IdentityKey Other => OtherKey.Value;
}
