namespace MeshConf.Core.Video.Quality;

/// <summary>
/// The CIEDE2000 colour difference (CIE 142-2001), as G. Sharma, W. Wu and E. N. Dalal give it in "The CIEDE2000
/// Color-Difference Formula: Implementation Notes, Supplementary Test Data, and Mathematical Observations" (Color
/// Research and Application 30(1), 2005), with k_L = k_C = k_H = 1, and sRGB colours taken to CIELAB under D65
/// (IEC 61966-2-1 transfer function). For measuring pictures, not for hot paths: a few microseconds a pair.
/// </summary>
internal static class Ciede2000
{
    private static readonly double[] s_linear = BuildLinear();

    /// <summary>ΔE00 between two <c>0x00RRGGBB</c> sRGB colours.</summary>
    public static double Between(uint rgb1, uint rgb2)
    {
        if (rgb1 == rgb2)
        {
            return 0;
        }

        var (l1, a1, b1) = ToLab(rgb1);
        var (l2, a2, b2) = ToLab(rgb2);
        return Between(l1, a1, b1, l2, a2, b2);
    }

    /// <summary>CIELAB (D65) of a <c>0x00RRGGBB</c> sRGB colour.</summary>
    public static (double L, double A, double B) ToLab(uint rgb)
    {
        var r = s_linear[(rgb >> 16) & 0xFF];
        var g = s_linear[(rgb >> 8) & 0xFF];
        var b = s_linear[rgb & 0xFF];

        // sRGB (linear) to XYZ, normalised by the D65 white (0.95047, 1, 1.08883).
        var x = ((0.4124564 * r) + (0.3575761 * g) + (0.1804375 * b)) / 0.95047;
        var y = (0.2126729 * r) + (0.7151522 * g) + (0.0721750 * b);
        var z = ((0.0193339 * r) + (0.1191920 * g) + (0.9503041 * b)) / 1.08883;
        var fx = F(x);
        var fy = F(y);
        var fz = F(z);
        return ((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));

        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;
    }

    /// <summary>ΔE00 between two CIELAB colours.</summary>
    public static double Between(double l1, double a1, double b1, double l2, double a2, double b2)
    {
        const double Pow25To7 = 6103515625.0; // 25^7
        var c1 = Math.Sqrt((a1 * a1) + (b1 * b1));
        var c2 = Math.Sqrt((a2 * a2) + (b2 * b2));
        var cMean7 = Math.Pow((c1 + c2) / 2, 7);
        var g = 0.5 * (1 - Math.Sqrt(cMean7 / (cMean7 + Pow25To7)));
        var a1p = (1 + g) * a1;
        var a2p = (1 + g) * a2;
        var c1p = Math.Sqrt((a1p * a1p) + (b1 * b1));
        var c2p = Math.Sqrt((a2p * a2p) + (b2 * b2));
        var h1p = Hue(b1, a1p);
        var h2p = Hue(b2, a2p);

        var dLp = l2 - l1;
        var dCp = c2p - c1p;
        double dhp;
        if (c1p * c2p == 0)
        {
            dhp = 0;
        }
        else
        {
            dhp = h2p - h1p;
            if (dhp > 180)
            {
                dhp -= 360;
            }
            else if (dhp < -180)
            {
                dhp += 360;
            }
        }

        var dHp = 2 * Math.Sqrt(c1p * c2p) * Math.Sin(Radians(dhp / 2));
        var lMean = (l1 + l2) / 2;
        var cMeanP = (c1p + c2p) / 2;
        double hMean;
        if (c1p * c2p == 0)
        {
            hMean = h1p + h2p;
        }
        else if (Math.Abs(h1p - h2p) <= 180)
        {
            hMean = (h1p + h2p) / 2;
        }
        else
        {
            hMean = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
        }

        var t = 1
            - (0.17 * Math.Cos(Radians(hMean - 30)))
            + (0.24 * Math.Cos(Radians(2 * hMean)))
            + (0.32 * Math.Cos(Radians((3 * hMean) + 6)))
            - (0.20 * Math.Cos(Radians((4 * hMean) - 63)));
        var dTheta = 30 * Math.Exp(-Math.Pow((hMean - 275) / 25, 2));
        var cMeanP7 = Math.Pow(cMeanP, 7);
        var rc = 2 * Math.Sqrt(cMeanP7 / (cMeanP7 + Pow25To7));
        var lOffset = (lMean - 50) * (lMean - 50);
        var sl = 1 + (0.015 * lOffset / Math.Sqrt(20 + lOffset));
        var sc = 1 + (0.045 * cMeanP);
        var sh = 1 + (0.015 * cMeanP * t);
        var rt = -Math.Sin(Radians(2 * dTheta)) * rc;

        var lTerm = dLp / sl;
        var cTerm = dCp / sc;
        var hTerm = dHp / sh;
        return Math.Sqrt((lTerm * lTerm) + (cTerm * cTerm) + (hTerm * hTerm) + (rt * cTerm * hTerm));

        static double Hue(double b, double a)
        {
            if (a == 0 && b == 0)
            {
                return 0;
            }

            var h = Math.Atan2(b, a) * 180 / Math.PI;
            return h < 0 ? h + 360 : h;
        }

        static double Radians(double degrees) => degrees * Math.PI / 180;
    }

    private static double[] BuildLinear()
    {
        var table = new double[256];
        for (var i = 0; i < 256; i++)
        {
            var c = i / 255.0;
            table[i] = c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return table;
    }
}
