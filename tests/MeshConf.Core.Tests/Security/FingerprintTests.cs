using System.Security.Cryptography;
using MeshConf.Core.Security;

namespace MeshConf.Core.Tests.Security;

public sealed class FingerprintTests
{
    [Fact]
    public void Given_public_key_bytes_When_fingerprinted_Then_it_is_their_SHA256_in_lowercase_hex()
    {
        var spki = "not really DER, but any bytes hash"u8.ToArray();

        var fingerprint = Fingerprint.Of(spki);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(spki)), fingerprint.ToString());
        Assert.Matches("^[0-9a-f]{64}$", fingerprint.ToString());
        Assert.Equal(SHA256.HashData(spki), fingerprint.ToArray());
    }

    [Fact]
    public void Given_a_known_hash_When_shortened_Then_it_is_the_first_8_bytes_in_4_groups()
    {
        var fingerprint = Fingerprint.FromBytes(Convert.FromHexString("a1b2c3d4e5f60718" + new string('0', 48)));

        Assert.Equal("a1b2-c3d4-e5f6-0718", fingerprint.Short);
    }

    [Fact]
    public void Given_the_empty_input_When_fingerprinted_Then_it_matches_the_published_SHA256_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Fingerprint.Of([]).ToString());
        Assert.Equal("e3b0-c442-98fc-1c14", Fingerprint.Of([]).Short);
    }

    [Fact]
    public void Given_a_fingerprint_When_printed_and_parsed_Then_it_is_equal()
    {
        var fingerprint = Fingerprint.Of([1, 2, 3]);

        Assert.True(Fingerprint.TryParse(fingerprint.ToString(), out var parsed));
        Assert.True(Fingerprint.TryParse(" " + fingerprint.ToString().ToUpperInvariant() + "\n", out var upper));
        Assert.Equal(fingerprint, parsed);
        Assert.True(fingerprint == upper);
        Assert.Equal(fingerprint.GetHashCode(), parsed.GetHashCode());
        Assert.NotEqual(fingerprint, Fingerprint.Of([1, 2, 4]));
        Assert.True(fingerprint != Fingerprint.Of([1, 2, 4]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a1b2-c3d4-e5f6-0718")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Given_text_that_is_not_a_full_fingerprint_When_parsed_Then_it_is_refused(string? text)
    {
        Assert.False(Fingerprint.TryParse(text, out var fingerprint));
        Assert.Equal(default, fingerprint);
    }

    [Fact]
    public void Given_a_hash_of_the_wrong_size_When_wrapped_Then_it_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Fingerprint.FromBytes(new byte[31]));
    }
}
