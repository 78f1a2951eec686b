using MeshConf.Core.Audio;
using MeshConf.Interop.Native;
using MeshConf.Interop.Opus;
using MeshConf.TestSupport;

namespace MeshConf.Interop.Tests.Opus;

public sealed class OpusCodecTests
{
    private const int Rate = 48000;
    private const int Frame = 960; // 20 ms

    public OpusCodecTests() => SystemPiece.RequireLibrary(NativeDependency.Opus);

    [Fact]
    public void Version_names_libopus()
    {
        Assert.StartsWith("libopus 1.", OpusLibrary.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_voip_encoder_When_ctls_are_set_Then_they_read_back()
    {
        using var encoder = new OpusEncoder(Rate, 1, OpusApplication.Voip);

        encoder.Bitrate = 24000;
        encoder.Vbr = false;
        encoder.Complexity = 5;
        encoder.InbandFec = true;
        encoder.PacketLossPercent = 12;
        encoder.Dtx = true;
        encoder.Signal = OpusSignal.Voice;

        Assert.Equal(24000, encoder.Bitrate);
        Assert.False(encoder.Vbr);
        Assert.Equal(5, encoder.Complexity);
        Assert.True(encoder.InbandFec);
        Assert.Equal(12, encoder.PacketLossPercent);
        Assert.True(encoder.Dtx);
        Assert.Equal(OpusSignal.Voice, encoder.Signal);
        Assert.Equal(312, encoder.Lookahead);
        encoder.Reset();
        Assert.Equal(24000, encoder.Bitrate); // a reset keeps settings, drops only signal history
    }

    [Fact]
    public void Given_a_tone_When_round_tripped_at_24kbps_Then_level_and_pitch_survive()
    {
        var source = new short[Rate * 2];
        new SineOscillator(440, 0.4, Rate).Fill(source);

        var decoded = RoundTrip(source, bitrate: 24000, out var sizes);

        // Skip the first 100 ms while the codec settles; compare the rest.
        var settledIn = source.AsSpan(Rate / 10);
        var settledOut = decoded.AsSpan(Rate / 10);
        Assert.InRange(SignalMetrics.RmsDbfs(settledOut) - SignalMetrics.RmsDbfs(settledIn), -1.0, 1.0);
        Assert.InRange(SignalMetrics.ToneAmplitude(settledOut, 440, Rate), 0.8 * 0.4 * 32767, 1.2 * 0.4 * 32767);
        Assert.True(sizes.Max() <= 80, $"24 kbit/s CBR packets are about 60 bytes, got {sizes.Max()}");
    }

    [Fact]
    public void Given_speech_When_round_tripped_Then_level_holds_and_the_waveform_correlates()
    {
        var speech = SpeechSample.Get().Samples;

        var decoded = RoundTrip(speech, bitrate: 32000, out _);

        Assert.InRange(SignalMetrics.RmsDbfs(decoded) - SignalMetrics.RmsDbfs(speech), -1.5, 1.5);
        var (correlation, lag) = SignalMetrics.PeakCrossCorrelation(speech.AsSpan(0, Rate * 4), decoded.AsSpan(0, (Rate * 4) + 1000), maxLag: 1000);
        Assert.InRange(lag, 300, 320); // about the encoder's lookahead of 312 samples
        Assert.True(correlation > 0.8, $"correlation {correlation:F3}");
    }

    [Fact]
    public void Given_float_pcm_When_round_tripped_Then_it_matches_the_int16_path_in_level()
    {
        using var encoder = new OpusEncoder(Rate, 1, OpusApplication.Voip);
        using var decoder = new OpusDecoder(Rate, 1);
        var osc = new SineOscillator(700, 0.3, Rate);
        var input = new float[Frame];
        var output = new float[Frame];
        var packet = new byte[1275];
        var energy = 0.0;
        for (var i = 0; i < 50; i++)
        {
            osc.Fill(input);
            var length = encoder.Encode(input, Frame, packet);
            Assert.Equal(Frame, decoder.Decode(packet.AsSpan(0, length), output, Frame));
            if (i >= 10)
            {
                energy += output.Sum(s => (double)s * s);
            }
        }

        var rms = Math.Sqrt(energy / (40 * Frame));
        Assert.InRange(rms, 0.3 / Math.Sqrt(2) * 0.85, 0.3 / Math.Sqrt(2) * 1.15);
    }

    [Fact]
    public void Given_a_lost_packet_When_concealed_or_recovered_by_fec_Then_both_give_full_frames_and_fec_differs_for_speech()
    {
        var speech = SpeechSample.Get().Samples;
        using var encoder = NewVoipEncoder(24000);
        encoder.InbandFec = true;
        encoder.PacketLossPercent = 20;
        var packets = Encode(encoder, speech);
        var pcm = new short[Frame];
        var differing = 0;
        var fecFrames = 0;

        // Lose every 10th packet from 1 s on; decode each loss both ways on twin decoders.
        for (var lost = 50; lost < packets.Count - 1; lost += 10)
        {
            using var plcDecoder = new OpusDecoder(Rate, 1);
            using var fecDecoder = new OpusDecoder(Rate, 1);
            for (var i = 0; i < lost; i++)
            {
                plcDecoder.Decode(packets[i], pcm, Frame);
                fecDecoder.Decode(packets[i], pcm, Frame);
            }

            var concealed = new short[Frame];
            var recovered = new short[Frame];
            Assert.Equal(Frame, plcDecoder.DecodeMissing(concealed, Frame));
            Assert.Equal(Frame, fecDecoder.DecodeFec(packets[lost + 1], recovered, Frame));
            Assert.Equal(Frame, fecDecoder.Decode(packets[lost + 1], pcm, Frame));
            fecFrames++;
            if (!concealed.AsSpan().SequenceEqual(recovered) && SignalMetrics.Rms(recovered) > 0)
            {
                differing++;
            }
        }

        // FEC must have carried real information for most losses inside speech.
        Assert.True(differing >= fecFrames / 2, $"FEC differed from PLC in {differing} of {fecFrames} losses");
    }

    [Fact]
    public void Given_a_bad_frame_size_When_encoding_Then_an_OpusException_names_the_function_and_code()
    {
        using var encoder = new OpusEncoder(Rate, 1, OpusApplication.Voip);
        var pcm = new short[1000];

        var error = Assert.Throws<OpusException>(() => encoder.Encode(pcm, 1000, new byte[1275]));

        Assert.Equal("opus_encode", error.Function);
        Assert.Equal(-1, error.Code);
        Assert.Contains("invalid argument", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Given_an_unsupported_rate_When_creating_Then_opus_encoder_create_is_named()
    {
        var error = Assert.Throws<OpusException>(() => new OpusEncoder(44100, 1, OpusApplication.Voip));
        Assert.Equal("opus_encoder_create", error.Function);
    }

    [Fact]
    public void Given_a_corrupt_packet_When_decoding_Then_opus_reports_an_invalid_packet()
    {
        using var decoder = new OpusDecoder(Rate, 1);
        // TOC byte for code 3 (arbitrary frames) with a frame count of 0 is invalid per RFC 6716 §3.2.5.
        var error = Assert.Throws<OpusException>(() => decoder.Decode(new byte[] { 0x03, 0x00 }, new short[Frame], Frame));
        Assert.Equal(-4, error.Code);
    }

    [Fact]
    public void Packet_sample_count_is_read_from_the_toc()
    {
        using var encoder = NewVoipEncoder(24000);
        var packet = new byte[1275];
        var length = encoder.Encode(new short[Frame], Frame, packet);
        Assert.Equal(Frame, OpusLibrary.GetSampleCount(packet.AsSpan(0, length), Rate));
    }

    private static OpusEncoder NewVoipEncoder(int bitrate) =>
        new(Rate, 1, OpusApplication.Voip) { Bitrate = bitrate, Vbr = false };

    private static List<byte[]> Encode(OpusEncoder encoder, short[] source)
    {
        var packets = new List<byte[]>();
        var packet = new byte[1275];
        for (var offset = 0; offset + Frame <= source.Length; offset += Frame)
        {
            var length = encoder.Encode(source.AsSpan(offset, Frame), Frame, packet);
            packets.Add(packet.AsSpan(0, length).ToArray());
        }

        return packets;
    }

    private static short[] RoundTrip(short[] source, int bitrate, out List<int> sizes)
    {
        using var encoder = NewVoipEncoder(bitrate);
        using var decoder = new OpusDecoder(Rate, 1);
        var packets = Encode(encoder, source);
        sizes = packets.Select(p => p.Length).ToList();
        var output = new short[packets.Count * Frame];
        for (var i = 0; i < packets.Count; i++)
        {
            Assert.Equal(Frame, decoder.Decode(packets[i], output.AsSpan(i * Frame, Frame), Frame));
        }

        return output;
    }
}
