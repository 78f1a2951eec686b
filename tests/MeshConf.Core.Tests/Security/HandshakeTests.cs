using System.Security.Cryptography;
using MeshConf.Core.Security;

namespace MeshConf.Core.Tests.Security;

public sealed class HandshakeTests
{
    private const string Session = "session1";

    private static HandshakeCredentials Credentials(RSA key, ulong id, string name, string? passphrase = null, string session = Session) =>
        new(session, id, name, 5000, key, passphrase);

    private static (HandshakeError Initiator, HandshakeError Responder, HandshakeKeys? I, HandshakeKeys? R) Run(
        HandshakeCredentials initiator, HandshakeCredentials responder)
    {
        using var i = new Handshake(initiator, HandshakeRole.Initiator);
        using var r = new Handshake(responder, HandshakeRole.Responder);
        Assert.Equal(HandshakeError.None, r.ReceiveHello(i.LocalHello));
        Assert.Equal(HandshakeError.None, i.ReceiveHello(r.LocalHello));
        var authI = i.CreateAuth();
        var authR = r.CreateAuth();
        var errorR = r.ReceiveAuth(authI, out var keysR);
        var errorI = i.ReceiveAuth(authR, out var keysI);
        return (errorI, errorR, keysI, keysR);
    }

    [Fact]
    public void Given_two_honest_nodes_When_they_handshake_Then_each_direction_has_one_shared_secret()
    {
        var (errorI, errorR, keysI, keysR) = Run(Credentials(TestIdentities.Alice, 1, "alice"), Credentials(TestIdentities.Bob, 2, "bob"));

        Assert.Equal(HandshakeError.None, errorI);
        Assert.Equal(HandshakeError.None, errorR);
        Assert.Equal(keysI!.SendSecret, keysR!.ReceiveSecret);
        Assert.Equal(keysR.SendSecret, keysI.ReceiveSecret);
        Assert.NotEqual(keysI.SendSecret, keysI.ReceiveSecret);
        Assert.Equal(0, keysI.SendDirection);
        Assert.Equal(1, keysR.SendDirection);
    }

    [Fact]
    public void Given_the_same_two_identities_When_they_handshake_twice_Then_the_keys_are_fresh()
    {
        var first = Run(Credentials(TestIdentities.Alice, 1, "alice"), Credentials(TestIdentities.Bob, 2, "bob"));
        var second = Run(Credentials(TestIdentities.Alice, 1, "alice"), Credentials(TestIdentities.Bob, 2, "bob"));

        Assert.NotEqual(first.I!.SendSecret, second.I!.SendSecret);
        Assert.NotEqual(first.R!.SendSecret, second.R!.SendSecret);
    }

    [Fact]
    public void Given_the_same_passphrase_When_they_handshake_Then_it_succeeds_with_keys_unlike_without_one()
    {
        var (errorI, errorR, keysI, keysR) = Run(
            Credentials(TestIdentities.Alice, 1, "alice", "correct horse"),
            Credentials(TestIdentities.Bob, 2, "bob", "correct horse"));

        Assert.Equal(HandshakeError.None, errorI);
        Assert.Equal(HandshakeError.None, errorR);
        Assert.Equal(keysI!.SendSecret, keysR!.ReceiveSecret);
    }

    [Theory]
    [InlineData("correct horse", "battery staple")]
    [InlineData("correct horse", null)]
    [InlineData(null, "battery staple")]
    public void Given_different_passphrases_When_they_handshake_Then_both_sides_see_a_wrong_passphrase(string? a, string? b)
    {
        var (errorI, errorR, keysI, keysR) = Run(Credentials(TestIdentities.Alice, 1, "alice", a), Credentials(TestIdentities.Bob, 2, "bob", b));

        Assert.Equal(HandshakeError.WrongPassphrase, errorI);
        Assert.Equal(HandshakeError.WrongPassphrase, errorR);
        Assert.Null(keysI);
        Assert.Null(keysR);
    }

    [Fact]
    public void Given_the_passphrase_key_When_derived_Then_it_depends_on_the_passphrase_and_the_session()
    {
        var key = HandshakeCredentials.DerivePassphraseKey("pw", "s1");
        Assert.Equal(32, key.Length);
        Assert.NotEqual(key, HandshakeCredentials.DerivePassphraseKey("pw", "s2"));
        Assert.NotEqual(key, HandshakeCredentials.DerivePassphraseKey("pw2", "s1"));
        Assert.Equal(new byte[32], HandshakeCredentials.DerivePassphraseKey(null, "s1"));
    }

