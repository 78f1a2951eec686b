using MeshConf.Interop.Native;

namespace MeshConf.Interop.Tests.Native;

public sealed unsafe class TerminalWindowTests
{
    [Fact]
    public void Given_a_pseudo_terminal_opened_at_a_size_When_resized_Then_both_ends_read_the_current_size()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "no pseudo-terminals on Windows");
        int master, slave;
        var initial = stackalloc ushort[4] { 37, 123, 0, 0 };
        Assert.Equal(0, Termios.OpenPty(&master, &slave, IntPtr.Zero, IntPtr.Zero, (IntPtr)initial));
        try
        {
            Assert.True(TerminalWindow.TryGetSize(slave, out var cols, out var rows));
            Assert.Equal((123, 37), (cols, rows));

            Assert.True(TerminalWindow.TrySetSize(master, 200, 51));
            Assert.True(TerminalWindow.TryGetSize(slave, out cols, out rows));
            Assert.Equal((200, 51), (cols, rows));
        }
        finally
        {
            Libc.Close(slave);
            Libc.Close(master);
        }
    }

    [Fact]
    public void Given_a_file_that_is_not_a_terminal_When_reading_its_size_Then_false()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            Assert.False(TerminalWindow.TryGetSize((int)file.DangerousGetHandle(), out var cols, out var rows));
            Assert.Equal((0, 0), (cols, rows));
            Assert.False(TerminalWindow.TrySetSize((int)file.DangerousGetHandle(), 0, 10));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
