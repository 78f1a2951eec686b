namespace MeshConf.Terminal;

/// <summary>How many colours the terminal can show, best last.</summary>
public enum ColorMode
{
    /// <summary>No colour at all: glyph ramps only.</summary>
    Mono = 0,

    /// <summary>The 16 ANSI colours.</summary>
    Ansi16 = 1,

    /// <summary>The xterm 256-colour palette.</summary>
    Ansi256 = 2,

    /// <summary>24-bit RGB.</summary>
    TrueColor = 3,
}
