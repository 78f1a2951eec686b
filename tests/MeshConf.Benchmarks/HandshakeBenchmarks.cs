using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MeshConf.Core.Security;

namespace MeshConf.Benchmarks;

/// <summary>
/// A complete handshake, both sides in one thread: two Hellos (fresh P-256 keys), two Auths (RSA-OAEP
/// encryption, RSA-PSS signature), both verified and the traffic secrets derived, with RSA-3072 identities as
/// `meshconf` makes them. This is the CPU a node spends per link; a full mesh of n nodes costs n-1 each.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private RSA _alice = null!;
    private RSA _bob = null!;
    private HandshakeCredentials _initiator = null!;
    private HandshakeCredentials _responder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = RSA.Create(3072);
        _bob = RSA.Create(3072);
        _initiator = new HandshakeCredentials("bench", 1, "alice", 5000, _alice, null);
        _responder = new HandshakeCredentials("bench", 2, "bob", 5001, _bob, null);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Benchmark]
    public byte FullHandshake()
    {
        using var initiator = new Handshake(_initiator, HandshakeRole.Initiator);
        using var responder = new Handshake(_responder, HandshakeRole.Responder);
        responder.ReceiveHello(initiator.LocalHello);
        initiator.ReceiveHello(responder.LocalHello);
        var authI = initiator.CreateAuth();
        var authR = responder.CreateAuth();
        if (responder.ReceiveAuth(authI, out var keysR) != HandshakeError.None || initiator.ReceiveAuth(authR, out var keysI) != HandshakeError.None)
        {
            throw new InvalidOperationException("handshake failed");
        }

        var check = (byte)(keysI!.SendSecret[0] ^ keysR!.ReceiveSecret[0]);
        keysI.Dispose();
        keysR.Dispose();
        return check;
    }
}
