using System.Buffers.Binary;
using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

public sealed class WaveFileTests
{
    [Fact]
    public void Given_pcm16_When_written_and_read_Then_it_round_trips()
    {
        var audio = new PcmAudio(48000, 2, [1, -1, short.MaxValue, short.MinValue, 0, 1234]);
        using var stream = new MemoryStream();

        WaveFile.Write(stream, audio);
        var read = WaveFile.Parse(stream.ToArray());

        Assert.Equal(44 + 12, stream.Length);
        Assert.Equal(48000, read.SampleRate);
        Assert.Equal(2, read.Channels);
        Assert.Equal(audio.Samples, read.Samples);
        Assert.Equal(3, read.FrameCount);
    }

    [Fact]
    public void Given_float32_samples_When_parsed_Then_they_become_saturated_pcm16()
    {
        var file = new byte[44 + 12];
        WaveFile.WriteHeader(file, 16000, 1, 12);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), 3); // WAVE_FORMAT_IEEE_FLOAT
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), 32);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(44), 0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(48), -2f);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(52), 2f);

        var read = WaveFile.Parse(file);

        Assert.Equal([16384, short.MinValue, short.MaxValue], read.Samples);
    }

    [Fact]
    public void Given_extra_chunks_and_an_odd_chunk_When_parsed_Then_they_are_skipped()
    {
        using var stream = new MemoryStream();
        var header = new byte[44];
        WaveFile.WriteHeader(header, 8000, 1, 4);
        stream.Write(header.AsSpan(0, 36)); // RIFF + fmt
        stream.Write("LIST"u8);
        stream.Write([3, 0, 0, 0, 1, 2, 3, 0]); // 3-byte chunk plus its pad byte
        stream.Write(header.AsSpan(36)); // data header
        stream.Write([0x10, 0x00, 0xF0, 0xFF]);

        var read = WaveFile.Parse(stream.ToArray());

        Assert.Equal([16, -16], read.Samples);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'A', (byte)'V', (byte)'I', (byte)' ' })]
    public void Given_something_that_is_not_wave_When_parsed_Then_a_clear_error_is_raised(byte[] file)
    {
        var error = Assert.Throws<InvalidDataException>(() => WaveFile.Parse(file));
        Assert.Contains("not a WAVE file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_8_bit_pcm_When_parsed_Then_the_encoding_is_named_as_unsupported()
    {
        var file = new byte[46];
        WaveFile.WriteHeader(file, 8000, 1, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), 8);

        var error = Assert.Throws<InvalidDataException>(() => WaveFile.Parse(file));

        Assert.Contains("8 bits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_truncated_data_chunk_When_parsed_Then_what_is_there_is_read()
    {
        var file = new byte[44 + 4];
        WaveFile.WriteHeader(file, 8000, 1, int.MaxValue); // a streaming writer that never patched the size
        file[44] = 1;

        Assert.Equal([1, 0], WaveFile.Parse(file).Samples);
    }

    [Fact]
    public void Stereo_to_mono_averages_channels()
    {
        var stereo = new PcmAudio(8000, 2, [100, 300, -50, 50]);
        Assert.Equal([200, 0], stereo.ToMono().Samples);
    }
}
