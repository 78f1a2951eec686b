using System.Runtime.Versioning;
using System.Text;
using MeshConf.Core.Security;
using MeshConf.Node.Security;

namespace MeshConf.Node.Tests.Security;

public sealed class KnownPeersTests
{
    private static readonly DateTimeOffset s_when = new(2025, 3, 14, 23, 30, 0, TimeSpan.FromHours(-5));

    private static readonly string[] s_oddNames =
    [
        "alice",
        "Bob Smith",
        "  leading and trailing  ",
        "tab\there",
        "new\nline",
        "carriage\rreturn",
        "#not a comment",
        "100% sure",
        "%41 is not A",
        "\"quoted\"",
        "Zoë Ødegård",
        "李小龍",
        "مرحبا",
        "emoji 🎧📹",
        "nbsp\u00a0and\u2003em space",
        "zero\u200bwidth",
        "line\u2028separator",
        "back\\slash",
        "x",
    ];

    public static TheoryData<string> OddNames => [.. s_oddNames];

    [Theory]
    [MemberData(nameof(OddNames))]
    public void Given_an_odd_name_When_remembered_and_reloaded_Then_it_round_trips(string name)
    {
        using var temp = new TempDirectory();
        var path = KnownPeers.PathIn(temp.Path);
        var fingerprint = Fingerprint.Of(Encoding.UTF8.GetBytes(name));

        KnownPeers.Load(path).Remember(name, fingerprint, s_when);
        var reloaded = KnownPeers.Load(path);

        Assert.Equal(PeerTrust.Trusted, reloaded.Check(name, fingerprint));
        var peer = Assert.Single(reloaded.Snapshot());
        Assert.Equal(name, peer.Name);
        Assert.Equal(new DateOnly(2025, 3, 15), peer.FirstSeen);
        Assert.Equal(0, reloaded.SkippedLines);
        var line = Assert.Single(File.ReadAllLines(path), l => !l.StartsWith('#'));
        Assert.Equal(3, line.Split(' ').Length);
        Assert.EndsWith($" {fingerprint} 2025-03-15", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_all_odd_names_in_one_file_When_reloaded_Then_every_one_is_there()
    {
        using var temp = new TempDirectory();
        var path = KnownPeers.PathIn(temp.Path);
        var peers = KnownPeers.Load(path);
        var names = s_oddNames;
        foreach (var name in names)
        {
            peers.Remember(name, Fingerprint.Of(Encoding.UTF8.GetBytes(name)), s_when);
        }

        var reloaded = KnownPeers.Load(path);

        Assert.Equal(names.Length, reloaded.Count);
        Assert.All(names, name => Assert.Equal(PeerTrust.Trusted, reloaded.Check(name, Fingerprint.Of(Encoding.UTF8.GetBytes(name)))));
    }

    [Fact]
    public void Given_a_name_with_spaces_and_percent_When_escaped_Then_the_field_is_one_readable_token()
    {
        Assert.Equal("Bob%20Smith%20100%25%20%23", KnownPeers.EscapeName("Bob Smith 100% #"));
        Assert.Equal("Zoë", KnownPeers.EscapeName("Zoë"));
        Assert.Equal("a%E2%80%8Bb", KnownPeers.EscapeName("a\u200bb"));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%4")]
    [InlineData("%GG")]
    [InlineData("%C3")]
    [InlineData("%FF%FE")]
    public void Given_a_damaged_escape_When_unescaped_Then_it_is_refused(string field)
    {
        Assert.False(KnownPeers.TryUnescapeName(field, out _));
    }

    [Fact]
    public void Given_a_remembered_peer_When_another_key_shows_up_under_its_name_Then_it_is_a_mismatch_naming_the_old_key()
    {
        var peers = KnownPeers.InMemory();
        var original = Fingerprint.Of([1]);
        var impostor = Fingerprint.Of([2]);

        Assert.Equal(PeerTrust.Unknown, peers.Check("carol", original, out var none));
        Assert.Equal(default, none);
        peers.Remember("carol", original, s_when);

        Assert.Equal(PeerTrust.Trusted, peers.Check("carol", original, out var trusted));
        Assert.Equal(original, trusted);
        Assert.Equal(PeerTrust.Mismatch, peers.Check("carol", impostor, out var remembered));
        Assert.Equal(original, remembered);
        Assert.Equal(PeerTrust.Unknown, peers.Check("Carol", original));
        Assert.Null(peers.FilePath);
    }

    [Fact]
    public void Given_a_known_peer_When_remembered_again_Then_the_first_seen_date_stays_unless_the_key_changed()
    {
        var peers = KnownPeers.InMemory();
        var first = Fingerprint.Of([1]);
        peers.Remember("dave", first, s_when);

        peers.Remember("dave", first, s_when.AddDays(30));
        Assert.Equal(new DateOnly(2025, 3, 15), peers.Find("dave")!.FirstSeen);

        peers.Remember("dave", Fingerprint.Of([2]), s_when.AddDays(30));
        Assert.Equal(new DateOnly(2025, 4, 14), peers.Find("dave")!.FirstSeen);
        Assert.Equal(PeerTrust.Trusted, peers.Check("dave", Fingerprint.Of([2])));
    }

    [Fact]
    public void Given_a_known_peer_When_forgotten_Then_it_is_unknown_after_a_reload()
    {
        using var temp = new TempDirectory();
        var path = KnownPeers.PathIn(temp.Path);
        var peers = KnownPeers.Load(path);
        peers.Remember("erin", Fingerprint.Of([1]), s_when);
        peers.Remember("frank", Fingerprint.Of([2]), s_when);

        Assert.True(peers.Forget("erin"));
        Assert.False(peers.Forget("erin"));

        var reloaded = KnownPeers.Load(path);
        Assert.Equal(PeerTrust.Unknown, reloaded.Check("erin", Fingerprint.Of([1])));
        Assert.Equal(PeerTrust.Trusted, reloaded.Check("frank", Fingerprint.Of([2])));
    }

    [Fact]
    public void Given_a_missing_file_When_loaded_Then_the_list_is_empty_and_nothing_is_written()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("not-yet", KnownPeers.FileName);

        var peers = KnownPeers.Load(path);

        Assert.Equal(0, peers.Count);
        Assert.Equal(0, peers.SkippedLines);
        Assert.False(File.Exists(path));
        peers.Remember("gina", Fingerprint.Of([3]), s_when);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Given_a_file_with_comments_blank_and_malformed_lines_When_loaded_Then_good_lines_load_and_bad_ones_are_counted()
    {
        using var temp = new TempDirectory();
        var path = KnownPeers.PathIn(temp.Path);
        var good = Fingerprint.Of([9]);
        var lines = new List<byte[]>
        {
            "\uFEFF# a comment\n"u8.ToArray(),
            "\n"u8.ToArray(),
            "   \n"u8.ToArray(),
            Encoding.UTF8.GetBytes($"hank {good} 2024-01-02\r\n"),
            Encoding.UTF8.GetBytes($"  ivy\t{good}   2024-01-03  \n"),
            Encoding.UTF8.GetBytes($"toofew {good}\n"),
            Encoding.UTF8.GetBytes($"too many {good} 2024-01-02\n"),
            Encoding.UTF8.GetBytes($"badhex {good.ToString()[..63]}x 2024-01-02\n"),
            Encoding.UTF8.GetBytes($"shorthex {good.ToString()[..62]} 2024-01-02\n"),
            Encoding.UTF8.GetBytes($"baddate {good} 2024-13-02\n"),
            Encoding.UTF8.GetBytes($"bad%escape {good} 2024-01-02\n"),
            "invalid-utf8-"u8.ToArray().Append((byte)0xFF).Concat(Encoding.UTF8.GetBytes($" {good} 2024-01-02\n")).ToArray(),
            Encoding.UTF8.GetBytes($"last-without-newline {good} 2024-01-04"),
        };
        File.WriteAllBytes(path, [.. lines.SelectMany(l => l)]);

        var peers = KnownPeers.Load(path);

        Assert.Equal(7, peers.SkippedLines);
        Assert.Equal(["hank", "ivy", "last-without-newline"], peers.Snapshot().Select(p => p.Name));
        Assert.Equal(new DateOnly(2024, 1, 3), peers.Find("ivy")!.FirstSeen);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Given_a_remembered_peer_When_saved_Then_the_file_is_0600_and_no_temporary_file_is_left()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes");
        using var temp = new TempDirectory();
        var path = KnownPeers.PathIn(temp.Path);

        KnownPeers.Load(path).Remember("jo", Fingerprint.Of([4]), s_when);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([KnownPeers.FileName], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Given_many_threads_remembering_at_once_When_reloaded_Then_every_peer_was_saved()
    {
        using var temp = new TempDirectory();
        var path = KnownPeers.PathIn(temp.Path);
        var peers = KnownPeers.Load(path);
        const int Threads = 8;
        const int PerThread = 25;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var name = $"peer {t}-{i}";
                peers.Remember(name, Fingerprint.Of(Encoding.UTF8.GetBytes(name)), s_when);
            }
        });

        var reloaded = KnownPeers.Load(path);
        Assert.Equal(Threads * PerThread, reloaded.Count);
        Assert.Equal(0, reloaded.SkippedLines);
        for (var t = 0; t < Threads; t++)
        {
            for (var i = 0; i < PerThread; i++)
            {
                var name = $"peer {t}-{i}";
                Assert.Equal(PeerTrust.Trusted, reloaded.Check(name, Fingerprint.Of(Encoding.UTF8.GetBytes(name))));
            }
        }

        Assert.Equal([KnownPeers.FileName], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Given_an_empty_or_invalid_name_When_remembered_Then_it_is_refused()
    {
        var peers = KnownPeers.InMemory();

        Assert.Throws<ArgumentException>(() => peers.Remember(string.Empty, Fingerprint.Of([1]), s_when));
        Assert.Throws<ArgumentException>(() => peers.Remember("lone \ud800 surrogate", Fingerprint.Of([1]), s_when));
        Assert.Equal(0, peers.Count);
    }
}
