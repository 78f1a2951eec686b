using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeshConf.Terminal.Recording;

/// <summary>
/// Records what the terminal was sent as an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/),
/// which <c>asciinema play</c> and <c>asciinema cat</c> replay: a header line (a JSON object: version 2, width,
/// height, timestamp, title and env when given), then one JSON array per event, <c>[seconds, "o", text]</c> for
/// output and <c>[seconds, "r", "COLSxROWS"]</c> for a resize, seconds since the start with six decimals.
/// </summary>
/// <remarks>
/// <para>Output bytes are UTF-8 that may be split anywhere: an incomplete char at the end of one call waits for
/// the next (and is dropped at the end); bytes that are not UTF-8 become U+FFFD, as a terminal would show them.
/// Text is escaped by hand, straight from the UTF-8: '"', '\', and every C0 control and DEL as JSON escapes
/// (ESC as \u001b), everything else as it came, so replaying gives back the same bytes.</para>
/// <para>Thread-safe (one lock): the render loop records output, a resize handler resizes. Events collect in
/// memory and go to the stream, flushed, once they span a second, once they pass 64 KiB, on a timer every second
/// while the screen is idle, and on <see cref="Dispose"/>. A write error does not travel to the render loop:
/// recording stops and <see cref="Failure"/> says why. The recorder owns the stream and disposes it.</para>
/// </remarks>
internal sealed class AsciicastRecorder : IDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private const int FlushBytes = 64 * 1024;

    // Input is escaped in chunks; each byte becomes at most six ("\u001b"), a char that starts in the chunk ends
    // at most three bytes past it.
    private const int ChunkBytes = 4096;
    private const int ChunkRoom = (ChunkBytes + 3) * 6;

    private static ReadOnlySpan<byte> ReplacementChar => "\uFFFD"u8;

    private readonly Lock _gate = new();
    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ITimer _flushTimer;

    // Events not yet written to the output; reused, so steady recording allocates nothing.
    private readonly ArrayBufferWriter<byte> _events = new(64 * 1024);

    // The start of a char the last output call ended in the middle of, and scratch to join it to the next call.
    private readonly byte[] _tail = new byte[3];
    private int _tailLength;
    private byte[] _joined = [];

    private long _lastFlush;
    private long _lastMicroseconds;
    private bool _disposed;

    /// <summary>Starts a recording on <paramref name="output"/>, writing the header now.</summary>
    /// <param name="output">Where the recording goes; the recorder owns it.</param>
    /// <param name="cols">The terminal's width at the start.</param>
    /// <param name="rows">The terminal's height at the start.</param>
    /// <param name="time">The clock of timestamps and event times.</param>
    /// <param name="title">The recording's title, if any.</param>
    /// <param name="env">Captured environment variables (TERM, SHELL: see <see cref="TerminalEnvironment"/>), if any.</param>
    public AsciicastRecorder(Stream output, int cols, int rows, TimeProvider time, string? title = null, IReadOnlyDictionary<string, string>? env = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (!output.CanWrite)
        {
            throw new ArgumentException("the recording's stream is not writable", nameof(output));
        }

        _output = output;
        _time = time;
        _started = time.GetTimestamp();
        _lastFlush = _started;
        WriteHeader(cols, rows, time.GetUtcNow().ToUnixTimeSeconds(), title, env);
        _output.Write(_events.WrittenSpan);
        _output.Flush();
        _events.ResetWrittenCount();
        _flushTimer = time.CreateTimer(static state => ((AsciicastRecorder)state!).FlushBuffered(), this, FlushInterval, FlushInterval);
    }

    /// <summary>The write error that stopped the recording, or null while it goes well.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// Creates (or replaces) the file at <paramref name="path"/> and starts recording to it. An
    /// <see cref="IOException"/> whose message names the file says why it could not be.
    /// </summary>
    public static AsciicastRecorder Create(string path, int cols, int rows, TimeProvider time, string? title = null, IReadOnlyDictionary<string, string>? env = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new IOException($"cannot write the recording {path}: {exception.Message}", exception);
        }

        try
        {
            return new AsciicastRecorder(file, cols, rows, time, title, env);
        }
        catch (IOException exception)
        {
            file.Dispose();
            throw new IOException($"cannot write the recording {path}: {exception.Message}", exception);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The environment variables asciinema records (TERM and SHELL), those that are set.</summary>
    public static IReadOnlyDictionary<string, string> TerminalEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "TERM", "SHELL" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                env[name] = value;
            }
        }

        return env;
    }

    /// <summary>Records bytes sent to the terminal now (one "o" event).</summary>
    public void Output(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_disposed || Failure is not null)
            {
                return;
            }

            var data = bytes;
            if (_tailLength > 0)
            {
                if (_joined.Length < _tailLength + bytes.Length)
                {
                    _joined = new byte[Math.Max(_tailLength + bytes.Length, _joined.Length * 2)];
                }

                _tail.AsSpan(0, _tailLength).CopyTo(_joined);
                bytes.CopyTo(_joined.AsSpan(_tailLength));
                data = _joined.AsSpan(0, _tailLength + bytes.Length);
            }

            var tail = IncompleteTailLength(data);
            data[^tail..].CopyTo(_tail);
            _tailLength = tail;
            if (data.Length == tail)
            {
                return;
            }

            BeginEvent((byte)'o');
            AppendEscaped(data, data.Length - tail);
            EndEvent();
        }
    }

    /// <summary>Records that the terminal is now <paramref name="cols"/> by <paramref name="rows"/> (one "r" event).</summary>
    public void Resize(int cols, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        lock (_gate)
        {
            if (_disposed || Failure is not null)
            {
                return;
            }

            BeginEvent((byte)'r');
            var span = _events.GetSpan(32);
            var written = 0;
            cols.TryFormat(span, out var length, default, CultureInfo.InvariantCulture);
            written += length;
            span[written++] = (byte)'x';
            rows.TryFormat(span[written..], out length, default, CultureInfo.InvariantCulture);
            written += length;
            _events.Advance(written);
            EndEvent();
        }
    }

    /// <summary>Writes out what is buffered and closes the stream. Safe to call more than once.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            WriteBuffered();
            try
            {
                _output.Dispose();
            }
            catch (IOException exception)
            {
                Failure ??= exception;
            }
        }

        _flushTimer.Dispose();
    }

    /// <summary>
    /// How many bytes at the end of <paramref name="data"/> are the valid start of a char that goes on in the next
    /// call (0 to 3). A sequence that is already invalid is not waited for: it becomes U+FFFD now.
    /// </summary>
    private static int IncompleteTailLength(ReadOnlySpan<byte> data)
    {
        for (var length = 1; length <= Math.Min(3, data.Length); length++)
        {
            var start = data[^length];
            if ((start & 0xC0) != 0x80)
            {
                return start >= 0xC0 && Rune.DecodeFromUtf8(data[^length..], out _, out _) == OperationStatus.NeedMoreData ? length : 0;
            }
        }

        return 0;
    }

    private void WriteHeader(int cols, int rows, long timestamp, string? title, IReadOnlyDictionary<string, string>? env)
    {
        // Relaxed escaping keeps non-ASCII titles readable; the writer still escapes controls and quotes.
        using (var json = new Utf8JsonWriter(_events, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 2);
            json.WriteNumber("width", cols);
            json.WriteNumber("height", rows);
            json.WriteNumber("timestamp", timestamp);
            if (title is not null)
            {
                json.WriteString("title", title);
            }

            if (env is { Count: > 0 })
            {
                json.WriteStartObject("env");
                foreach (var (name, value) in env)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        _events.Write("\n"u8);
    }

    /// <summary>Writes <c>[seconds, "type", "</c>: the time since the start in microseconds, never going back.</summary>
    private void BeginEvent(byte type)
    {
        var microseconds = Math.Max(_lastMicroseconds, _time.GetElapsedTime(_started).Ticks / (TimeSpan.TicksPerSecond / 1_000_000));
        _lastMicroseconds = microseconds;
        var span = _events.GetSpan(48);
        span[0] = (byte)'[';
        var written = 1;
        (microseconds / 1_000_000).TryFormat(span[written..], out var length, default, CultureInfo.InvariantCulture);
        written += length;
        span[written++] = (byte)'.';
        (microseconds % 1_000_000).TryFormat(span[written..], out length, "D6", CultureInfo.InvariantCulture);
        written += length;
        ", \"o\", \""u8.CopyTo(span[written..]);
        span[written + 3] = type;
        _events.Advance(written + 8);
    }

    /// <summary>Ends an event's line and writes the events out when they are due.</summary>
    private void EndEvent()
    {
        _events.Write("\"]\n"u8);
        if (_events.WrittenCount >= FlushBytes || _time.GetElapsedTime(_lastFlush) >= FlushInterval)
        {
            WriteBuffered();
        }
    }

    /// <summary>Appends the first <paramref name="length"/> bytes of <paramref name="data"/> as JSON string content.</summary>
    private void AppendEscaped(ReadOnlySpan<byte> data, int length)
    {
        var i = 0;
        while (i < length)
        {
            var span = _events.GetSpan(ChunkRoom);
            var written = 0;
            var chunkEnd = Math.Min(length, i + ChunkBytes);
            while (i < chunkEnd)
            {
                var b = data[i];
                if (b < 0x80)
                {
                    written += EscapeAscii(b, span[written..]);
                    i++;
                    continue;
                }

                // Decoded against all the data, so an invalid sequence is judged by the bytes that follow it.
                if (Rune.DecodeFromUtf8(data[i..], out _, out var used) == OperationStatus.Done)
                {
                    data.Slice(i, used).CopyTo(span[written..]);
                    written += used;
                }
                else
                {
                    ReplacementChar.CopyTo(span[written..]);
                    written += ReplacementChar.Length;
                    used = Math.Max(1, used);
                }

                i += used;
            }

            _events.Advance(written);
        }
    }

    private static int EscapeAscii(byte b, Span<byte> destination)
    {
        byte shortForm = b switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            (byte)'\b' => (byte)'b',
            (byte)'\f' => (byte)'f',
            _ => 0,
        };
        if (shortForm != 0)
        {
            destination[0] = (byte)'\\';
            destination[1] = shortForm;
            return 2;
        }

        if (b is >= 0x20 and < 0x7F)
        {
            destination[0] = b;
            return 1;
        }

        // RFC 8259 §7: controls must be escaped; DEL may be, and is, so the file stays plain text.
        "\\u00"u8.CopyTo(destination);
        destination[4] = HexDigit(b >> 4);
        destination[5] = HexDigit(b & 0xF);
        return 6;
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    /// <summary>The flush timer's tick: whatever waits in memory goes out.</summary>
    private void FlushBuffered()
    {
        lock (_gate)
        {
            if (!_disposed && Failure is null)
            {
                WriteBuffered();
            }
        }
    }

    private void WriteBuffered()
    {
        _lastFlush = _time.GetTimestamp();
        if (_events.WrittenCount == 0 || Failure is not null)
        {
            return;
        }

        try
        {
            _output.Write(_events.WrittenSpan);
            _output.Flush();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or NotSupportedException)
        {
            // Not thrown: this runs on the render loop or the flush timer's thread, where it would end the call.
            Failure = exception;
        }

        _events.ResetWrittenCount();
    }
}
