namespace MeshConf.Node.Audio;

/// <summary>
/// `--audio-out none`, and what is left when there is no speaker: every frame is discarded, one per frame
/// duration by the clock, so the playout loop (and the echo reference it feeds) keeps real time.
/// </summary>
internal sealed class NullAudioOutput : IAudioOutput
{
    private readonly FramePacer _pacer;
    private long _frames;

    public NullAudioOutput(int frameSamples, TimeProvider time)
    {
        _pacer = new FramePacer(time, frameSamples);
        FrameSamples = frameSamples;
    }

    public int FrameSamples { get; }

    public bool IsDevice => false;

    public string Description => "none";

    public long Errors => 0;

    public string? Problem => null;

    /// <summary>Frames discarded so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    public void Write(ReadOnlySpan<float> frame)
    {
        if (frame.Length < FrameSamples)
        {
            throw new ArgumentException($"a frame is {FrameSamples} samples; got {frame.Length}", nameof(frame));
        }

        if (_pacer.WaitNext())
        {
            Interlocked.Increment(ref _frames);
        }
    }

    public void Dispose() => _pacer.Dispose();
}
