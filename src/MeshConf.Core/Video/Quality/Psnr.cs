namespace MeshConf.Core.Video.Quality;

/// <summary>Peak signal-to-noise ratio of 8-bit samples: <c>10 · log10(255² / MSE)</c> in dB.</summary>
internal static class Psnr
{
    /// <summary>The PSNR of two equally long sample runs (luma or rgb24 bytes); +∞ when they are equal.</summary>
    public static double Compute(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (x.Length != y.Length || x.IsEmpty)
        {
            throw new ArgumentException($"Both runs need the same, non-zero length ({x.Length} and {y.Length}).", nameof(y));
        }

        long squared = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var d = x[i] - y[i];
            squared += d * d;
        }

        return squared == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255 * x.Length / squared);
    }
}
