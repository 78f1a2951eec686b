using System.Diagnostics;
using MeshConf.Core.Video;
using MeshConf.Core.Video.Quality;

namespace MeshConf.Core.Tests.Video;

/// <summary>What a stream of frames cost through the codec and how it looked at the receiver.</summary>
/// <param name="Kbps">Message bytes (header included, before sealing) per second of stream, in kbit/s.</param>
/// <param name="Fidelity">The receiver's picture at each frame against the exact conversion of that frame.</param>
/// <param name="FramesShown">Frames the receiver decoded and showed.</param>
/// <param name="FramesBad">Frames that decoded to a wrong picture or failed (must stay 0).</param>
/// <param name="LongestGap">The most frames in a row the receiver went without showing a new one.</param>
/// <param name="EncodeMicroseconds">Median encode time of a frame.</param>
/// <param name="DecodeMicroseconds">Median decode time of a frame.</param>
/// <param name="FinalAllowedKbps">The rate control's allowed rate at the end.</param>
/// <param name="RateDecreases">Times the rate control lowered the allowed rate.</param>
internal sealed record CodecRunResult(
    double Kbps, PictureFidelity Fidelity, int FramesShown, int FramesBad, int LongestGap,
    double EncodeMicroseconds, double DecodeMicroseconds, double FinalAllowedKbps, long RateDecreases);

/// <summary>
/// Runs rgb24 frames through conversion, <see cref="VideoFrameEncoder"/>, a lossy link and
/// <see cref="VideoFrameDecoder"/>, in virtual time (frame i is captured at i / fps), the receiver's feedback
/// coming back <c>feedbackDelayFrames</c> frames later over the same lossy link. Shared by the corpus tests and
/// other codec tests that need a stream figure.
/// </summary>
internal static class CodecRun
{
    public static CodecRunResult Run(
        IReadOnlyList<byte[]> frames, int width, int height, int cols, int rows, CellMode mode,
        VideoEncoderSettings? settings = null, double loss = 0, int feedbackDelayFrames = 1, int seed = 1, int repeat = 1, int warmUpFrames = 15)
    {
        settings ??= new VideoEncoderSettings();
        var fps = settings.Fps;
        var random = new Random(seed);
        var encoder = new VideoFrameEncoder(1, cols, rows, mode, settings);
        encoder.AddReceiver(7);
        var decoder = new VideoFrameDecoder();
        var source = new CellGrid(cols, rows, VideoFrameEncoder.SourceMode(mode));
        var exact = new CellGrid(cols, rows, mode);
        var blank = new CellGrid(cols, rows, mode);
        var message = new byte[VideoFrameCodec.MaxMessage(cols * rows, mode)];
        var fidelity = new PictureFidelity();
        var feedback = new Queue<(int Due, VideoFeedback Feedback)>();
        var encodeTimes = new List<double>();
        var decodeTimes = new List<double>();
        long bytes = 0;
        int shown = 0, bad = 0, gap = 0, longestGap = 0;
        var total = frames.Count * repeat;
        for (var n = 0; n < total; n++)
        {
            var frame = new RgbFrame(frames[n % frames.Count], width, height);
            var capture = (ulong)(n * 1_000_000L / fps);
            while (feedback.Count > 0 && feedback.Peek().Due <= n)
            {
                var back = feedback.Dequeue().Feedback;
                encoder.OnFeedback(7, back, capture);
            }

            FrameConverter.Convert(frame, source, mirror: false);
            FrameConverter.Convert(frame, exact, mirror: false);
            var started = Stopwatch.GetTimestamp();
            var length = encoder.Encode(source, capture, message);
            encodeTimes.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            bytes += length;

            var showedNew = false;
            if (random.NextDouble() >= loss)
            {
                started = Stopwatch.GetTimestamp();
                var result = decoder.Decode(message.AsSpan(0, length), out var header);
                decodeTimes.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                if (result == VideoDecodeResult.Decoded)
                {
                    shown++;
                    showedNew = true;
                    if (decoder.Current!.ContentHash() != encoder.LastPicture.ContentHash())
                    {
                        bad++;
                    }
                }
                else if (result is VideoDecodeResult.Malformed or VideoDecodeResult.HashMismatch)
                {
                    bad++;
                }

                if (random.NextDouble() >= loss)
                {
                    feedback.Enqueue((n + feedbackDelayFrames, decoder.Feedback));
                }
            }

            gap = showedNew ? 0 : gap + 1;
            longestGap = Math.Max(longestGap, gap);
            if (n >= warmUpFrames)
            {
                fidelity.Add(decoder.Current ?? blank, exact);
            }
        }

        return new CodecRunResult(
            bytes * 8.0 / (total / (double)fps) / 1000, fidelity, shown, bad, longestGap,
            Median(encodeTimes), Median(decodeTimes), encoder.Rate.AllowedKbps, encoder.Rate.Decreases);
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values[values.Count / 2];
    }
}
