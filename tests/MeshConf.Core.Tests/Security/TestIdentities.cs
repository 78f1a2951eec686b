using System.Security.Cryptography;

namespace MeshConf.Core.Tests.Security;

/// <summary>RSA keys are slow to make: the tests share a few, made once.</summary>
internal static class TestIdentities
{
    private static readonly Lazy<RSA[]> Keys = new(() => [RSA.Create(2048), RSA.Create(2048), RSA.Create(2048)]);

    public static RSA Alice => Keys.Value[0];

    public static RSA Bob => Keys.Value[1];

    public static RSA Mallory => Keys.Value[2];
}