    [Fact]
    public void Given_a_recorded_handshake_When_replayed_against_a_fresh_responder_Then_the_signature_fails()
    {
        var alice = Credentials(TestIdentities.Alice, 1, "alice");
        var bob = Credentials(TestIdentities.Bob, 2, "bob");
        byte[] recordedHello, recordedAuth;
        using (var i = new Handshake(alice, HandshakeRole.Initiator))
        using (var r = new Handshake(bob, HandshakeRole.Responder))
        {
            recordedHello = i.LocalHello;
            Assert.Equal(HandshakeError.None, r.ReceiveHello(recordedHello));
            Assert.Equal(HandshakeError.None, i.ReceiveHello(r.LocalHello));
            recordedAuth = i.CreateAuth();
            r.CreateAuth();
            Assert.Equal(HandshakeError.None, r.ReceiveAuth(recordedAuth, out _));
        }

        using var fresh = new Handshake(bob, HandshakeRole.Responder);
        Assert.Equal(HandshakeError.None, fresh.ReceiveHello(recordedHello));
        fresh.CreateAuth();

        Assert.Equal(HandshakeError.BadSignature, fresh.ReceiveAuth(recordedAuth, out var keys));
        Assert.Null(keys);
    }

    [Fact]
    public void Given_an_attacker_who_swaps_the_ephemeral_key_in_a_hello_When_the_auths_arrive_Then_both_signatures_fail()
    {
        var alice = Credentials(TestIdentities.Alice, 1, "alice");
        var bob = Credentials(TestIdentities.Bob, 2, "bob");
        using var i = new Handshake(alice, HandshakeRole.Initiator);
        using var r = new Handshake(bob, HandshakeRole.Responder);
        using var mallory = new Handshake(Credentials(TestIdentities.Mallory, 1, "alice"), HandshakeRole.Initiator);
        var forged = HelloMessage.TryDecode(i.LocalHello)! with { EphemeralKey = HelloMessage.TryDecode(mallory.LocalHello)!.EphemeralKey };

        Assert.Equal(HandshakeError.None, r.ReceiveHello(forged.Encode()));
        Assert.Equal(HandshakeError.None, i.ReceiveHello(r.LocalHello));
        var authI = i.CreateAuth();
        var authR = r.CreateAuth();

        Assert.Equal(HandshakeError.BadSignature, r.ReceiveAuth(authI, out _));
        Assert.Equal(HandshakeError.BadSignature, i.ReceiveAuth(authR, out _));
    }

    [Fact]
    public void Given_an_impostor_presenting_alices_identity_When_it_signs_with_its_own_key_Then_the_signature_fails()
    {
        var bob = Credentials(TestIdentities.Bob, 2, "bob");
        using var impostor = new Handshake(Credentials(TestIdentities.Mallory, 1, "alice"), HandshakeRole.Initiator);
        using var r = new Handshake(bob, HandshakeRole.Responder);
        using var alice = new Handshake(Credentials(TestIdentities.Alice, 1, "alice"), HandshakeRole.Initiator);
        var claimed = HelloMessage.TryDecode(impostor.LocalHello)! with { IdentityKey = TestIdentities.Alice.ExportSubjectPublicKeyInfo() };
        Assert.Equal(HandshakeError.None, r.ReceiveHello(claimed.Encode()));
        Assert.Equal(HandshakeError.None, impostor.ReceiveHello(r.LocalHello));
        r.CreateAuth();

        Assert.Equal(HandshakeError.BadSignature, r.ReceiveAuth(impostor.CreateAuth(), out _));
    }

    [Fact]
    public void Given_a_tampered_auth_When_received_Then_it_is_refused()
    {
        var alice = Credentials(TestIdentities.Alice, 1, "alice");
        var bob = Credentials(TestIdentities.Bob, 2, "bob");
        for (var position = 1; position < 40; position += 3)
        {
            using var i = new Handshake(alice, HandshakeRole.Initiator);
            using var r = new Handshake(bob, HandshakeRole.Responder);
            r.ReceiveHello(i.LocalHello);
            i.ReceiveHello(r.LocalHello);
            var auth = i.CreateAuth();
            r.CreateAuth();
            auth[position] ^= 0x40;

            Assert.NotEqual(HandshakeError.None, r.ReceiveAuth(auth, out var keys));
            Assert.Null(keys);
        }
    }

