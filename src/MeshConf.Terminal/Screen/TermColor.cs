namespace MeshConf.Terminal.Screen;

/// <summary>
/// A colour as the terminal is told it: the terminal's default, one of the 16 ANSI colours, one of the xterm
/// 256, or 24-bit RGB. The compositor picks the kind that matches the terminal's <see cref="ColorMode"/>.
/// Packed in one int so cells compare fast: kind in the top byte, value below.
/// </summary>
public readonly record struct TermColor
{
    private const int KindShift = 24;
    private readonly int _packed;

    private TermColor(TermColorKind kind, int value) => _packed = ((int)kind << KindShift) | value;

    public static TermColor Default => default;

    public TermColorKind Kind => (TermColorKind)(_packed >> KindShift);

    /// <summary>The palette index (16 or 256 kinds) or 0xRRGGBB (RGB kind).</summary>
    public int Value => _packed & 0xFFFFFF;

    public static TermColor Ansi16(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 15);
        return new TermColor(TermColorKind.Ansi16, index);
    }

    public static TermColor Ansi256(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 255);
        return new TermColor(TermColorKind.Ansi256, index);
    }

    public static TermColor Rgb(byte r, byte g, byte b) => new(TermColorKind.Rgb, (r << 16) | (g << 8) | b);

    public override string ToString() => Kind switch
    {
        TermColorKind.Default => "default",
        TermColorKind.Ansi16 => $"ansi16:{Value}",
        TermColorKind.Ansi256 => $"ansi256:{Value}",
        _ => $"#{Value:x6}",
    };
}

public enum TermColorKind : byte
{
    Default = 0,
    Ansi16 = 1,
    Ansi256 = 2,
    Rgb = 3,
}
