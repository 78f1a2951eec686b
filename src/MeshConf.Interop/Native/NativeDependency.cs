using System.Runtime.InteropServices;

namespace MeshConf.Interop.Native;

/// <summary>
/// One native library MeshConf loads at run time: the names it goes by on each platform, the package that
/// provides it, and where it was found. Loading is attempted once and the outcome cached.
/// </summary>
public sealed class NativeDependency
{
    /// <summary>The Opus reference codec (RFC 6716).</summary>
    public static readonly NativeDependency Opus = new(
        "opus", "Opus audio codec", "MESHCONF_LIBOPUS", debianPackage: "libopus0", homebrewPackage: "opus",
        linux: ["libopus.so.0"],
        macOS: ["libopus.0.dylib", "/opt/homebrew/lib/libopus.0.dylib", "/usr/local/lib/libopus.0.dylib"],
        windows: ["opus.dll", "libopus-0.dll"]);

    /// <summary>PortAudio, the portable audio device layer.</summary>
    public static readonly NativeDependency PortAudio = new(
        "portaudio", "PortAudio audio devices", "MESHCONF_LIBPORTAUDIO", debianPackage: "libportaudio2", homebrewPackage: "portaudio",
        linux: ["libportaudio.so.2"],
        macOS: ["libportaudio.2.dylib", "/opt/homebrew/lib/libportaudio.2.dylib", "/usr/local/lib/libportaudio.2.dylib"],
        windows: ["portaudio.dll", "portaudio_x64.dll", "libportaudio-2.dll"]);

    /// <summary>ENet, reliable and unreliable UDP channels.</summary>
    public static readonly NativeDependency Enet = new(
        "enet", "ENet UDP transport", "MESHCONF_LIBENET", debianPackage: "libenet7", homebrewPackage: "enet",
        linux: ["libenet.so.7"],
        macOS: ["libenet.7.dylib", "/opt/homebrew/lib/libenet.7.dylib", "/usr/local/lib/libenet.7.dylib"],
        windows: ["enet.dll", "libenet.dll", "libenet-7.dll"]);

    /// <summary>speexdsp: echo cancellation, noise suppression, voice activity detection.</summary>
    public static readonly NativeDependency SpeexDsp = new(
        "speexdsp", "speexdsp echo canceller", "MESHCONF_LIBSPEEXDSP", debianPackage: "libspeexdsp1", homebrewPackage: "speexdsp",
        linux: ["libspeexdsp.so.1"],
        macOS: ["libspeexdsp.1.dylib", "/opt/homebrew/lib/libspeexdsp.1.dylib", "/usr/local/lib/libspeexdsp.1.dylib"],
        windows: ["speexdsp.dll", "libspeexdsp-1.dll"]);

    /// <summary>Every native library MeshConf binds, in the order `meshconf doctor` lists them.</summary>
    public static IReadOnlyList<NativeDependency> All { get; } = [Enet, Opus, PortAudio, SpeexDsp];

    private readonly Lock _gate = new();
    private readonly string[] _linux;
    private readonly string[] _macOS;
    private readonly string[] _windows;
    private bool _attempted;
    private IntPtr _handle;
    private string? _loadedName;
    private string? _problem;
    private string? _remedy;

    /// <summary>Creates a descriptor. Public so that tests can describe a library that does not exist.</summary>
    public NativeDependency(
        string logicalName, string description, string overrideVariable, string debianPackage, string homebrewPackage,
        string[] linux, string[] macOS, string[] windows)
    {
        LogicalName = logicalName;
        Description = description;
        OverrideVariable = overrideVariable;
        DebianPackage = debianPackage;
        HomebrewPackage = homebrewPackage;
        _linux = linux;
        _macOS = macOS;
        _windows = windows;
    }

    /// <summary>The name the bindings use in <c>[LibraryImport]</c>; the resolver maps it to a real file.</summary>
    public string LogicalName { get; }

