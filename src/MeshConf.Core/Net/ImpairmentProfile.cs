using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace MeshConf.Core.Net;

/// <summary>
/// How one direction of a link misbehaves: loss, delay, jitter, reordering and duplication, with the seed that
/// makes it repeatable. Every property is checked as it is set, so an instance is always valid.
/// The compact text form (<see cref="TryParse"/>, <see cref="ToString"/>) is
/// <c>loss=10%,delay=20ms,jitter=30ms,reorder=5%,gap=20ms,dup=1%,seed=7</c>: keys in any order, each optional.
/// </summary>
public sealed record ImpairmentProfile
{
    /// <summary>Longest <see cref="Delay"/>, <see cref="Jitter"/> or <see cref="ReorderGap"/> accepted.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(1);

    /// <summary>The <see cref="ReorderGap"/> of a profile that does not name one.</summary>
    public static readonly TimeSpan DefaultReorderGap = TimeSpan.FromMilliseconds(20);

    private const string KnownKeys = "loss, delay, jitter, reorder, gap, dup, seed";

    private readonly double _lossRate;
    private readonly TimeSpan _delay;
    private readonly TimeSpan _jitter;
    private readonly double _reorderRate;
    private readonly TimeSpan _reorderGap = DefaultReorderGap;
    private readonly double _duplicateRate;

    /// <summary>A perfect link: nothing lost, delayed, reordered or duplicated.</summary>
    public static ImpairmentProfile None { get; } = new();

    /// <summary>Fraction of datagrams dropped, 0 to 1 (1 cuts the link).</summary>
    public double LossRate
    {
        get => _lossRate;
        init => _lossRate = CheckRate(value, nameof(LossRate));
    }

    /// <summary>Base one-way delay every datagram gets.</summary>
    public TimeSpan Delay
    {
        get => _delay;
        init => _delay = CheckDuration(value, nameof(Delay));
    }

    /// <summary>
    /// Extra delay drawn per datagram, uniformly distributed over [0, Jitter]. Datagrams closer together than the
    /// jitter overtake each other now and then, as on a real jittery path.
    /// </summary>
    public TimeSpan Jitter
    {
        get => _jitter;
        init => _jitter = CheckDuration(value, nameof(Jitter));
    }

    /// <summary>Fraction of datagrams held back by an extra <see cref="ReorderGap"/> so that later ones overtake them, 0 to 1.</summary>
    public double ReorderRate
    {
        get => _reorderRate;
        init => _reorderRate = CheckRate(value, nameof(ReorderRate));
    }

    /// <summary>How much longer a reordered datagram is held back (20 ms unless set).</summary>
    public TimeSpan ReorderGap
    {
        get => _reorderGap;
        init => _reorderGap = CheckDuration(value, nameof(ReorderGap));
    }

    /// <summary>Fraction of delivered datagrams sent twice, 0 to 1; the copy gets its own delay and jitter.</summary>
    public double DuplicateRate
    {
        get => _duplicateRate;
        init => _duplicateRate = CheckRate(value, nameof(DuplicateRate));
    }

    /// <summary>Seed of the random sequence: the same seed gives the same decisions, datagram for datagram.</summary>
    public int Seed { get; init; }

    /// <summary>True when the profile changes nothing (whatever its seed).</summary>
    public bool IsNone => _lossRate == 0 && _delay == TimeSpan.Zero && _jitter == TimeSpan.Zero && _reorderRate == 0 && _duplicateRate == 0;

    /// <summary>Parses the compact form, throwing <see cref="FormatException"/> with the reason when it is wrong.</summary>
    public static ImpairmentProfile Parse(string text) =>
        TryParse(text, out var profile, out var error) ? profile : throw new FormatException(error);

