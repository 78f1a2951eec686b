using System.Buffers;
using System.Globalization;
using System.Text;
using MeshConf.Core.Security;

namespace MeshConf.Node.Security;

/// <summary>
/// Trust on first use, keyed by display name: node ids are random per run, so the stable identity users know is
/// the name. The first fingerprint seen for a name is remembered; later a different one is a
/// <see cref="PeerTrust.Mismatch"/>, as ssh's known_hosts does for host keys.
/// </summary>
/// <remarks>
/// File format (UTF-8), one peer per line, <c>#</c> starts a comment line:
/// <code>
/// &lt;name&gt; &lt;fingerprint: 64 lowercase hex&gt; &lt;first seen: yyyy-MM-dd, UTC&gt;
/// </code>
/// The name is percent-escaped (RFC 3986 §2.1 style, over its UTF-8 bytes) wherever it has '%', '#', white space
/// or control characters, so any name, spaces and unicode included, stays one field and round-trips; other
/// characters are written as they are, so the file stays readable. Malformed lines are skipped and counted. The
/// file is rewritten whole on every change (temporary file with mode 0600, then rename), so comments added by hand
/// are not kept. Thread-safe.
/// </remarks>
public sealed class KnownPeers
{
    /// <summary>The file's name inside the configuration directory.</summary>
    public const string FileName = "known_peers";

    private const string DateFormat = "yyyy-MM-dd";
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KnownPeer> _peers = new(StringComparer.Ordinal);

    private KnownPeers(string? path) => FilePath = path;

    /// <summary>Where changes are saved; null for <see cref="InMemory"/>.</summary>
    public string? FilePath { get; }

    /// <summary>Lines of the loaded file that were neither peers nor comments.</summary>
    public int SkippedLines { get; private set; }

