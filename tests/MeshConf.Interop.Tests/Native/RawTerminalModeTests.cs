using MeshConf.Interop.Native;

namespace MeshConf.Interop.Tests.Native;

public sealed unsafe class RawTerminalModeTests
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
    public void Given_a_pseudo_terminal_When_raw_mode_is_entered_and_restored_Then_its_settings_change_and_come_back_exactly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "no termios on Windows");
        int master, slave;
        Assert.Equal(0, Termios.OpenPty(&master, &slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
        try
        {
            var before = Attributes(slave);
            var mode = RawTerminalMode.TryEnter(slave);
            Assert.NotNull(mode);
            var raw = Attributes(slave);
            Assert.NotEqual(before, raw);

            mode.Restore();
            Assert.Equal(before, Attributes(slave));
            mode.Dispose();
            Assert.Equal(before, Attributes(slave));
        }
        finally
        {
            Libc.Close(slave);
            Libc.Close(master);
        }
    }

    [Fact]
    public void Given_a_descriptor_that_is_not_a_terminal_When_entering_raw_mode_Then_nothing_happens()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open);
            var fd = (int)file.DangerousGetHandle();
            Assert.False(RawTerminalMode.IsTerminal(fd));
            Assert.Null(RawTerminalMode.TryEnter(fd));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
