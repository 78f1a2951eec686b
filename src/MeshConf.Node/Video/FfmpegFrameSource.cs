using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using MeshConf.Core.Video;

namespace MeshConf.Node.Video;

/// <summary>
/// A camera or a file through an ffmpeg child process (a program, never a library) writing raw rgb24 frames of
/// the requested size to its stdout. One supervisor thread starts ffmpeg, watches it and restarts it; one reader
/// thread per process reads whole frames; stderr is drained for the last error line. When ffmpeg exits or
/// stops producing frames for <see cref="StallTimeout"/>, the source is <see cref="VideoSourceState.Lost"/> and
/// ffmpeg is started again with a growing pause (<see cref="MinBackoff"/> doubling to <see cref="MaxBackoff"/>)
/// until frames flow again (<see cref="VideoSourceState.Live"/>): a camera unplugged mid-call comes back by itself.
/// </summary>
/// <remarks>
/// Aspect: ffmpeg scales the picture to cover the requested size and crops the overflow, centred
/// (<c>force_original_aspect_ratio=increase,crop</c>), instead of padding it. A tile is a handful of cells, and
/// black bars would spend some of them on nothing, while the crop only trims the edges of a webcam picture
/// whose subject sits in the middle; and the size asked for is already close to the camera's 4:3.
/// </remarks>
internal sealed class FfmpegFrameSource : IFrameSource
{
    /// <summary>No frame for this long from a process that has produced frames: the source is lost.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>No first frame for this long from a new process (cameras take a moment to open): lost.</summary>
    public static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A new size is adopted once requests have stopped changing for this long.</summary>
    public static readonly TimeSpan ResizeDebounce = TimeSpan.FromMilliseconds(400);

    /// <summary>The first pause before a restart after a failure.</summary>
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest pause between restarts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>The smallest side asked of ffmpeg.</summary>
    public const int MinSide = 16;

    /// <summary>The largest side asked of ffmpeg (the sender asks for far less).</summary>
    public const int MaxSide = 4096;

    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(50);

    private readonly string _ffmpeg;
    private readonly FfmpegInput _input;
    private readonly int _fps;
    private readonly TimeProvider _time;
    private readonly ThreadFaults _faults;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _supervisor;

    // Guards the frame exchange and the requested size. The reader swaps its filled buffer with _front under it;
    // TryCapture copies _front out under it. _front is the newest whole frame, owned by the source; a buffer
    // handed back to the reader by a swap is the reader's until its next swap. The frame counter and the current
    // run are also read without it (tests poll them; a contended lock allocates its waiter once, which would
    // show up in the reader's allocation count).
    private readonly Lock _gate = new();
    private byte[] _front = [];
    private int _frontWidth;
    private int _frontHeight;
    private long _frontSequence;
    private long _returnedSequence;
    private int _requestedWidth;
    private int _requestedHeight;
    private long _requestedAt;
    private Run? _run;

    private volatile VideoSourceState _state = VideoSourceState.Starting;
    private volatile string? _problem;
    private int _starts;
    private int _disposed;