    /// <summary>What the library does, for people.</summary>
    public string Description { get; }

    /// <summary>Environment variable that, when set, names the one file to load instead of the usual names.</summary>
    public string OverrideVariable { get; }

    /// <summary>The Debian/Ubuntu package that ships the library.</summary>
    public string DebianPackage { get; }

    /// <summary>The Homebrew formula that ships the library.</summary>
    public string HomebrewPackage { get; }

    /// <summary>The file names tried on this platform, in order.</summary>
    public IReadOnlyList<string> CandidateNames
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
            if (!string.IsNullOrEmpty(overridden))
            {
                return [overridden];
            }

            if (OperatingSystem.IsWindows())
            {
                return _windows;
            }

            return OperatingSystem.IsMacOS() ? _macOS : _linux;
        }
    }

    /// <summary>The primary name on this platform (the Linux soname here), for messages.</summary>
    public string PrimaryName => CandidateNames[0];

    /// <summary>The file that was loaded (a full path where the platform tells it), or null.</summary>
    public string? LoadedFrom
    {
        get
        {
            lock (_gate)
            {
                return _loadedName is null ? null : LoadedLibraryPath.Find(_loadedName) ?? _loadedName;
            }
        }
    }

    /// <summary>How to install the library on this platform, as one short imperative sentence.</summary>
    public string InstallHint
    {
        get
        {
            if (OperatingSystem.IsMacOS())
            {
                return $"install it with: brew install {HomebrewPackage}";
            }

            if (OperatingSystem.IsWindows())
            {
                return $"put {_windows[0]} next to meshconf.exe or on PATH";
            }

            return $"install it with: sudo apt-get install {DebianPackage}";
        }
    }

    /// <summary>Tries to load the library once; later calls return the cached outcome.</summary>
    public bool TryLoad(out IntPtr handle)
    {
        lock (_gate)
        {
            if (!_attempted)
            {
                _attempted = true;
                var tried = new List<string>();
                foreach (var name in CandidateNames)
                {
                    if (NativeLibrary.TryLoad(name, out var h))
                    {
                        _handle = h;
                        _loadedName = name;
                        break;
                    }

                    tried.Add(name);
                }

                if (_handle == IntPtr.Zero)
                {
                    if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } path)
                    {
                        _problem = $"{Description} could not be loaded from {OverrideVariable}={path}";
                        _remedy = "fix the path or unset it";
                    }
                    else
                    {
                        _problem = $"{Description} ({PrimaryName}) is not installed";
                        _remedy = InstallHint;
                    }
                }
            }

            handle = _handle;
            return handle != IntPtr.Zero;
        }
    }

    /// <summary>True when the library is loaded or can be.</summary>
    public bool IsAvailable => TryLoad(out _);

    /// <summary>The one-line reason loading failed, with its remedy; null when it did not fail.</summary>
    public string? Failure => Problem is null ? null : $"{Problem}: {Remedy}";

    /// <summary>What is wrong, when loading failed; else null.</summary>
    public string? Problem
    {
        get
        {
            TryLoad(out _);
            lock (_gate)
            {
                return _problem;
            }
        }
    }

    /// <summary>How to fix <see cref="Problem"/>; else null.</summary>
    public string? Remedy
    {
        get
        {
            TryLoad(out _);
            lock (_gate)
            {
                return _remedy;
            }
        }
    }

    /// <summary>
    /// Loads the library or throws <see cref="NativeDependencyMissingException"/> with an actionable message.
    /// Every binding calls this before its first native call, so a missing library never surfaces as
    /// <see cref="DllNotFoundException"/>.
    /// </summary>
    public void EnsureLoaded()
    {
        if (!TryLoad(out _))
        {
            throw new NativeDependencyMissingException(this, Failure!);
        }
    }

    /// <inheritdoc />
    public override string ToString() => LogicalName;
}
