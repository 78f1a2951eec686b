using MeshConf.Core.Audio;

namespace MeshConf.Node.Audio;

/// <summary>
/// A lock-free ring of 16-bit samples between exactly one writing thread and one reading thread (the playout
/// thread hands the echo canceller what it played; the capture thread takes it). Each side owns its own
/// counter and only reads the other's, with acquire/release ordering, so neither ever waits. When the ring is
/// full the writer drops what does not fit and counts it; nothing is allocated after construction.
/// </summary>
internal sealed class SampleRing
{
    private readonly short[] _buffer;
    private readonly int _mask;
    private long _written; // written by the producer only
    private long _read;    // written by the consumer only
    private long _overruns;

    /// <param name="capacity">Samples it holds; rounded up to a power of two.</param>
    public SampleRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _buffer = new short[size];
        _mask = size - 1;
    }

    public int Capacity => _buffer.Length;

    /// <summary>Samples written and not yet read (a snapshot: either side may be moving).</summary>
    public int Count => (int)(Volatile.Read(ref _written) - Volatile.Read(ref _read));

    /// <summary>Samples the writer dropped because the reader had fallen a whole ring behind.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>Producer: appends <paramref name="samples"/> as 16-bit PCM; what does not fit is dropped and counted.</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        var written = _written;
        var free = _buffer.Length - (int)(written - Volatile.Read(ref _read));
        var n = Math.Min(free, samples.Length);
        for (var i = 0; i < n; i++)
        {
            _buffer[(int)((written + i) & _mask)] = SampleConversion.ToPcm16(samples[i]);
        }

        Volatile.Write(ref _written, written + n);
        if (n < samples.Length)
        {
            Interlocked.Add(ref _overruns, samples.Length - n);
        }
    }

    /// <summary>Consumer: moves up to <paramref name="destination"/>.Length of the oldest samples out; returns how many.</summary>
    public int Read(Span<short> destination)
    {
        var read = _read;
        var n = (int)Math.Min(Volatile.Read(ref _written) - read, destination.Length);
        for (var i = 0; i < n; i++)
        {
            destination[i] = _buffer[(int)((read + i) & _mask)];
        }

        Volatile.Write(ref _read, read + n);
        return n;
    }

    /// <summary>Consumer: drops up to <paramref name="count"/> of the oldest samples; returns how many.</summary>
    public int Skip(int count)
    {
        var read = _read;
        var n = (int)Math.Min(Volatile.Read(ref _written) - read, Math.Max(count, 0));
        Volatile.Write(ref _read, read + n);
        return n;
    }
}
