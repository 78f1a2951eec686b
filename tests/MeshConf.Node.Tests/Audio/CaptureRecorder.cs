using MeshConf.Core.Audio;
using MeshConf.Node.Audio;

namespace MeshConf.Node.Tests.Audio;

/// <summary>
/// A capture thread for device tests: reads an input until it is disposed (or <see cref="Stop"/>), keeping the
/// last second of what it read and a count of frames.
/// </summary>
internal sealed class CaptureRecorder : IDisposable
{
    private readonly IAudioInput _input;
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly short[] _last = new short[48000];
    private int _position;
    private long _frames;
    private volatile bool _stopping;

    public CaptureRecorder(IAudioInput input)
    {
        _input = input;
        _thread = new Thread(Run) { IsBackground = true, Name = "capture recorder" };
        _thread.Start();
    }

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>The last second read, oldest first.</summary>
    public short[] LastSecond()
    {
        lock (_gate)
        {
            return [.. _last.AsSpan(_position), .. _last.AsSpan(0, _position)];
        }
    }

    /// <summary>The amplitude of <paramref name="hz"/> in the last second (Goertzel, ~32768 for a full-scale sine).</summary>
    public double ToneInLastSecond(double hz) => SignalMetrics.ToneAmplitude(LastSecond(), hz, 48000);

    public void Stop()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => Stop();

    private void Run()
    {
        var frame = new float[_input.FrameSamples];
        while (!_stopping && _input.Read(frame))
        {
            lock (_gate)
            {
                foreach (var sample in frame)
                {
                    _last[_position] = SampleConversion.ToPcm16(sample);
                    _position = (_position + 1) % _last.Length;
                }
            }

            Interlocked.Increment(ref _frames);
        }
    }
}
