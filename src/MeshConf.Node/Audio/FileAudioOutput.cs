using System.Buffers.Binary;
using MeshConf.Core.Audio;

namespace MeshConf.Node.Audio;

/// <summary>
/// `--audio-out file:OUT.wav`: what this node would play, written as a 16-bit mono 48 kHz WAV as it goes. Each
/// frame goes straight to the operating system (the stream is unbuffered), and the RIFF sizes in the header are
/// brought up to date every <see cref="HeaderIntervalSamples"/> and on dispose, so a reader of the file while it
/// is written, or after the process was killed, sees a valid WAV holding all but the last second at most.
/// Frames are paced by the clock. A failed write (a full disk) is counted and the frame dropped.
/// </summary>
internal sealed class FileAudioOutput : IAudioOutput
{
    /// <summary>By default the header is rewritten once a second of audio.</summary>
    public const int DefaultHeaderIntervalSamples = AudioFormat.SampleRate;

    private const int HeaderBytes = 44;

    // RIFF sizes are 32-bit, and the RIFF chunk counts 36 bytes more than the data: about 6 hours of audio.
    private const long MaxDataBytes = (int.MaxValue - 36) & ~1;

    private readonly FileStream _file;
    private readonly byte[] _bytes;
    private readonly FramePacer _pacer;
    private readonly Lock _gate = new();
    private long _dataBytes;
    private long _headerDataBytes;
    private long _errors;
    private volatile string? _problem;
    private bool _disposed;

    /// <summary>Creates (or truncates) <paramref name="path"/>; an I/O exception when it cannot.</summary>
    public FileAudioOutput(string path, int frameSamples, TimeProvider time, int headerIntervalSamples = DefaultHeaderIntervalSamples)
    {
        ArgumentNullException.ThrowIfNull(path);
        AudioFormat.CheckFrameSize(frameSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headerIntervalSamples);
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        try
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            WaveFile.WriteHeader(header, AudioFormat.SampleRate, 1, 0);
            _file.Write(header);
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        _bytes = new byte[frameSamples * 2];
        _pacer = new FramePacer(time, frameSamples);
        FrameSamples = frameSamples;
        HeaderIntervalSamples = headerIntervalSamples;
        Path = path;
    }

    public int FrameSamples { get; }

    public bool IsDevice => false;

    public string Description => $"file {System.IO.Path.GetFileName(Path)}";

    public long Errors => Interlocked.Read(ref _errors);

    public string? Problem => _problem;

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>How many samples may be written between two updates of the header.</summary>
    public int HeaderIntervalSamples { get; }

    /// <summary>Samples written to the file so far.</summary>
    public long SamplesWritten
    {
        get
        {
            lock (_gate)
            {
                return _dataBytes / 2;
            }
        }
    }

    public void Write(ReadOnlySpan<float> frame)
    {
        if (frame.Length < FrameSamples)
        {
            throw new ArgumentException($"a frame is {FrameSamples} samples; got {frame.Length}", nameof(frame));
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Append(frame[..FrameSamples]);
        }

        _pacer.WaitNext();
    }

    public void Dispose()
    {
        _pacer.Cancel();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                UpdateHeader();
            }
            catch (IOException e)
            {
                Failed(e);
            }

            _file.Dispose();
        }

        _pacer.Dispose();
    }

    private void Append(ReadOnlySpan<float> frame)
    {
        if (_dataBytes + _bytes.Length > MaxDataBytes)
        {
            if (_problem is null)
            {
                _problem = $"{Description} is full (a WAV holds at most 2 GiB); later audio is not written";
                Interlocked.Increment(ref _errors);
            }

            return;
        }

        for (var i = 0; i < frame.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(_bytes.AsSpan(i * 2), SampleConversion.ToPcm16(frame[i]));
        }

        try
        {
            _file.Write(_bytes);
            _dataBytes += _bytes.Length;
            if (_dataBytes - _headerDataBytes >= HeaderIntervalSamples * 2L)
            {
                UpdateHeader();
            }
        }
        catch (IOException e)
        {
            Failed(e);
        }
    }

    private void UpdateHeader()
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        WaveFile.WriteHeader(header, AudioFormat.SampleRate, 1, (int)_dataBytes);
        RandomAccess.Write(_file.SafeFileHandle, header, 0);
        _headerDataBytes = _dataBytes;
    }

    private void Failed(IOException e)
    {
        Interlocked.Increment(ref _errors);
        _problem = $"writing {Description} failed: {e.Message}";
    }
}
