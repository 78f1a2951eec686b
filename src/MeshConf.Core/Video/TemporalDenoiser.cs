using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MeshConf.Core.Video;

/// <summary>
/// A recursive temporal filter over the samples of a truecolor grid, run before the encoder decides what changed:
/// sensor noise makes every sample of a still scene wobble by a few levels from frame to frame, which would make
/// every cell look changed. Per pixel (a half-block cell's top and bottom), when the new sample lies within
/// <see cref="Gate"/> of the filtered one in every channel, the filtered value moves halfway to it (an exponential
/// average: noise variance falls to a third); when it differs more, the scene moved there and the filter takes
/// the new sample at once, so motion never smears. Block and glyph grids filter a cell's colours while its shape
/// (pattern or glyph, the foreground's top byte) stays the same. Allocates nothing after construction.
/// </summary>
internal sealed class TemporalDenoiser
{
    /// <summary>The largest per-channel step (of 255) that is taken for noise rather than change.</summary>
    public const int Gate = 10;

    private readonly uint[] _top;
    private readonly uint[] _bottom;
    private bool _primed;

    public TemporalDenoiser(int cells)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cells);
        _top = new uint[cells];
        _bottom = new uint[cells];
    }

    /// <summary>Forgets the past: the next frame passes through unchanged (after a scene cut or a size change).</summary>
    public void Reset() => _primed = false;

    /// <summary>
    /// Filters <paramref name="grid"/> (truecolor, block or glyph; as many cells as given to the constructor) in place.
    /// </summary>
    public void Filter(CellGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (!VideoFrameCodec.HasColorResiduals(grid.Mode) || grid.Count != _top.Length)
        {
            throw new ArgumentException($"a colour grid of {_top.Length} cells", nameof(grid));
        }

        if (!_primed)
        {
            grid.Foreground.CopyTo(_top);
            grid.Background.CopyTo(_bottom);
            _primed = true;
            return;
        }

        if (grid.Mode == CellMode.TrueColor)
        {
            Filter(grid.ForegroundStorage, _top, default);
            Filter(grid.BackgroundStorage, _bottom, default);
            return;
        }

        // Block and glyph cells: a cell's colours are filtered while its shape (the top byte) stays; a new shape is
        // a change, taken at once.
        Filter(grid.BackgroundStorage, _bottom, grid.ForegroundStorage);
        Filter(grid.ForegroundStorage, _top, default);
    }

    // With `shapes` given (the cells' foreground words, before filtering), only cells whose shape is the state's.
    private void Filter(Span<uint> samples, uint[] state, ReadOnlySpan<uint> shapes)
    {
        var i = Vector128.IsHardwareAccelerated ? FilterVectors(samples, state, shapes, _top) : 0;
        for (; i < samples.Length; i++)
        {
            var s = samples[i];
            var f = state[i];
            var shape = s & 0xFF000000;
            if ((shapes.IsEmpty ? shape != (f & 0xFF000000) : (shapes[i] & 0xFF000000) != (_top[i] & 0xFF000000)))
            {
                state[i] = s;
                continue;
            }

            int sr = (int)(s >> 16) & 0xFF, sg = (int)(s >> 8) & 0xFF, sb = (int)s & 0xFF;
            int fr = (int)(f >> 16) & 0xFF, fg = (int)(f >> 8) & 0xFF, fb = (int)f & 0xFF;
            if (Math.Abs(sr - fr) <= Gate && Math.Abs(sg - fg) <= Gate && Math.Abs(sb - fb) <= Gate)
            {
                // Halfway, rounding towards the new sample so that a steady step is followed to the last level.
                s = shape | (uint)(((fr + sr + (sr > fr ? 1 : 0)) >> 1) << 16 | ((fg + sg + (sg > fg ? 1 : 0)) >> 1) << 8 | ((fb + sb + (sb > fb ? 1 : 0)) >> 1));
                samples[i] = s;
            }

            state[i] = s;
        }
    }

    // The same filter four pixels at a time, byte-wise: exactly the scalar loop's results (a test holds them
    // equal), without its unpredictable branch on noise. Returns how many samples it did.
    private static int FilterVectors(Span<uint> samples, uint[] state, ReadOnlySpan<uint> shapes, uint[] top)
    {
        var bytes = MemoryMarshal.AsBytes(samples);
        var held = MemoryMarshal.AsBytes(state.AsSpan(0, samples.Length));
        var gate = Vector128.Create((byte)Gate);
        var colour = Vector128.Create(0x00FFFFFFu);
        var shape = Vector128.Create(0xFF000000u);
        var lowBits = Vector128.Create((byte)0x7F);
        var done = 0;
        for (; done + Vector128<byte>.Count <= bytes.Length; done += Vector128<byte>.Count)
        {
            var s = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(bytes), (nuint)done);
            var f = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(held), (nuint)done);

            // The cell keeps its shape (the top byte: 0 in truecolor; with `shapes`, the foreground's against the
            // filtered foreground's), and all three channels lie within the gate: noise.
            var sameShape = shapes.IsEmpty
                ? Vector128.Equals(s.AsUInt32() & shape, f.AsUInt32() & shape)
                : Vector128.Equals(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(shapes), (nuint)(done / sizeof(uint))) & shape,
                    Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(top), (nuint)(done / sizeof(uint))) & shape);
            var near = Vector128.LessThanOrEqual(Vector128.Max(s, f) - Vector128.Min(s, f), gate).AsUInt32();
            var noise = Vector128.Equals(near & colour, colour) & sameShape;

            // Halfway, rounded towards the new sample: up when it is above, down otherwise. floor((f + s) / 2) is
            // (f & s) + ((f ^ s) >> 1), the ceiling (f | s) - ((f ^ s) >> 1), each byte's shift kept in its byte.
            // The shape byte is the same on both sides, so it stays.
            var half = (f ^ s).AsUInt16() >>> 1;
            var halfBytes = half.AsByte() & lowBits;
            var halfway = Vector128.ConditionalSelect(Vector128.GreaterThan(s, f), (f | s) - halfBytes, (f & s) + halfBytes);
            var result = Vector128.ConditionalSelect(noise.AsByte(), halfway, s);
            result.StoreUnsafe(ref MemoryMarshal.GetReference(bytes), (nuint)done);
            result.StoreUnsafe(ref MemoryMarshal.GetReference(held), (nuint)done);
        }

        return done / sizeof(uint);
    }
}
