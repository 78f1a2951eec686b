namespace MeshConf.Node.Audio;

/// <summary>
/// Where this node's mix goes: a speaker, a WAV file or nowhere. The playout thread calls <see cref="Write"/>
/// with each mixed frame; the call blocks as long as it takes to keep the loop at real time (a device while
/// its buffer is full, a file or nothing by the clock). Samples are 48 kHz mono floats in [-1, 1].
/// </summary>
internal interface IAudioOutput : IDisposable
{
    /// <summary>Samples in one frame (480, 960 or 1920).</summary>
    int FrameSamples { get; }

    /// <summary>True for a real playback device.</summary>
    bool IsDevice { get; }

    /// <summary>What it is, for people: "speaker pulse (ALSA)", "file out.wav", "none".</summary>
    string Description { get; }

    /// <summary>Failures, underflows and reopen attempts since it opened; never decreases.</summary>
    long Errors { get; }

    /// <summary>The last failure in words ("speaker lost: ..."), or null when there has been none.</summary>
    string? Problem { get; }

    /// <summary>
    /// Plays (or writes, or discards) one frame of <see cref="FrameSamples"/> samples, blocking for pacing.
    /// Never throws for a failed device: the frame is dropped and counted while the device is reopened. Does
    /// nothing once disposed.
    /// </summary>
    void Write(ReadOnlySpan<float> frame);
}
