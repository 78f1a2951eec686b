namespace MeshConf.Cli.Diagnostics;

/// <summary>The outcome of one doctor check.</summary>
public enum CheckStatus
{
    /// <summary>Present and working.</summary>
    Ok,

    /// <summary>Works, but worth knowing (e.g. output is not a terminal).</summary>
    Note,

    /// <summary>Missing: a full call is not possible until it is fixed.</summary>
    Missing,
}
