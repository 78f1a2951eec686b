using System.Text;
using MeshConf.Interop.Native;

namespace MeshConf.Terminal.Tests;

public sealed unsafe class TerminalSessionTests
{
    private static byte[] Attributes(int fd)
    {
        var buffer = new byte[Termios.BufferSize];
        fixed (byte* p = buffer)
        {
            Assert.Equal(0, Termios.GetAttributes(fd, p));
        }

        return buffer;
    }

    [Fact]
    public void Given_a_pseudo_terminal_When_a_session_starts_and_ends_Then_the_screen_and_the_settings_are_given_back()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "no pseudo-terminals on Windows");
        int master, slave;
        Assert.Equal(0, Termios.OpenPty(&master, &slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
        using var masterHandle = new Microsoft.Win32.SafeHandles.SafeFileHandle(master, ownsHandle: true);
        using var slaveHandle = new Microsoft.Win32.SafeHandles.SafeFileHandle(slave, ownsHandle: true);
        using var output = new FileStream(slaveHandle, FileAccess.Write, bufferSize: 0);
        using var reader = new FileStream(masterHandle, FileAccess.Read, bufferSize: 0);
        var before = Attributes(slave);

        var session = TerminalSession.TryStart(slave, output);
        Assert.NotNull(session);
        Assert.NotEqual(before, Attributes(slave));
        session.Write("frame"u8);
        session.Dispose();
        session.Restore();
        session.Write("after"u8);

        Assert.Equal(before, Attributes(slave));
        // Everything is written already; the pty may hand it over in several reads.
        var buffer = new byte[4096];
        var text = string.Empty;
        while (!text.EndsWith("\e[?1049l", StringComparison.Ordinal) && text.Length < 4096)
        {
            var read = reader.Read(buffer);
            Assert.True(read > 0, "the pseudo-terminal closed early");
            text += Encoding.UTF8.GetString(buffer, 0, read);
        }

        Assert.StartsWith("\e[?1049h\e[?25l", text, StringComparison.Ordinal);
        Assert.Contains("frame", text, StringComparison.Ordinal);
        Assert.EndsWith("\e[?25h\e[?1049l", text, StringComparison.Ordinal);
        Assert.DoesNotContain("after", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_input_that_is_not_a_terminal_When_starting_Then_nothing_is_taken_over()
    {
        using var output = new MemoryStream();
        var path = Path.GetTempFileName();
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open);
            Assert.Null(TerminalSession.TryStart((int)file.DangerousGetHandle(), output));
            Assert.Equal(0, output.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
