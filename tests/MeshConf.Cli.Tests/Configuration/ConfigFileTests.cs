using MeshConf.Cli.Configuration;

namespace MeshConf.Cli.Tests.Configuration;

public sealed class ConfigFileTests
{
    private const string Path = "/home/me/.config/meshconf/config";

    [Fact]
    public void Given_comments_blanks_sections_and_quotes_When_parsed_Then_each_setting_keeps_its_section_value_and_line()
    {
        const string text = "# defaults\r\n\r\nname = darker\n  peer=10.0.0.2:5000  \n[join]\nvideo = file:/tmp/a b.mp4\npassphrase = \"  two words # kept \"\n\n[ discover ]\nwatch = yes\n";

        Assert.True(ConfigFile.TryParse(Path, text, out var file, out var error), error);

        Assert.Equal(
            [
                new ConfigEntry(null, "name", "darker", 3),
                new ConfigEntry(null, "peer", "10.0.0.2:5000", 4),
                new ConfigEntry("join", "video", "file:/tmp/a b.mp4", 6),
                new ConfigEntry("join", "passphrase", "  two words # kept ", 7),
                new ConfigEntry("discover", "watch", "yes", 10),
            ],
            file.Entries);
        Assert.Equal($"{Path}:6", file.Where(file.Entries[2]));
    }

    [Fact]
    public void Given_a_hash_inside_a_value_When_parsed_Then_it_is_part_of_the_value()
    {
        Assert.True(ConfigFile.TryParse(Path, "passphrase = correct#horse", out var file, out _));

        Assert.Equal("correct#horse", Assert.Single(file.Entries).Value);
    }

    [Theory]
    [InlineData("name darker", "2: expected 'key = value', '[command]' or '# comment', not 'name darker'")]
    [InlineData("--name = darker", "2: write the key without dashes: 'name = ...'")]
    [InlineData("my name = darker", "2: 'my name' is not a setting name (letters, digits and '-', like no-mdns)")]
    [InlineData("name =", "2: 'name' has no value (leave the line out for the default)")]
    [InlineData("name = \"\"", "2: 'name' has no value (leave the line out for the default)")]
    [InlineData("[join", "2: '[join' is not a section: write [command], e.g. [join]")]
    [InlineData("[]", "2: '[]' is not a section: write [command], e.g. [join]")]
    public void Given_a_bad_line_When_parsed_Then_the_error_is_one_line_naming_file_and_line(string line, string expected)
    {
        Assert.False(ConfigFile.TryParse(Path, "# first\n" + line + "\nfps = 10\n", out var file, out var error));

        Assert.Equal($"{Path}:{expected}", error);
        Assert.DoesNotContain('\n', error);
        Assert.True(file.IsEmpty);
    }

    [Fact]
    public void Given_no_file_When_loaded_Then_it_is_empty_and_not_an_error()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "meshconf-no-such-" + Guid.NewGuid().ToString("N"), ConfigFile.FileName);

        Assert.True(ConfigFile.TryLoad(path, out var file, out var error), error);

        Assert.True(file.IsEmpty);
        Assert.Equal(path, file.Path);
    }

    [Fact]
    public void Given_a_file_When_loaded_Then_its_settings_are_read()
    {
        var directory = Directory.CreateTempSubdirectory("meshconf-config-file-");
        try
        {
            var path = ConfigFile.PathIn(directory.FullName);
            File.WriteAllText(path, "[join]\nname = darker\n");

            Assert.True(ConfigFile.TryLoad(path, out var file, out var error), error);

            Assert.Equal(System.IO.Path.Combine(directory.FullName, "config"), path);
            Assert.Equal(new ConfigEntry("join", "name", "darker", 2), Assert.Single(file.Entries));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
