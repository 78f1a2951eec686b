namespace MeshConf.Core.Video.Quality;

/// <summary>The local window <see cref="Ssim"/> measures statistics in. Public only so that test theories can take it.</summary>
public enum SsimWindow
{
    /// <summary>11 x 11 circular-symmetric Gaussian, σ = 1.5, weights summing to 1 (Wang et al. 2004, §III.C).</summary>
    Gaussian11 = 0,

    /// <summary>8 x 8 uniform window moved pixel by pixel (the paper's first, blockier choice).</summary>
    Box8 = 1,
}
