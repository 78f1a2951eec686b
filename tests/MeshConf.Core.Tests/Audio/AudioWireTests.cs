using MeshConf.Core.Audio;
using MeshConf.Core.Video;

namespace MeshConf.Core.Tests.Audio;

public sealed class AudioWireTests
{
    public static TheoryData<ushort, uint, ushort, bool, bool> Headers => new()
    {
        { 0, 0, 480, false, false },
        { 1, 960, 960, true, false },
        { ushort.MaxValue, uint.MaxValue, 1920, true, true },
        { 0x8000, 0x8000_0000, 960, false, true },
        { 12345, 0xDEAD_BEEF, 480, true, false },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Given_a_header_and_payload_When_written_and_read_Then_every_field_and_byte_comes_back(ushort sequence, uint timestamp, ushort frameSamples, bool speech, bool muted)
    {
        var header = new AudioPacketHeader(sequence, timestamp, frameSamples, speech, muted);
        foreach (var payloadLength in new[] { 1, 2, 77, AudioPacketHeader.MaxPayload })
        {
            var payload = Enumerable.Range(0, payloadLength).Select(i => (byte)(i * 31 + 7)).ToArray();
            var message = new byte[AudioPacketHeader.MaxMessage];

            var length = header.Write(message, payload);

            Assert.Equal(AudioPacketHeader.Size + payloadLength, length);
            Assert.True(AudioPacketHeader.TryRead(message.AsSpan(0, length), out var read, out var readPayload));
            Assert.Equal(header, read);
            Assert.Equal(payload, readPayload.ToArray());
        }
    }

    [Fact]
    public void Given_a_known_header_Then_its_bytes_are_the_documented_big_endian_layout()
    {
        var header = new AudioPacketHeader(0x0102, 0x03040506, 960, IsSpeech: true, IsMuted: true);
        var message = new byte[AudioPacketHeader.Size + 1];

        header.Write(message, [0xAB]);

        Assert.Equal(new byte[] { 0x03, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x03, 0xC0, 0xAB }, message);
        Assert.Equal(20_000, header.FrameMicroseconds);
        Assert.Equal(10_000, new AudioPacketHeader(0, 0, 480, false).FrameMicroseconds);
        Assert.Equal(40_000, new AudioPacketHeader(0, 0, 1920, false).FrameMicroseconds);
    }

    [Fact]
    public void Given_malformed_messages_When_read_Then_each_is_refused()
    {
        var valid = new byte[AudioPacketHeader.Size + 3];
        new AudioPacketHeader(5, 5000, 960, true).Write(valid, [1, 2, 3]);
        Assert.True(AudioPacketHeader.TryRead(valid, out _, out _));

        Assert.False(AudioPacketHeader.TryRead([], out _, out _));
        Assert.False(AudioPacketHeader.TryRead(valid.AsSpan(0, AudioPacketHeader.Size), out _, out _), "no payload");
        Assert.False(AudioPacketHeader.TryRead(valid.AsSpan(0, 4), out _, out _));
        Assert.False(AudioPacketHeader.TryRead(new byte[AudioPacketHeader.MaxMessage + 1], out _, out _), "longer than any Opus packet");

        for (var flag = 4; flag < 256; flag <<= 1)
        {
            var unknownFlag = (byte[])valid.Clone();
            unknownFlag[0] |= (byte)flag;
            Assert.False(AudioPacketHeader.TryRead(unknownFlag, out _, out _), $"flag {flag}");
        }

        foreach (var samples in new ushort[] { 0, 120, 240, 479, 481, 959, 2880, 1919, ushort.MaxValue })
        {
            var odd = (byte[])valid.Clone();
            odd[7] = (byte)(samples >> 8);
            odd[8] = (byte)samples;
            Assert.False(AudioPacketHeader.TryRead(odd, out var header, out var payload), $"{samples} samples");
            Assert.Equal(default, header);
            Assert.True(payload.IsEmpty);
        }
    }

    [Fact]
    public void Given_random_bytes_When_read_Then_nothing_throws_and_whatever_is_accepted_rewrites_to_the_same_bytes()
    {
        var random = new Random(30);
        var accepted = 0;
        var buffer = new byte[AudioPacketHeader.MaxMessage + 16];
        var rewritten = new byte[AudioPacketHeader.MaxMessage];
        for (var i = 0; i < 200_000; i++)
        {
            var length = random.Next(0, 40);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 2 == 0 && length > 8)
            {
                // Half the cases get a plausible flags byte and frame length, so the accepting path is fuzzed too.
                buffer[0] &= 3;
                buffer[7] = (byte)(960 >> 8);
                buffer[8] = 960 & 0xFF;
            }

            if (AudioPacketHeader.TryRead(buffer.AsSpan(0, length), out var header, out var payload))
            {
                accepted++;
                var n = header.Write(rewritten, payload);
                Assert.True(buffer.AsSpan(0, length).SequenceEqual(rewritten.AsSpan(0, n)));
            }
        }

        Assert.InRange(accepted, 30_000, 100_000);
    }

    [Fact]
    public void Given_a_header_that_a_sender_of_ours_would_not_write_When_writing_Then_it_throws_before_anything_goes_out()
    {
        var buffer = new byte[AudioPacketHeader.MaxMessage + 1];

        Assert.Throws<InvalidOperationException>(() => new AudioPacketHeader(1, 1, 1000, true).Write(buffer));
        Assert.Throws<ArgumentException>(() => new AudioPacketHeader(1, 1, 960, true).Write(buffer, []));
        Assert.Throws<ArgumentException>(() => new AudioPacketHeader(1, 1, 960, true).Write(buffer, new byte[AudioPacketHeader.MaxPayload + 1]));
        Assert.Throws<ArgumentException>(() => new AudioPacketHeader(1, 1, 960, true).Write(buffer.AsSpan(0, 12), new byte[4]));
        Assert.Throws<ArgumentException>(() => new AudioPacketHeader(1, 1, 960, true).Write(buffer.AsSpan(0, 8)));
    }

    [Fact]
    public void Given_a_mute_state_When_encoded_and_decoded_Then_it_round_trips_and_every_other_byte_value_is_refused()
    {
        Assert.Equal([1], new AudioState(IsMuted: true).Encode());
        Assert.Equal([0], new AudioState(IsMuted: false).Encode());

        for (var value = 0; value < 256; value++)
        {
            var ok = AudioState.TryDecode([(byte)value], out var state);
            Assert.Equal(value is 0 or 1, ok);
            Assert.Equal(value == 1, state.IsMuted);
        }

        Assert.False(AudioState.TryDecode([], out _));
        Assert.False(AudioState.TryDecode([1, 0], out _));
    }

    [Fact]
    public void Given_the_message_types_Then_audio_has_its_own_numbers_apart_from_video()
    {
        Assert.Equal(0x30, AudioMessageType.Frame);
        Assert.Equal(0x31, AudioMessageType.State);
        byte[] video = [VideoMessageType.Frame, VideoMessageType.Request, VideoMessageType.KeyframeRequest, VideoMessageType.SourceState, VideoMessageType.Feedback];
        Assert.DoesNotContain(AudioMessageType.Frame, video);
        Assert.DoesNotContain(AudioMessageType.State, video);
    }
}
