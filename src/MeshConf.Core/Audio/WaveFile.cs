using System.Buffers.Binary;
using System.Text;

namespace MeshConf.Core.Audio;

/// <summary>
/// RIFF/WAVE reading and writing for PCM: 16-bit integer and 32-bit float in, 16-bit integer out. Enough for
/// espeak-ng, sox, ffmpeg and every recorder's output. Malformed files raise <see cref="InvalidDataException"/>
/// with a one-line reason.
/// </summary>
public static class WaveFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads a whole WAVE file.</summary>
    public static PcmAudio Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>Reads a whole WAVE stream.</summary>
    public static PcmAudio Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Parse(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }

    /// <summary>Parses WAVE bytes.</summary>
    public static PcmAudio Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a WAVE file (no RIFF/WAVE header)");
        }

        ushort format = 0, channels = 0, bits = 0;
        var rate = 0;
        var haveFormat = false;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4));
            var bodyStart = position + 8;
            // A streaming writer may leave the data size at 0 or 0xFFFFFFFF: take what is there.
            var available = file.Length - bodyStart;
            var bodyLength = size > (uint)available ? available : (int)size;
            var body = file.Slice(bodyStart, bodyLength);
            if (id.SequenceEqual("fmt "u8))
            {
                if (body.Length < 16)
                {
                    throw new InvalidDataException("WAVE fmt chunk is too short");
                }

                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (format == FormatExtensible && body.Length >= 26)
                {
                    format = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]);
                }

                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    throw new InvalidDataException("WAVE data chunk comes before its fmt chunk");
                }

                return Decode(format, channels, rate, bits, body);
            }

            position = bodyStart + bodyLength + (bodyLength & 1);
        }

        throw new InvalidDataException("WAVE file has no data chunk");
    }

    /// <summary>Writes 16-bit PCM as a WAVE file.</summary>
    public static void Write(string path, PcmAudio audio)
    {
        using var stream = File.Create(path);
        Write(stream, audio);
    }

    /// <summary>Writes 16-bit PCM as a WAVE stream.</summary>
    public static void Write(Stream stream, PcmAudio audio)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(audio);
        Span<byte> header = stackalloc byte[44];
        WriteHeader(header, audio.SampleRate, audio.Channels, audio.Samples.Length * 2);
        stream.Write(header);
        var buffer = new byte[audio.Samples.Length * 2];
        for (var i = 0; i < audio.Samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(i * 2), audio.Samples[i]);
        }

        stream.Write(buffer);
    }

    /// <summary>Writes the 44-byte header of a canonical 16-bit PCM WAVE file.</summary>
    public static void WriteHeader(Span<byte> header, int sampleRate, int channels, int dataBytes)
    {
        Encoding.ASCII.GetBytes("RIFF", header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + dataBytes);
        Encoding.ASCII.GetBytes("WAVEfmt ", header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * channels * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        Encoding.ASCII.GetBytes("data", header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataBytes);
    }

    private static PcmAudio Decode(ushort format, ushort channels, int rate, ushort bits, ReadOnlySpan<byte> data)
    {
        if (channels is 0 or > 8 || rate is <= 0 or > 384_000)
        {
            throw new InvalidDataException($"WAVE format is implausible ({channels} channels at {rate} Hz)");
        }

        if (format == FormatPcm && bits == 16)
        {
            var samples = new short[data.Length / 2];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]);
            }

            return new PcmAudio(rate, channels, samples);
        }

        if (format == FormatFloat && bits == 32)
        {
            var samples = new short[data.Length / 4];
            for (var i = 0; i < samples.Length; i++)
            {
                var v = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
                samples[i] = SampleConversion.ToPcm16(v);
            }

            return new PcmAudio(rate, channels, samples);
        }

        throw new InvalidDataException($"unsupported WAVE encoding (format {format}, {bits} bits): use 16-bit PCM or 32-bit float");
    }
}
