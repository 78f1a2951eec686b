namespace MeshConf.Core.Video;

/// <summary>
/// The built-in video source (`--video pattern`): a frame that needs no camera and no ffmpeg, and changes
/// from frame to frame the way a webcam picture does: a colour gradient that drifts a small step once a second
/// (every pixel then moves a little, as when a camera's exposure settles), a ball bouncing across it and a bar
/// sweeping round (a few regions change a lot, every frame), the participant's name, and a running clock
/// (mm:ss.t) that proves frames are live. A pure function of (name, size, time), so a test can regenerate any
/// frame exactly. Writes rgb24 into the caller's buffer; allocates nothing after construction. Not thread-safe
/// (it keeps the gradient of the current drift step): one per source.
/// </summary>
/// <remarks>
/// Why the drift steps: drifting a little every frame changes nearly every cell of every frame, and even a
/// lossless codec that predicts each cell from its neighbours then needs about 210 kbit/s for one 80 x 40
/// truecolor stream at 15 fps; stepping once a second keeps the motion and needs about 90 (the measurements are
/// for the exact codec of frame format 2; the perceptual codec since needs far less for both). A real camera on a still room behaves like the
/// stepped pattern. The gradient is the costly part to draw, so it is drawn once per step and copied.
/// </remarks>
internal sealed class TestPattern
{
    /// <summary>How often the gradient drifts a step; one full cycle of the gradient takes <see cref="DriftCycle"/>.</summary>
    public static readonly TimeSpan DriftStep = TimeSpan.FromSeconds(1);

    /// <summary>The time the gradient takes to drift through one full cycle, in <see cref="DriftStep"/> steps.</summary>
    public static readonly TimeSpan DriftCycle = TimeSpan.FromSeconds(20);

    private readonly string _name;

    // The gradient of drift step _gradientStep (none yet: -1), owned by the pattern.
    private readonly byte[] _gradient;
    private long _gradientStep = -1;

    public TestPattern(string name, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 16);
        _name = name;
        Width = width;
        Height = height;
        _gradient = new byte[FrameBytes];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes of one rgb24 frame.</summary>
    public int FrameBytes => Width * Height * 3;

    /// <summary>Draws the frame for time <paramref name="time"/> since the source started.</summary>
    public void Render(TimeSpan time, Span<byte> rgb)
    {
        if (rgb.Length < FrameBytes)
        {
            throw new ArgumentException($"needs {FrameBytes} bytes", nameof(rgb));
        }

        var seconds = time.TotalSeconds;
        var step = time.Ticks / DriftStep.Ticks;
        if (step != _gradientStep)
        {
            DrawGradient(_gradient, (double)step * DriftStep.Ticks / DriftCycle.Ticks);
            _gradientStep = step;
        }

        _gradient.CopyTo(rgb);
        DrawBall(rgb, seconds);
        DrawBar(rgb, seconds);

        var scale = Math.Max(1, Math.Min(Width / (PixelFont.Advance * Math.Max(8, _name.Length + 2)), Height / 40));
        DrawText(rgb, _name, 2 * scale, 2 * scale, scale, 255, 255, 255);
        var clock = (long)(time.Ticks / TimeSpan.TicksPerMillisecond / 100);
        Span<char> text = stackalloc char[16];
        var length = FormatClock(clock, text);
        DrawText(rgb, text[..length], 2 * scale, Height - ((PixelFont.Height + 2) * scale), scale, 255, 255, 0);
    }

    /// <summary>Writes tenths of a second as "mm:ss.t" (minutes wrap at 100).</summary>
    internal static int FormatClock(long tenths, Span<char> text)
    {
        var minutes = (int)(tenths / 600 % 100);
        var secondsPart = (int)(tenths / 10 % 60);
        var tenth = (int)(tenths % 10);
        text[0] = (char)('0' + (minutes / 10));
        text[1] = (char)('0' + (minutes % 10));
        text[2] = ':';
        text[3] = (char)('0' + (secondsPart / 10));
        text[4] = (char)('0' + (secondsPart % 10));
        text[5] = '.';
        text[6] = (char)('0' + tenth);
        return 7;
    }

    // A diagonal gradient shifted by `phase` of a cycle.
    private void DrawGradient(Span<byte> rgb, double phase)
    {
        for (var y = 0; y < Height; y++)
        {
            var row = rgb.Slice(y * Width * 3, Width * 3);
            for (var x = 0; x < Width; x++)
            {
                var t = ((x / (double)Width) + (y / (double)Height * 0.5) + phase) % 1.0;
                row[(x * 3) + 0] = (byte)(40 + (80 * t));
                row[(x * 3) + 1] = (byte)(60 + (60 * (1 - t)));
                row[(x * 3) + 2] = (byte)(110 + (100 * t));
            }
        }
    }

    private void DrawBall(Span<byte> rgb, double seconds)
    {
        var radius = Math.Max(3, Math.Min(Width, Height) / 8);
        var x = Bounce(seconds * 0.37, radius, Width - radius);
        var y = Bounce(seconds * 0.53, radius, Height - radius);
        for (var py = (int)(y - radius); py <= (int)(y + radius); py++)
        {
            for (var px = (int)(x - radius); px <= (int)(x + radius); px++)
            {
                var dx = px - x;
                var dy = py - y;
                if ((dx * dx) + (dy * dy) <= radius * radius)
                {
                    Set(rgb, px, py, 240, 90, 40);
                }
            }
        }
    }

    private void DrawBar(Span<byte> rgb, double seconds)
    {
        // A bar from the centre, one turn every 4 s.
        var angle = seconds * Math.PI / 2;
        var (sin, cos) = Math.SinCos(angle);
        var length = Math.Min(Width, Height) * 0.4;
        var cx = Width / 2.0;
        var cy = Height / 2.0;
        for (var step = 0; step <= (int)length; step++)
        {
            var px = (int)(cx + (cos * step));
            var py = (int)(cy + (sin * step));
            for (var t = -1; t <= 1; t++)
            {
                Set(rgb, px + t, py, 250, 250, 250);
                Set(rgb, px, py + t, 250, 250, 250);
            }
        }
    }

    private void DrawText(Span<byte> rgb, ReadOnlySpan<char> text, int left, int top, int scale, byte r, byte g, byte b)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var glyph = PixelFont.Glyph(text[i]);
            var x0 = left + (i * PixelFont.Advance * scale);
            for (var gy = 0; gy < PixelFont.Height; gy++)
            {
                for (var gx = 0; gx < PixelFont.Width; gx++)
                {
                    if (!PixelFont.IsSet(glyph, gx, gy))
                    {
                        continue;
                    }

                    for (var sy = 0; sy < scale; sy++)
                    {
                        for (var sx = 0; sx < scale; sx++)
                        {
                            Set(rgb, x0 + (gx * scale) + sx, top + (gy * scale) + sy, r, g, b);
                        }
                    }
                }
            }
        }
    }

    private void Set(Span<byte> rgb, int x, int y, byte r, byte g, byte b)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        rgb[i] = r;
        rgb[i + 1] = g;
        rgb[i + 2] = b;
    }

    /// <summary>A triangle wave between <paramref name="low"/> and <paramref name="high"/>, one bounce per unit.</summary>
    private static double Bounce(double position, double low, double high)
    {
        var t = position % 2.0;
        var fraction = t <= 1 ? t : 2 - t;
        return low + ((high - low) * fraction);
    }
}
