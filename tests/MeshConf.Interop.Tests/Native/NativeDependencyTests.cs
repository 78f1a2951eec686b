using MeshConf.Interop.Native;
using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.Native;

public sealed class NativeDependencyTests
{
    private static NativeDependency Missing(string variable) => new(
        "meshconf-missing", "Imaginary codec", variable, debianPackage: "libimaginary9", homebrewPackage: "imaginary",
        linux: ["libimaginary.so.9"], macOS: ["libimaginary.9.dylib"], windows: ["imaginary.dll"]);

    [Fact]
    public void Given_a_library_that_is_not_installed_When_a_binding_needs_it_Then_the_message_says_what_to_install()
    {
        var dependency = Missing("MESHCONF_TEST_UNSET_VARIABLE");

        var error = Assert.Throws<NativeDependencyMissingException>(dependency.EnsureLoaded);

        Assert.Same(dependency, error.Dependency);
        Assert.Equal("Imaginary codec (libimaginary.so.9) is not installed: install it with: sudo apt-get install libimaginary9", error.Message);
        Assert.False(dependency.IsAvailable);
        Assert.Null(dependency.LoadedFrom);
    }

    [Fact]
    public void Given_an_override_path_that_does_not_exist_When_loading_Then_the_message_names_the_variable()
    {
        var variable = "MESHCONF_TEST_OVERRIDE_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "/nonexistent/libimaginary.so.9");
        try
        {
            var dependency = Missing(variable);

            Assert.Equal(["/nonexistent/libimaginary.so.9"], dependency.CandidateNames);
            Assert.Contains(variable + "=/nonexistent/libimaginary.so.9", dependency.Failure, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Every_real_dependency_resolves_to_its_soname()
    {
        foreach (var dependency in NativeDependency.All)
        {
            SystemPiece.RequireLibrary(dependency);
            Assert.Contains(Path.GetFileName(dependency.PrimaryName), dependency.LoadedFrom, StringComparison.Ordinal);
            Assert.True(File.Exists(dependency.LoadedFrom), $"{dependency.LoadedFrom} should be a real file");
        }
    }

    [Fact]
    public void Sonames_follow_the_debian_packages()
    {
        Assert.Equal("libenet.so.7", NativeDependency.Enet.PrimaryName);
        Assert.Equal("libopus.so.0", NativeDependency.Opus.PrimaryName);
        Assert.Equal("libportaudio.so.2", NativeDependency.PortAudio.PrimaryName);
        Assert.Equal("libspeexdsp.so.1", NativeDependency.SpeexDsp.PrimaryName);
        Assert.Equal(["libenet7", "libopus0", "libportaudio2", "libspeexdsp1"], NativeDependency.All.Select(d => d.DebianPackage));
    }
}
