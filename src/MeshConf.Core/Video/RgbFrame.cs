namespace MeshConf.Core.Video;

/// <summary>
/// A borrowed view of one picture as packed rgb24: <c>Width * Height</c> pixels, three bytes each (red, green,
/// blue), rows top to bottom with no padding between them, which is what ffmpeg writes for
/// <c>-f rawvideo -pix_fmt rgb24</c>. The view owns nothing: the caller's buffer must not change while a
/// conversion reads it. <c>default</c> is the empty frame (0 x 0).
/// </summary>
internal readonly ref struct RgbFrame
{
    /// <summary>Bytes per pixel in rgb24.</summary>
    public const int BytesPerPixel = 3;

    /// <summary>
    /// The largest width or height accepted (ffmpeg's own limit is similar). It bounds the converter's per-column
    /// sums (255 · 16384 rows fits easily in 32 bits).
    /// </summary>
    public const int MaxDimension = 16384;

    /// <param name="pixels">At least <paramref name="width"/> * <paramref name="height"/> * 3 bytes; extra bytes are ignored.</param>
    /// <param name="width">Pixels per row, 1 to <see cref="MaxDimension"/>.</param>
    /// <param name="height">Rows, 1 to <see cref="MaxDimension"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the buffer is too short.</exception>
    public RgbFrame(ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        var length = (long)width * height * BytesPerPixel;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, pixels.Length, nameof(pixels));
        Pixels = pixels[..(int)length];
        Width = width;
        Height = height;
    }

    /// <summary>Exactly <c>Width * Height * 3</c> bytes of rgb24.</summary>
    public ReadOnlySpan<byte> Pixels { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>True for <c>default</c>: no pixels at all.</summary>
    public bool IsEmpty => Width == 0;
}
