using System.Runtime.CompilerServices;

namespace MeshConf.Core.Video;

/// <summary>
/// A fast colour difference in roughly CIELAB ΔE units, for the encoder's "would anyone see this change" test on
/// every cell of every frame. Exact CIEDE2000 (<see cref="Quality.Ciede2000"/>) costs a cube root and a dozen
/// trigonometric calls per pixel; this is a handful of integer multiplies.
/// </summary>
/// <remarks>
/// On gamma-encoded 8-bit values: luma difference <c>ΔY' = (54ΔR + 183ΔG + 19ΔB) / 256</c> (Rec. 709 weights), chroma
/// differences <c>ΔCb = ΔB − ΔY'</c> and <c>ΔCr = ΔR − ΔY'</c>, and <c>E² = 0.16·ΔY'² + 0.04·(ΔCb² + ΔCr²)</c>.
/// The luma weight is CIELAB's own slope: sRGB grey 128 is L* 53.6 and 138 is L* 57.3, 0.37 L* per level, and
/// L* is nearly linear in Y' over the mid-tones. Chroma weighs a quarter as much per level, as the eye's (and
/// CIEDE2000's) lower sensitivity to chroma differences at the small angles a terminal cell subtends. The tests
/// check it against <see cref="Quality.Ciede2000"/> over the corpus's colours.
/// </remarks>
internal static class PerceptualDistance
{
    /// <summary>E², in units of 1/100 ΔE², between two <c>0x00RRGGBB</c> colours: compare against <c>100·T²</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Squared100(uint a, uint b)
    {
        var dr = (int)((a >> 16) & 0xFF) - (int)((b >> 16) & 0xFF);
        var dg = (int)((a >> 8) & 0xFF) - (int)((b >> 8) & 0xFF);
        var db = (int)(a & 0xFF) - (int)(b & 0xFF);
        var dy = ((54 * dr) + (183 * dg) + (19 * db)) >> 8;
        var dcb = db - dy;
        var dcr = dr - dy;
        return (16 * dy * dy) + (4 * ((dcb * dcb) + (dcr * dcr)));
    }

    /// <summary>The distance itself, in ΔE-like units.</summary>
    public static double Of(uint a, uint b) => Math.Sqrt(Squared100(a, b)) / 10;
}
