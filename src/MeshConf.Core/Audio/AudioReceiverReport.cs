namespace MeshConf.Core.Audio;

/// <summary>
/// What a receiver tells a sender about its stream, about once a second: the percentage of frames lost in the
/// last interval (before FEC or concealment), which the sender feeds to its Opus encoder's expected packet loss
/// so in-band FEC spends bits only when they help. Wire: one byte, 0 to 100.
/// </summary>
internal readonly record struct AudioReceiverReport(byte LossPercent)
{
    public const int Size = 1;

    public void Write(Span<byte> destination) => destination[0] = LossPercent;

    public static bool TryRead(ReadOnlySpan<byte> body, out AudioReceiverReport report)
    {
        report = default;
        if (body.Length != Size || body[0] > 100)
        {
            return false;
        }

        report = new AudioReceiverReport(body[0]);
        return true;
    }

    /// <summary>The loss over an interval in which <paramref name="lost"/> of <paramref name="expected"/> frames were missing.</summary>
    public static AudioReceiverReport FromCounts(long lost, long expected) =>
        new(expected <= 0 ? (byte)0 : (byte)Math.Clamp((int)Math.Round(100.0 * lost / expected), 0, 100));
}
