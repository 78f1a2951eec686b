namespace MeshConf.Node.Audio;

/// <summary>
/// Where this node's voice comes from: a microphone, a looping WAV file or a test tone. The capture thread
/// calls <see cref="Read"/> in a loop; each call blocks until the next frame is due, so the loop runs at real
/// time whatever the source. Samples are 48 kHz mono floats in [-1, 1].
/// </summary>
internal interface IAudioInput : IDisposable
{
    /// <summary>Samples in one frame (480, 960 or 1920).</summary>
    int FrameSamples { get; }

    /// <summary>True for a real capture device (echo cancellation is on by default only between real devices).</summary>
    bool IsDevice { get; }

    /// <summary>What it is, for people: "microphone pulse (ALSA)", "file speech.wav", "tone 440 Hz".</summary>
    string Description { get; }

    /// <summary>Failures, overflows and reopen attempts since it opened; never decreases.</summary>
    long Errors { get; }

    /// <summary>The last failure in words ("microphone lost: ..."), or null when there has been none.</summary>
    string? Problem { get; }

    /// <summary>
    /// Fills <paramref name="frame"/> (exactly <see cref="FrameSamples"/> long) with the next frame, blocking until
    /// it is due. A failed device yields silence at the same pace while it is reopened. Returns false only once
    /// the input is disposed (a blocked call then returns promptly).
    /// </summary>
    bool Read(Span<float> frame);
}
