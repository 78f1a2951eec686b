namespace MeshConf.Core.Audio;

/// <summary>
/// A sender's microphone state as its peers are told, on the control channel (<see cref="AudioMessageType.State"/>)
/// on every change and to each new peer. Wire: one flags byte, 1 = muted, every other bit zero.
/// </summary>
internal readonly record struct AudioState(bool IsMuted)
{
    public const int Size = 1;
    private const byte MutedFlag = 1;

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"an audio state needs {Size} byte", nameof(destination));
        }

        destination[0] = IsMuted ? MutedFlag : (byte)0;
    }

    /// <summary>False for anything but exactly one byte with only known flags.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, out AudioState state)
    {
        state = default;
        if (body.Length != Size || (body[0] & ~MutedFlag) != 0)
        {
            return false;
        }

        state = new AudioState((body[0] & MutedFlag) != 0);
        return true;
    }
}
