using System.IO.Pipes;
using MeshConf.Interop.Native;

namespace MeshConf.Interop.Tests.Native;

/// <summary>fd 2 silenced for a whole call, with the short scoped silencers still working inside it.</summary>
[Collection(StandardErrorCollection.Name)]
public sealed class NativeStderrTests
{
    [Fact]
    public void Given_fd2_silenced_until_disposed_When_written_meanwhile_and_after_Then_only_what_came_after_arrives()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        using var writeEnd = new AnonymousPipeClientStream(PipeDirection.Out, pipe.ClientSafePipeHandle);
        var original = Libc.Dup(2);
        Assert.True(original >= 0);
        try
        {
            // fd 2 is the pipe for this test.
            Assert.True(Libc.Dup2((int)pipe.ClientSafePipeHandle.DangerousGetHandle(), 2) >= 0);
            var silence = NativeStderr.SilenceUntilDisposed();
            Assert.NotNull(silence);
            WriteFd2("hidden\n");
            using (StderrSilencer.Begin())
            {
                WriteFd2("hidden too\n");
            }

            WriteFd2("still hidden\n"); // the short scope restored the long one's /dev/null, not the pipe
            silence.Dispose();
            silence.Dispose();
            WriteFd2("shown\n");
        }
        finally
        {
            Libc.Dup2(original, 2);
            Libc.Close(original);
        }

        pipe.DisposeLocalCopyOfClientHandle();
        writeEnd.Dispose();
        using var reader = new StreamReader(pipe);
        Assert.Equal("shown\n", reader.ReadToEnd());
    }

    private static void WriteFd2(string text)
    {
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(2, ownsHandle: false);
        using var stream = new FileStream(handle, FileAccess.Write, 1);
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        stream.Write(bytes);
    }
}

/// <summary>Tests that point this process's fd 2 elsewhere run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StandardErrorCollection
{
    public const string Name = "The process's standard error";
}
