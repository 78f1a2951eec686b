namespace MeshConf.Terminal;

/// <summary>
/// What the terminal we draw on can do, decided once from the environment: colour depth (COLORTERM, TERM,
/// NO_COLOR), size, and whether output is a terminal at all. A value object: detection is a pure function
/// of its inputs so it is tested without a terminal.
/// </summary>
/// <param name="Colors">The colour depth to draw with.</param>
/// <param name="Columns">Width in cells, 0 when unknown.</param>
/// <param name="Rows">Height in cells, 0 when unknown.</param>
/// <param name="IsTerminal">False when stdout is redirected to a file or pipe.</param>
/// <param name="Term">The TERM value, or empty.</param>
/// <param name="Reason">Which variable decided <see cref="Colors"/>, for `meshconf doctor`.</param>
public sealed record TerminalCapabilities(ColorMode Colors, int Columns, int Rows, bool IsTerminal, string Term, string Reason)
{
    /// <summary>The smallest terminal a call can be drawn in: one tile plus the status line.</summary>
    public const int MinimumColumns = 40;

    /// <inheritdoc cref="MinimumColumns"/>
    public const int MinimumRows = 12;

    /// <summary>True when the terminal is big enough to draw a call.</summary>
    public bool IsLargeEnough => Columns >= MinimumColumns && Rows >= MinimumRows;

    /// <summary>Detects the capabilities of the terminal this process writes to.</summary>
    public static TerminalCapabilities DetectCurrent()
    {
        var redirected = Console.IsOutputRedirected;
        int columns = 0, rows = 0;
        if (!redirected)
        {
            try
            {
                columns = Console.WindowWidth;
                rows = Console.WindowHeight;
            }
            catch (IOException)
            {
            }
        }

        return Detect(Environment.GetEnvironmentVariable, isTerminal: !redirected, columns, rows);
    }

    /// <summary>
    /// Detects from <paramref name="environment"/>. Order: NO_COLOR (no-color.org) wins; then COLORTERM
    /// truecolor/24bit; then TERM (*-direct, *256color*, dumb, anything else is 16 colours); COLUMNS/LINES
    /// stand in for a size the terminal did not report.
    /// </summary>
    public static TerminalCapabilities Detect(Func<string, string?> environment, bool isTerminal, int columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var term = environment("TERM") ?? string.Empty;
        var colorTerm = environment("COLORTERM") ?? string.Empty;
        if (columns <= 0 && int.TryParse(environment("COLUMNS"), out var c))
        {
            columns = c;
        }

        if (rows <= 0 && int.TryParse(environment("LINES"), out var r))
        {
            rows = r;
        }

        var (mode, reason) = DecideColors(environment("NO_COLOR"), colorTerm, term);
        return new TerminalCapabilities(mode, Math.Max(columns, 0), Math.Max(rows, 0), isTerminal, term, reason);
    }

    private static (ColorMode, string) DecideColors(string? noColor, string colorTerm, string term)
    {
        if (!string.IsNullOrEmpty(noColor))
        {
            return (ColorMode.Mono, "NO_COLOR is set");
        }

        if (colorTerm.Equals("truecolor", StringComparison.OrdinalIgnoreCase) || colorTerm.Equals("24bit", StringComparison.OrdinalIgnoreCase))
        {
            return (ColorMode.TrueColor, $"COLORTERM={colorTerm}");
        }

        if (term.Length == 0 || term == "dumb")
        {
            return (ColorMode.Mono, term.Length == 0 ? "TERM is not set" : "TERM=dumb");
        }

        if (term.EndsWith("-direct", StringComparison.Ordinal))
        {
            return (ColorMode.TrueColor, $"TERM={term}");
        }

        if (term.Contains("256color", StringComparison.Ordinal))
        {
            return (ColorMode.Ansi256, $"TERM={term}");
        }

        return (ColorMode.Ansi16, $"TERM={term}");
    }
}