    /// <summary>
    /// Parses the compact form, e.g. <c>loss=10%,delay=20ms,jitter=30ms,reorder=5%,dup=1%,seed=7</c>.
    /// Rates are percentages (<c>10%</c>) or fractions (<c>0.1</c>); durations need a unit (<c>us</c>, <c>ms</c>,
    /// <c>s</c>); <c>gap</c> is the <see cref="ReorderGap"/>. An empty string or <c>none</c> is <see cref="None"/>.
    /// Returns false with a one-line <paramref name="error"/> naming the offending part.
    /// </summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out ImpairmentProfile? profile,
        [NotNullWhen(false)] out string? error)
    {
        profile = null;
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            profile = None;
            error = null;
            return true;
        }

        double loss = 0, reorder = 0, duplicate = 0;
        TimeSpan delay = TimeSpan.Zero, jitter = TimeSpan.Zero, gap = DefaultReorderGap;
        var seed = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rawPart in text.Split(','))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                error = "an empty setting (two commas in a row, or one at the end)";
                return false;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"'{part}' is not key=value (known keys: {KnownKeys})";
                return false;
            }

            var key = part[..equals].Trim().ToLowerInvariant();
            var value = part[(equals + 1)..].Trim();
            if (!seen.Add(key))
            {
                error = $"'{key}' is given twice";
                return false;
            }

            var ok = key switch
            {
                "loss" => TryParseRate(key, value, out loss, out error),
                "reorder" => TryParseRate(key, value, out reorder, out error),
                "dup" => TryParseRate(key, value, out duplicate, out error),
                "delay" => TryParseDuration(key, value, out delay, out error),
                "jitter" => TryParseDuration(key, value, out jitter, out error),
                "gap" => TryParseDuration(key, value, out gap, out error),
                "seed" => TryParseSeed(value, out seed, out error),
                _ => Fail($"unknown key '{key}' (known keys: {KnownKeys})", out error),
            };
            if (!ok)
            {
                error ??= $"'{part}' is not valid";
                return false;
            }
        }

        profile = new ImpairmentProfile
        {
            LossRate = loss,
            Delay = delay,
            Jitter = jitter,
            ReorderRate = reorder,
            ReorderGap = gap,
            DuplicateRate = duplicate,
            Seed = seed,
        };
        error = null;
        return true;
    }

    /// <summary>
    /// The compact form, leaving out what is at its default (so <see cref="None"/> is <c>none</c>);
    /// <see cref="Parse"/> gives back an equal profile.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        AppendRate(text, "loss", _lossRate);
        AppendDuration(text, "delay", _delay);
        AppendDuration(text, "jitter", _jitter);
        AppendRate(text, "reorder", _reorderRate);
        if (_reorderGap != DefaultReorderGap)
        {
            AppendDuration(text, "gap", _reorderGap, evenWhenZero: true);
        }

        AppendRate(text, "dup", _duplicateRate);
        if (Seed != 0)
        {
            Append(text, "seed", Seed.ToString(CultureInfo.InvariantCulture));
        }

        return text.Length == 0 ? "none" : text.ToString();
    }

    private static double CheckRate(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a fraction from 0 to 1 (0.1 is 10%), not {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    private static TimeSpan CheckDuration(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero || value > MaxDuration)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be from 0 to {MaxDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, not {value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.");
        }

        return value;
    }

    private static bool TryParseRate(string key, string value, out double rate, out string? error)
    {
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1].TrimEnd() : value;
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out rate))
        {
            rate = percent ? rate / 100 : rate;
            if (rate >= 0 && rate <= 1)
            {
                error = null;
                return true;
            }
        }

        rate = 0;
        return Fail($"{key}: '{value}' is not a rate from 0% to 100% (or a fraction from 0 to 1)", out error);
    }

    private static bool TryParseDuration(string key, string value, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        var (number, ticksPerUnit) =
            value.EndsWith("us", StringComparison.OrdinalIgnoreCase) ? (value[..^2], TimeSpan.TicksPerMicrosecond)
            : value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], TimeSpan.TicksPerMillisecond)
            : value.EndsWith('s') || value.EndsWith('S') ? (value[..^1], TimeSpan.TicksPerSecond)
            : (value, 0L);
        if (ticksPerUnit == 0)
        {
            return Fail($"{key}: '{value}' needs a unit: us, ms or s (e.g. 20ms)", out error);
        }

        // The first bound keeps the multiplication from overflowing a decimal.
        if (!decimal.TryParse(number.TrimEnd(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount > MaxDuration.Ticks
            || amount * ticksPerUnit > MaxDuration.Ticks)
        {
            return Fail($"{key}: '{value}' is not a duration from 0 to {MaxDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", out error);
        }

        duration = TimeSpan.FromTicks((long)Math.Round(amount * ticksPerUnit));
        error = null;
        return true;
    }

    private static bool TryParseSeed(string value, out int seed, out string? error)
    {
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
        {
            error = null;
            return true;
        }

        return Fail($"seed: '{value}' is not a 32-bit integer", out error);
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    private static void AppendRate(StringBuilder text, string key, double rate)
    {
        if (rate == 0)
        {
            return;
        }

        // The shortest percentage that parses back to exactly this double; a fraction when none does.
        for (var digits = 15; digits <= 17; digits++)
        {
            var percent = (rate * 100).ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (!percent.Contains('E', StringComparison.Ordinal)
                && double.Parse(percent, CultureInfo.InvariantCulture) / 100 == rate)
            {
                Append(text, key, percent + "%");
                return;
            }
        }

        Append(text, key, rate.ToString("R", CultureInfo.InvariantCulture));
    }

    private static void AppendDuration(StringBuilder text, string key, TimeSpan duration, bool evenWhenZero = false)
    {
        if (duration == TimeSpan.Zero && !evenWhenZero)
        {
            return;
        }

        // Ticks are 100 ns, so four decimals of a millisecond hold any TimeSpan exactly.
        var milliseconds = (decimal)duration.Ticks / TimeSpan.TicksPerMillisecond;
        Append(text, key, milliseconds.ToString("0.####", CultureInfo.InvariantCulture) + "ms");
    }

    private static void Append(StringBuilder text, string key, string value)
    {
        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(key).Append('=').Append(value);
    }
}