    /// <summary>Peers remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _peers.Count;
            }
        }
    }

    /// <summary>The known-peers file of <paramref name="configDirectory"/>.</summary>
    public static string PathIn(string configDirectory) => Path.Combine(configDirectory, FileName);

    /// <summary>Reads <paramref name="path"/>; a missing file is an empty list. Changes are saved back to it.</summary>
    public static KnownPeers Load(string path)
    {
        var peers = new KnownPeers(path);
        if (!File.Exists(path))
        {
            return peers;
        }

        // Line by line over the raw bytes, so one line of invalid UTF-8 is one skipped line, not an unreadable file.
        var content = File.ReadAllBytes(path).AsSpan();
        while (!content.IsEmpty)
        {
            var end = content.IndexOf((byte)'\n');
            var raw = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            string text;
            try
            {
                text = s_strictUtf8.GetString(raw).Trim().TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                peers.SkippedLines++;
                continue;
            }

            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            if (TryParseLine(text, out var peer))
            {
                peers._peers[peer.Name] = peer;
            }
            else
            {
                peers.SkippedLines++;
            }
        }

        return peers;
    }

    /// <summary>An empty list that is never saved (tests, <c>--no-save</c> style runs).</summary>
    public static KnownPeers InMemory() => new(null);

    /// <summary>What is known about <paramref name="name"/> presenting <paramref name="fingerprint"/>.</summary>
    public PeerTrust Check(string name, Fingerprint fingerprint) => Check(name, fingerprint, out _);

    /// <summary>
    /// What is known about <paramref name="name"/> presenting <paramref name="fingerprint"/>;
    /// <paramref name="remembered"/> is the fingerprint on record (default when <see cref="PeerTrust.Unknown"/>).
    /// </summary>
    public PeerTrust Check(string name, Fingerprint fingerprint, out Fingerprint remembered)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            if (!_peers.TryGetValue(name, out var peer))
            {
                remembered = default;
                return PeerTrust.Unknown;
            }

            remembered = peer.Fingerprint;
            return peer.Fingerprint == fingerprint ? PeerTrust.Trusted : PeerTrust.Mismatch;
        }
    }

    /// <summary>The entry for <paramref name="name"/>, or null.</summary>
    public KnownPeer? Find(string name)
    {
        lock (_gate)
        {
            return _peers.GetValueOrDefault(name);
        }
    }

    /// <summary>Every entry, ordered by name.</summary>
    public IReadOnlyList<KnownPeer> Snapshot()
    {
        lock (_gate)
        {
            return [.. _peers.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Trusts <paramref name="fingerprint"/> for <paramref name="name"/> from now on, replacing any other one, and saves
    /// the file. Remembering the fingerprint already on record keeps its first-seen date.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or not valid UTF-16.</exception>
    public void Remember(string name, Fingerprint fingerprint, DateTimeOffset when)
    {
        ValidateName(name);
        lock (_gate)
        {
            if (_peers.TryGetValue(name, out var existing) && existing.Fingerprint == fingerprint)
            {
                return;
            }

            _peers[name] = new KnownPeer(name, fingerprint, DateOnly.FromDateTime(when.UtcDateTime));
            try
            {
                Save();
            }
            catch
            {
                // Memory and file stay in agreement: what could not be saved is not trusted either.
                if (existing is null)
                {
                    _peers.Remove(name);
                }
                else
                {
                    _peers[name] = existing;
                }

                throw;
            }
        }
    }

    /// <summary>Forgets <paramref name="name"/> and saves the file; false when it was not known.</summary>
    public bool Forget(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            if (!_peers.Remove(name, out var removed))
            {
                return false;
            }

            try
            {
                Save();
            }
            catch
            {
                _peers[name] = removed;
                throw;
            }

            return true;
        }
    }

    /// <summary>A name as written in the file: percent-escaped where it would break the line format.</summary>
    internal static string EscapeName(string name)
    {
        var escaped = new StringBuilder(name.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.Value is '%' or '#' or '"' || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                escaped.Append(rune.ToString());
            }
        }

        return escaped.ToString();
    }

    /// <summary>The name a file field stands for; false for a damaged escape or invalid UTF-8.</summary>
    internal static bool TryUnescapeName(ReadOnlySpan<char> field, out string name)
    {
        name = string.Empty;
        var bytes = new ArrayBufferWriter<byte>(field.Length);
        Span<char> one = stackalloc char[1];
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '%')
            {
                if (i + 2 >= field.Length
                    || !byte.TryParse(field.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
                {
                    return false;
                }

                bytes.GetSpan(1)[0] = value;
                bytes.Advance(1);
                i += 2;
                continue;
            }

            // Surrogate pairs arrive as two chars: pass them through together so they encode as one rune.
            var length = char.IsHighSurrogate(field[i]) && i + 1 < field.Length ? 2 : 1;
            try
            {
                var written = s_strictUtf8.GetBytes(field.Slice(i, length), bytes.GetSpan(8));
                bytes.Advance(written);
            }
            catch (EncoderFallbackException)
            {
                return false;
            }

            i += length - 1;
        }

        try
        {
            name = s_strictUtf8.GetString(bytes.WrittenSpan);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return name.Length > 0;
    }

    private static bool TryParseLine(string line, out KnownPeer peer)
    {
        peer = null!;
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3
            || !TryUnescapeName(fields[0], out var name)
            || fields[1].Length != Fingerprint.Size * 2
            || !Fingerprint.TryParse(fields[1], out var fingerprint)
            || !DateOnly.TryParseExact(fields[2], DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var firstSeen))
        {
            return false;
        }

        peer = new KnownPeer(name, fingerprint, firstSeen);
        return true;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            _ = s_strictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException error)
        {
            throw new ArgumentException("a peer name must be valid UTF-16 (no lone surrogates)", nameof(name), error);
        }
    }

    /// <summary>Writes every entry; called under the lock, so saves are serialised and the last one is complete.</summary>
    private void Save()
    {
        if (FilePath is null)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append("# MeshConf known peers: <name, percent-escaped> <SHA-256 fingerprint> <first seen>\n");
        foreach (var peer in _peers.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            text.Append(EscapeName(peer.Name)).Append(' ')
                .Append(peer.Fingerprint.ToString()).Append(' ')
                .Append(peer.FirstSeen.ToString(DateFormat, CultureInfo.InvariantCulture)).Append('\n');
        }

        if (Path.GetDirectoryName(Path.GetFullPath(FilePath)) is { } directory)
        {
            PrivateFile.EnsureDirectory(directory);
        }

        PrivateFile.Replace(FilePath, text.ToString());
    }
}
