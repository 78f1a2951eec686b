namespace MeshConf.Cli.Configuration;

/// <summary>Which layer an option's value came from, lowest precedence first.</summary>
internal enum SettingOrigin
{
    /// <summary>The option's built-in default.</summary>
    Default,

    /// <summary>The config file.</summary>
    File,

    /// <summary>A <c>MESHCONF_*</c> environment variable.</summary>
    Environment,

    /// <summary>The command line.</summary>
    CommandLine,
}