    /// <param name="ffmpeg">The ffmpeg program (<see cref="FfmpegLocator.Find"/>).</param>
    /// <param name="input">The camera or file to read.</param>
    /// <param name="fps">Frames a second to deliver.</param>
    /// <param name="time">Clock for stall detection.</param>
    /// <param name="width">First capture width, until <see cref="RequestSize"/> says otherwise.</param>
    /// <param name="height">First capture height.</param>
    /// <param name="faults">Where an unexpected exception on the supervisor or reader thread goes (see
    /// <see cref="ThreadFaults"/>).</param>
    public FfmpegFrameSource(string ffmpeg, FfmpegInput input, int fps, TimeProvider time, int width = 320, int height = 240, ThreadFaults? faults = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fps, 1);
        _faults = faults ?? new ThreadFaults();
        _ffmpeg = ffmpeg;
        _input = input;
        _fps = fps;
        _time = time;
        (_requestedWidth, _requestedHeight) = Clamp(width, height);
        _requestedAt = time.GetTimestamp();
        _supervisor = _faults.Start("meshconf-ffmpeg", Supervise);
    }

    public int Width
    {
        get
        {
            lock (_gate)
            {
                return _frontSequence > 0 ? _frontWidth : _requestedWidth;
            }
        }
    }

    public int Height
    {
        get
        {
            lock (_gate)
            {
                return _frontSequence > 0 ? _frontHeight : _requestedHeight;
            }
        }
    }

    public VideoSourceState State => _state;

    public string? Problem => _problem;

    /// <summary>What ffmpeg reads (for messages).</summary>
    public FfmpegInput Input => _input;

    /// <summary>Whole frames read from ffmpeg since the start, over all its restarts.</summary>
    public long FramesRead => Interlocked.Read(ref _frontSequence);

    /// <summary>How many times ffmpeg has been started (tests: restarts for a resize or after a loss).</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>The running ffmpeg's process id, or null between runs (tests kill it to simulate a lost camera).</summary>
    internal int? ProcessId => Volatile.Read(ref _run)?.ProcessId;

    /// <summary>
    /// What the running ffmpeg's reader thread had allocated when it handed over its last frame
    /// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), or null between runs: tests prove the read loop
    /// allocates nothing per frame by seeing it stand still while frames flow.
    /// </summary>
    internal long? ReaderAllocatedBytes => Volatile.Read(ref _run)?.ReaderAllocatedBytes;

    public void RequestSize(int width, int height)
    {
        var size = Clamp(width, height);
        lock (_gate)
        {
            if ((_requestedWidth, _requestedHeight) != size)
            {
                (_requestedWidth, _requestedHeight) = size;
                _requestedAt = _time.GetTimestamp();
            }
        }
    }

    public bool TryCapture(Span<byte> rgb, out int width, out int height)
    {
        lock (_gate)
        {
            width = _frontWidth;
            height = _frontHeight;
            var length = width * height * RgbFrame.BytesPerPixel;
            if (_frontSequence == _returnedSequence || rgb.Length < length)
            {
                return false;
            }

            _front.AsSpan(0, length).CopyTo(rgb);
            _returnedSequence = _frontSequence;
            return true;
        }
    }

    /// <summary>Stops ffmpeg (only the process this source started) and joins the threads.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _supervisor.Join();
        _stop.Dispose();
    }

    /// <summary>
    /// ffmpeg's whole command line after the program name: quiet, no stdin, the input, then the picture scaled
    /// to cover <paramref name="width"/> x <paramref name="height"/> and cropped to it, at <paramref name="fps"/>,
    /// as raw rgb24 on stdout. Passed as an argument list, never through a shell.
    /// </summary>
    public static IReadOnlyList<string> BuildArguments(FfmpegInput input, int width, int height, int fps)
    {
        var w = width.ToString(CultureInfo.InvariantCulture);
        var h = height.ToString(CultureInfo.InvariantCulture);
        var rate = fps.ToString(CultureInfo.InvariantCulture);
        return
        [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            .. input.Arguments,
            "-an", "-sn",
            // fps first: a 30 fps camera asked for 15 scales half the frames.
            "-vf", $"fps={rate},scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ];
    }

    private static (int Width, int Height) Clamp(int width, int height) =>
        (Math.Clamp(width, MinSide, MaxSide), Math.Clamp(height, MinSide, MaxSide));

    private void Supervise()
    {
        var token = _stop.Token;
        var backoff = MinBackoff;
        while (!token.IsCancellationRequested)
        {
            int width, height;
            lock (_gate)
            {
                (width, height) = (_requestedWidth, _requestedHeight);
            }

            var run = Run.TryStart(this, width, height, out var startError);
            if (run is null)
            {
                Lose($"{_input.LostText} (cannot start ffmpeg: {startError})");
                if (token.WaitHandle.WaitOne(backoff))
                {
                    return;
                }

                backoff = Next(backoff);
                continue;
            }

            Volatile.Write(ref _run, run);

            Interlocked.Increment(ref _starts);
            var outcome = Watch(run, width, height, token);
            run.Stop();
            Volatile.Write(ref _run, null);

            if (outcome is null)
            {
                run.Dispose();
                continue; // a resize: straight back up at the new size, state unchanged
            }

            Lose(outcome);
            backoff = run.Frames > 0 ? MinBackoff : backoff;
            run.Dispose();
            if (token.WaitHandle.WaitOne(backoff))
            {
                return;
            }

            backoff = Next(backoff);
        }
    }

    // Null when ffmpeg is to be restarted at a new size; otherwise why it was lost. Returns at once when stopped.
    private string? Watch(Run run, int width, int height, CancellationToken token)
    {
        while (!token.WaitHandle.WaitOne(WatchInterval))
        {
            if (run.HasExited)
            {
                var detail = run.LastError is { } line ? $": {line}" : string.Empty;
                return $"{_input.LostText} (ffmpeg exited with code {run.ExitCode}{detail})";
            }

            var frames = run.Frames;
            var quiet = _time.GetElapsedTime(frames > 0 ? run.LastFrameAt : run.StartedAt);
            if (quiet > (frames > 0 ? StallTimeout : FirstFrameTimeout))
            {
                return $"{_input.LostText} (no frames for {quiet.TotalSeconds:0.#} s)";
            }

            lock (_gate)
            {
                if ((_requestedWidth, _requestedHeight) != (width, height) && _time.GetElapsedTime(_requestedAt) >= ResizeDebounce)
                {
                    return null;
                }
            }
        }

        return "stopped";
    }

    private void Lose(string problem)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _problem = problem;
        _state = VideoSourceState.Lost;
    }

    private static TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));

    // Called on the reader thread with a whole frame in `filled`; returns the buffer to fill next.
    private byte[] Publish(byte[] filled, int width, int height)
    {
        byte[] spare;
        lock (_gate)
        {
            spare = _front;
            _front = filled;
            _frontWidth = width;
            _frontHeight = height;
            Interlocked.Increment(ref _frontSequence); // read without the lock by FramesRead
        }

        _state = VideoSourceState.Live;
        return spare.Length == filled.Length ? spare : new byte[filled.Length];
    }

    /// <summary>One ffmpeg process with its reader thread and stderr drain.</summary>
    private sealed class Run : IDisposable
    {
        private readonly FfmpegFrameSource _owner;
        private readonly Process _process;
        private readonly Thread _reader;
        private readonly int _width;
        private readonly int _height;
        private string? _lastError;
        private long _frames;
        private long _lastFrameAt;
        private long _readerAllocatedBytes;

        private Run(FfmpegFrameSource owner, Process process, int width, int height)
        {
            _owner = owner;
            _process = process;
            _width = width;
            _height = height;
            ProcessId = process.Id;
            StartedAt = owner._time.GetTimestamp();
            _process.ErrorDataReceived += (_, e) =>
            {
                if (!string.IsNullOrWhiteSpace(e.Data))
                {
                    Volatile.Write(ref _lastError, e.Data.Trim());
                }
            };
            _process.BeginErrorReadLine();
            _reader = owner._faults.Start("meshconf-ffmpeg-reader", Read);
        }

        public int ProcessId { get; }

        public long StartedAt { get; }

        public long Frames => Interlocked.Read(ref _frames);

        public long LastFrameAt => Interlocked.Read(ref _lastFrameAt);

        public string? LastError => Volatile.Read(ref _lastError);

        public long ReaderAllocatedBytes => Interlocked.Read(ref _readerAllocatedBytes);

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        public static Run? TryStart(FfmpegFrameSource owner, int width, int height, out string? error)
        {
            var info = new ProcessStartInfo(owner._ffmpeg)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // Redirected and closed at once: ffmpeg must never read the terminal the call is drawn on.
                RedirectStandardInput = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            foreach (var argument in BuildArguments(owner._input, width, height, owner._fps))
            {
                info.ArgumentList.Add(argument);
            }

            error = null;
            Process? process = null;
            try
            {
                process = Process.Start(info);
                if (process is null)
                {
                    error = "no process";
                    return null;
                }

                process.StandardInput.Close();
                return new Run(owner, process, width, height);
            }
            catch (Win32Exception e)
            {
                process?.Dispose();
                error = e.Message;
                return null;
            }
            catch (InvalidOperationException e)
            {
                process?.Dispose();
                error = e.Message;
                return null;
            }
        }

        /// <summary>Kills this run's ffmpeg (our own child only) and waits for its threads.</summary>
        public void Stop()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
            catch (Win32Exception)
            {
                // Exiting as we asked; WaitForExit below settles it.
            }

            _reader.Join();
            _process.WaitForExit();
        }

        public void Dispose() => _process.Dispose();

        // Whole frames from stdout into a buffer of this run's size; each full one is handed over by a swap.
        // Nothing is allocated per frame: the two buffers go back and forth (a third only after a resize).
        private void Read()
        {
            var stream = _process.StandardOutput.BaseStream;
            var buffer = new byte[_width * _height * RgbFrame.BytesPerPixel];
            try
            {
                while (true)
                {
                    var filled = 0;
                    while (filled < buffer.Length)
                    {
                        var read = stream.Read(buffer, filled, buffer.Length - filled);
                        if (read == 0)
                        {
                            return;
                        }

                        filled += read;
                    }

                    buffer = _owner.Publish(buffer, _width, _height);
                    Interlocked.Exchange(ref _lastFrameAt, _owner._time.GetTimestamp());
                    Interlocked.Exchange(ref _readerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                    Interlocked.Increment(ref _frames);
                }
            }
            catch (IOException)
            {
                // The pipe broke: ffmpeg died or was killed. The supervisor sees the exit.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
