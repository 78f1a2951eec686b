using MeshConf.Core.Text;

namespace MeshConf.Core.Chat;

/// <summary>
/// The last lines of the chat, oldest first, for the call screen's chat strip. Bounded (the oldest line goes when
/// a new one comes to a full log) and thread-safe: the mesh's receive side adds, the render loop reads.
/// Names and lines are sanitised on the way in (<see cref="SafeText"/>), so whatever a peer sent, nothing in the
/// log can act on a terminal.
/// </summary>
internal sealed class ChatLog
{
    /// <summary>The lines kept unless told otherwise.</summary>
    public const int DefaultCapacity = 200;

    /// <summary>The longest name kept, in chars (a display name is at most 64 UTF-8 bytes on the wire).</summary>
    public const int MaxNameChars = 64;

    /// <summary>The longest line kept, in chars.</summary>
    public const int MaxTextChars = ChatLine.MaxTextBytes;

    private readonly Lock _gate = new();
    private readonly ChatEntry[] _entries;
    private int _first;
    private int _count;
    private long _version;

    public ChatLog(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _entries = new ChatEntry[capacity];
    }

    public int Capacity => _entries.Length;

    /// <summary>The lines held, at most <see cref="Capacity"/>.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Goes up by one with every line added, so a renderer redraws the strip only when it moved.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="entry"/> with its name and text sanitised (a blank name shows as "?"). Returns the
    /// entry as stored, or null when the text is blank once sanitised: there is nothing to show, so nothing is
    /// added and <see cref="Version"/> stays.
    /// </summary>
    public ChatEntry? Add(ChatEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = SafeText.Sanitize(entry.Text, MaxTextChars);
        if (text.Length == 0)
        {
            return null;
        }

        var from = SafeText.Sanitize(entry.From, MaxNameChars);
        var stored = entry with { From = from.Length == 0 ? "?" : from, Text = text };
        lock (_gate)
        {
            if (_count < _entries.Length)
            {
                _entries[(_first + _count) % _entries.Length] = stored;
                _count++;
            }
            else
            {
                _entries[_first] = stored;
                _first = (_first + 1) % _entries.Length;
            }

            _version++;
        }

        return stored;
    }

    /// <summary>The last <paramref name="count"/> lines (fewer when the log holds fewer), oldest first: a copy.</summary>
    public IReadOnlyList<ChatEntry> Last(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            var taken = Math.Min(count, _count);
            var lines = new ChatEntry[taken];
            for (var i = 0; i < taken; i++)
            {
                lines[i] = _entries[(_first + _count - taken + i) % _entries.Length];
            }

            return lines;
        }
    }
}
