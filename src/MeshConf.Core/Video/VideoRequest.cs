using System.Buffers.Binary;

namespace MeshConf.Core.Video;

/// <summary>
/// A receiver telling a sender how it draws that sender: the tile's picture size in cells and the colour mode
/// (or that it wants no video at all). Sent on the control channel whenever the layout or the terminal changes;
/// the sender converts once per distinct request. Wire: u16 cols, u16 rows, u8 mode (0xFF = none), big-endian.
/// </summary>
internal readonly record struct VideoRequest(ushort Cols, ushort Rows, CellMode Mode, bool Wanted = true)
{
    public const int Size = 5;
    private const byte NoVideo = 0xFF;

    public static VideoRequest None => new(0, 0, CellMode.Mono, Wanted: false);

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, Wanted ? Cols : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), Wanted ? Rows : (ushort)0);
        bytes[4] = Wanted ? (byte)Mode : NoVideo;
        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<byte> body, out VideoRequest request)
    {
        request = None;
        if (body.Length != Size)
        {
            return false;
        }

        if (body[4] == NoVideo)
        {
            return true;
        }

        var cols = BinaryPrimitives.ReadUInt16BigEndian(body);
        var rows = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
        if (body[4] > (byte)CellMode.GlyphColor || cols == 0 || rows == 0 || (long)cols * rows > VideoFrameCodec.MaxCells)
        {
            return false;
        }

        request = new VideoRequest(cols, rows, (CellMode)body[4]);
        return true;
    }
}