    [Fact]
    public void Given_messages_out_of_order_When_received_Then_they_are_refused_without_throwing()
    {
        var alice = Credentials(TestIdentities.Alice, 1, "alice");
        using var i = new Handshake(alice, HandshakeRole.Initiator);
        using var r = new Handshake(Credentials(TestIdentities.Bob, 2, "bob"), HandshakeRole.Responder);

        Assert.Equal(HandshakeError.OutOfOrder, r.ReceiveAuth([2, 0, 0], out _));
        Assert.Equal(HandshakeError.None, r.ReceiveHello(i.LocalHello));
        Assert.Equal(HandshakeError.OutOfOrder, r.ReceiveHello(i.LocalHello));
        Assert.Equal(HandshakeError.OutOfOrder, r.ReceiveAuth([2, 0, 0], out _));
    }

    [Fact]
    public void Given_every_truncation_of_a_hello_When_received_Then_each_is_malformed()
    {
        using var i = new Handshake(Credentials(TestIdentities.Alice, 1, "alice"), HandshakeRole.Initiator);
        var hello = i.LocalHello;
        for (var length = 0; length < hello.Length; length++)
        {
            using var r = new Handshake(Credentials(TestIdentities.Bob, 2, "bob"), HandshakeRole.Responder);
            Assert.Equal(HandshakeError.Malformed, r.ReceiveHello(hello.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Given_random_garbage_When_received_as_hello_or_auth_Then_nothing_throws()
    {
        var random = new Random(1234);
        var alice = Credentials(TestIdentities.Alice, 1, "alice");
        var bob = Credentials(TestIdentities.Bob, 2, "bob");
        using var i = new Handshake(alice, HandshakeRole.Initiator);
        var template = i.LocalHello;
        for (var n = 0; n < 300; n++)
        {
            using var r = new Handshake(bob, HandshakeRole.Responder);
            var garbage = (byte[])template.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                garbage[random.Next(garbage.Length)] = (byte)random.Next(256);
            }

            var error = r.ReceiveHello(garbage);
            if (error == HandshakeError.None)
            {
                r.CreateAuth();
                var auth = new byte[random.Next(0, 700)];
                random.NextBytes(auth);
                auth[0] = 2;
                Assert.NotEqual(HandshakeError.None, r.ReceiveAuth(auth, out _));
            }
        }
    }

    [Fact]
    public void Given_a_newer_protocol_version_When_its_hello_arrives_Then_the_version_is_reported()
    {
        using var r = new Handshake(Credentials(TestIdentities.Bob, 2, "bob"), HandshakeRole.Responder);

        Assert.Equal(HandshakeError.ProtocolVersion, r.ReceiveHello([1, 9, 0xFF, 0xFF]));
        Assert.Equal(9, r.PeerHello!.Version);
    }

    [Fact]
    public void Given_a_weak_identity_key_When_its_hello_arrives_Then_it_is_malformed()
    {
        using var weak = RSA.Create(1024);
        using var i = new Handshake(Credentials(TestIdentities.Alice, 1, "alice"), HandshakeRole.Initiator);
        var hello = HelloMessage.TryDecode(i.LocalHello)! with { IdentityKey = weak.ExportSubjectPublicKeyInfo() };
        using var r = new Handshake(Credentials(TestIdentities.Bob, 2, "bob"), HandshakeRole.Responder);

        Assert.Equal(HandshakeError.Malformed, r.ReceiveHello(hello.Encode()));
    }

    [Fact]
    public void Given_a_hello_When_encoded_and_decoded_Then_every_field_survives()
    {
        using var i = new Handshake(Credentials(TestIdentities.Alice, 0xDEADBEEF_01020304, "Zoë ☕", "pw", "team sync"), HandshakeRole.Initiator);
        var hello = HelloMessage.TryDecode(i.LocalHello)!;

        Assert.Equal("team sync", hello.Session);
        Assert.Equal("Zoë ☕", hello.Name);
        Assert.Equal(0xDEADBEEF_01020304ul, hello.NodeId);
        Assert.Equal(5000, hello.ListenPort);
        Assert.True(hello.HasPassphrase);
        Assert.Equal(32, hello.Nonce.Length);
        Assert.Equal(i.LocalHello, hello.Encode());
        Assert.Equal(Fingerprint.Of(TestIdentities.Alice.ExportSubjectPublicKeyInfo()), Fingerprint.Of(hello.IdentityKey));
    }
}
