namespace MeshConf.Cli.Diagnostics;

/// <summary>One line of `meshconf doctor`.</summary>
/// <param name="Area">library, program, audio, camera, terminal.</param>
/// <param name="Name">What was checked, e.g. "opus".</param>
/// <param name="Status">The outcome.</param>
/// <param name="Detail">What was found (version, path, device) or what is wrong.</param>
/// <param name="Fix">How to fix a missing piece, one imperative sentence; null when nothing is to be done.</param>
public sealed record DoctorCheck(string Area, string Name, CheckStatus Status, string Detail, string? Fix = null);
