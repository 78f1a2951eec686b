namespace MeshConf.Terminal;

/// <summary>
/// What the terminal we draw on can do, decided once from the environment: colour depth (COLORTERM, TERM,
/// NO_COLOR), which block characters it draws (the locale, TERM and the terminals' own variables), size, and
/// whether output is a terminal at all. A value object: detection is a pure function
/// of its inputs so it is tested without a terminal.
/// </summary>
/// <param name="Colors">The colour depth to draw with.</param>
/// <param name="Columns">Width in cells, 0 when unknown.</param>
/// <param name="Rows">Height in cells, 0 when unknown.</param>
/// <param name="IsTerminal">False when stdout is redirected to a file or pipe.</param>
/// <param name="Term">The TERM value, or empty.</param>
/// <param name="Reason">Which variable decided <see cref="Colors"/>, for `meshconf doctor`.</param>
/// <param name="Quadrants">Whether the quadrant blocks can be expected to show: the locale is UTF-8.</param>
/// <param name="Sextants">Whether sextants can: a UTF-8 locale and a terminal known to draw them.</param>
/// <param name="RenderReason">What decided <see cref="Quadrants"/> and <see cref="Sextants"/>, for `meshconf doctor`.</param>
/// <remarks>
/// Sextants (U+1FB00..U+1FB3B) are in few fonts, so they are only assumed where the terminal draws block
/// characters itself or is known to ship them: kitty (TERM=xterm-kitty or KITTY_WINDOW_ID), foot (TERM=foot*),
/// WezTerm (TERM_PROGRAM=WezTerm), contour (TERM=contour* or TERM_PROGRAM=contour), Windows Terminal (WT_SESSION)
/// and VTE 0.62 or newer (VTE_VERSION >= 6200: GNOME Terminal, Tilix, ...). Anything else may show boxes, so it
/// is not assumed; `--render sextant` still forces it. The quadrants are in nearly every monospace font since the
/// 1990s and need only UTF-8 output.
/// </remarks>
public sealed record TerminalCapabilities(
    ColorMode Colors, int Columns, int Rows, bool IsTerminal, string Term, string Reason,
    bool Quadrants = false, bool Sextants = false, string RenderReason = "")
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
        var (quadrants, sextants, renderReason) = DecideBlocks(environment, term);
        return new TerminalCapabilities(mode, Math.Max(columns, 0), Math.Max(rows, 0), isTerminal, term, reason, quadrants, sextants, renderReason);
    }

    /// <summary>
    /// The render mode to draw with for a request: <see cref="RenderMode.Auto"/> is half blocks (the default until
    /// measurement says otherwise); an explicit mode is kept, with a one-line <paramref name="warning"/> when this
    /// terminal probably cannot draw it (else null).
    /// </summary>
    public RenderMode ChooseRender(RenderMode requested, out string? warning)
    {
        warning = requested switch
        {
            RenderMode.Quadrant when !Quadrants => $"--render quadrant: this terminal may not draw quadrant blocks ({RenderReason}); try --render halfblock if the picture shows boxes",
            RenderMode.Sextant when !Sextants => $"--render sextant: this terminal may not draw sextants ({RenderReason}); try --render quadrant if the picture shows boxes",
            _ => null,
        };
        return requested == RenderMode.Auto ? RenderMode.HalfBlock : requested;
    }

    // A UTF-8 locale: the first of LC_ALL, LC_CTYPE and LANG that is set (POSIX's order) names UTF-8.
    private static (bool Quadrants, bool Sextants, string Reason) DecideBlocks(Func<string, string?> environment, string term)
    {
        string? localeVariable = null, locale = null;
        foreach (var name in (ReadOnlySpan<string>)["LC_ALL", "LC_CTYPE", "LANG"])
        {
            if (environment(name) is { Length: > 0 } value)
            {
                (localeVariable, locale) = (name, value);
                break;
            }
        }

        if (locale is null)
        {
            return (false, false, "no locale set (LC_ALL, LC_CTYPE, LANG)");
        }

        if (!locale.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) && !locale.Contains("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return (false, false, $"{localeVariable}={locale} is not UTF-8");
        }

        var program = environment("TERM_PROGRAM") ?? string.Empty;
        var knownBy = term == "xterm-kitty" ? "TERM=xterm-kitty"
            : !string.IsNullOrEmpty(environment("KITTY_WINDOW_ID")) ? "KITTY_WINDOW_ID is set"
            : term.StartsWith("foot", StringComparison.Ordinal) ? $"TERM={term}"
            : term.StartsWith("contour", StringComparison.Ordinal) ? $"TERM={term}"
            : program.Equals("WezTerm", StringComparison.OrdinalIgnoreCase) || program.Equals("contour", StringComparison.OrdinalIgnoreCase) ? $"TERM_PROGRAM={program}"
            : !string.IsNullOrEmpty(environment("WT_SESSION")) ? "WT_SESSION is set"
            : int.TryParse(environment("VTE_VERSION"), out var vte) && vte >= 6200 ? $"VTE_VERSION={vte}"
            : null;
        return knownBy is null
            ? (true, false, $"{localeVariable}={locale}; no terminal known to draw sextants")
            : (true, true, $"{localeVariable}={locale}, {knownBy}");
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
