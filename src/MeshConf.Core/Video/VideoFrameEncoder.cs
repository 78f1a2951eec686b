using System.IO.Compression;
using System.Numerics;

namespace MeshConf.Core.Video;

/// <summary>
/// Encodes one outgoing video stream of a fixed size and mode, for one or more receivers that asked for the same
/// picture. Each frame is the new picture's perceptible changes against the newest picture every receiver said it
/// holds (<see cref="OnFeedback"/>), or against the blank picture before they said any: a lost frame costs nothing
/// but the next frame's base, and no receiver ever has to ask for a keyframe. Allocates nothing after
/// construction. Not thread-safe: one per stream.
/// </summary>
/// <remarks>
/// <para>
/// Which cells: a cell is sent when what the receiver will show there (the base's cell) differs from the new
/// picture's cell by at least the rate control's threshold, in <see cref="PerceptualDistance"/> units. The
/// reference is what was sent, never the exact source, so errors cannot pile up: every shown cell is within the
/// threshold of its source while the rate allows. In the palette modes the new cell is the nearest palette colour
/// to the (denoised) source colour and the distance is what changing the cell would gain, so a colour between two
/// palette entries does not flip back and forth. Mono compares glyphs by how different they look
/// (<see cref="MonoGlyphs.Distance"/>: the RMS difference of their coverage samples, so shape counts as well as ink).
/// The block modes compare what the receiver would show: the largest distance over the cell's 4 or 6 sub-pixels
/// between the shown cell's colour there and the source's. A coloured glyph counts its colour's distance, or, when
/// its glyph changes, at least half its colour's distance from black (the ink moves).
/// </para>
/// <para>
/// Motion (truecolor): when the whole picture moved against the base (a pan, a hand's shake; <see cref="GlobalMotion"/>
/// finds it to an eighth of a pixel), the frame says so and the receiver moves its copy of the base before the changes
/// apply, so the cells compared, and the temporal residuals, are against the moved picture: on the corpus's panning
/// clip 18 % fewer bits for 4.7 dB more PSNR, on the hand-held portrait 9 % fewer.
/// </para>
/// <para>
/// How many: when a frame's changes would cost more than <see cref="VideoRateControl"/>'s bucket holds, only the
/// largest are sent (a histogram of the cells' distances picks the cut), and the rest follow in the next frames:
/// after a scene cut, or from the blank picture, the picture builds up over a few frames instead of one burst.
/// </para>
/// <para>
/// Input: the source grid (<see cref="SourceMode"/>) is truecolor for the half-block modes (the encoder quantizes
/// it, denoised, to the stream's mode itself), mono for mono, and the stream's own mode for the block and glyph
/// modes (their shapes are chosen at conversion; the encoder denoises and quantizes the colours).
/// </para>
/// </remarks>
internal sealed class VideoFrameEncoder
{
    /// <summary>Most receivers one stream serves (one bit each in a slot's acknowledgements).</summary>
    public const int MaxReceivers = 64;

    /// <summary>
    /// Bodies are range-coded (<see cref="CellEntropyCoder"/>, about a fifth smaller); Brotli is the fallback for a
    /// body the range coder would make larger than it is raw, and for <see cref="VideoEncoderSettings.RangeCoding"/>
    /// off. Brotli quality 4 with a 64 KB window. Measured on the corpus's hand-held portrait and moving person at
    /// 80 x 40 truecolor (6-7 KB raw a frame): quality 1 is 10 % larger, 3 and 4 are as small as 5 and 6 (within
    /// 1 %) at under half their time (about 0.1 ms against 0.25-0.3 ms); a window above 64 KB gains nothing,
    /// as a frame's body is rarely larger.
    /// </summary>
    private const int BrotliQuality = 4;

    private const int BrotliWindow = 16;

    /// <summary>Pictures kept for receivers to acknowledge (about 1.5 s at 15 fps).</summary>
    private const int Slots = 24;

    // Distances travel in quarter units in one byte: 0 = nothing to send, 255 = 63.75 and more.
    private const float QuarterUnits = 4;

    private readonly byte _stream;
    private readonly CellMode _mode;
    private readonly int _cols;
    private readonly int _subPixels;
    private readonly VideoRateControl _rate;
    private readonly TemporalDenoiser? _denoiser;
    private readonly CellGrid _blank;
    private readonly GlobalMotion? _motion;
    private readonly CellGrid? _moved;
    private readonly CellEntropyCoder? _entropy;
    private readonly Slot[] _slots = new Slot[Slots];
    private readonly Dictionary<ulong, int> _receivers = [];
    private ulong _allReceivers;

    // Scratch, owned by the encoder and sized for the grid: each cell's distance and its candidate value, the
    // raw body (built only when a frame is not range-coded), and the frame's runs before they join the run count.
    private readonly byte[] _distance;
    private readonly uint[] _candidateTop;
    private readonly uint[] _candidateBottom;
    private readonly byte[] _raw;
    private readonly byte[] _runs;
    private readonly int[] _histogram = new int[256];
    private int _runsLength;
    private int _runCount;
    private uint _sequence;
    private double _bytesPerCell;
    private int _bandStart;

    public VideoFrameEncoder(byte stream, int cols, int rows, CellMode mode, VideoEncoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        var cells = cols * rows;
        if (cells > VideoFrameCodec.MaxCells)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"at most {VideoFrameCodec.MaxCells} cells per frame");
        }

        _stream = stream;
        _mode = mode;
        _cols = cols;
        _subPixels = FrameConverter.BlockColumns * FrameConverter.BlockRows(mode);
        var target = settings.TargetKbps > 0 ? settings.TargetKbps : VideoEncoderSettings.DefaultKbps(mode, cells);
        _rate = new VideoRateControl(target, Math.Max(1, settings.Fps), settings.Threshold, Math.Max(settings.Threshold, VideoEncoderSettings.MaxThreshold));
        _denoiser = settings.Denoise && mode != CellMode.Mono ? new TemporalDenoiser(cells) : null;
        _blank = new CellGrid(cols, rows, mode);
        if (mode == CellMode.TrueColor && settings.Motion)
        {
            _motion = new GlobalMotion(cols, rows);
            _moved = new CellGrid(cols, rows, mode);
        }

        _entropy = settings.RangeCoding ? new CellEntropyCoder(cols, rows, mode) : null;
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot(new CellGrid(cols, rows, mode));
        }

        _distance = new byte[cells];
        _candidateTop = new uint[cells];
        _candidateBottom = new uint[cells];
        _raw = new byte[VideoFrameCodec.MaxRawBody(cells, mode)];
        _runs = new byte[6 * cells];
        _bytesPerCell = 0.7 * VideoFrameCodec.BytesPerCell(mode);
    }

    public int Cols => _cols;

    /// <summary>The mode of the grid <see cref="Encode"/> takes for a stream of <paramref name="mode"/>.</summary>
    public static CellMode SourceMode(CellMode mode) => mode switch
    {
        CellMode.Mono => CellMode.Mono,
        CellMode.TrueColor or CellMode.Ansi256 or CellMode.Ansi16 => CellMode.TrueColor,
        _ => mode,
    };

    public int Rows => _blank.Rows;

    public CellMode Mode => _mode;

    /// <summary>The header of the frame last encoded.</summary>
    public VideoFrameHeader LastHeader { get; private set; }

    /// <summary>Frames encoded so far (the last one's sequence).</summary>
    public uint Sequence => _sequence;

    /// <summary>Cells the last frame sent.</summary>
    public int LastCellsSent { get; private set; }

    /// <summary>Cells the last frame would have sent at its threshold but left for later (the rate was short).</summary>
    public int LastCellsDeferred { get; private set; }

    /// <summary>The rate control (target, allowed rate, threshold), for statistics.</summary>
    public VideoRateControl Rate => _rate;

    /// <summary>Frames built on the blank picture (no receiver had acknowledged one yet, or one lost its base).</summary>
    public long FramesFromBlank { get; private set; }

    /// <summary>The picture a receiver that decoded the last frame shows.</summary>
    public CellGrid LastPicture => Find(_sequence) ?? _blank;

    /// <summary>
    /// A receiver joins the stream; until it acknowledges a frame, frames build on the blank picture. False when
    /// the stream already serves <see cref="MaxReceivers"/>.
    /// </summary>
    public bool AddReceiver(ulong receiver)
    {
        if (_receivers.ContainsKey(receiver))
        {
            return true;
        }

        var free = BitOperations.TrailingZeroCount(~_allReceivers);
        if (free >= MaxReceivers)
        {
            return false;
        }

        _receivers.Add(receiver, free);
        _allReceivers |= 1UL << free;
        foreach (var slot in _slots)
        {
            slot.AckedBy &= ~(1UL << free);
        }

        return true;
    }

    public void RemoveReceiver(ulong receiver)
    {
        if (_receivers.Remove(receiver, out var bit))
        {
            _allReceivers &= ~(1UL << bit);
        }
    }

    /// <summary>Forgets what every receiver holds: the next frame builds on the blank picture.</summary>
    public void Restart()
    {
        foreach (var slot in _slots)
        {
            slot.AckedBy = 0;
        }

        _denoiser?.Reset();
    }

    /// <summary>
    /// A receiver's <see cref="VideoFeedback"/>, at <paramref name="nowMicroseconds"/> on the clock the capture
    /// times come from. False when it is not about this stream or not from one of its receivers.
    /// </summary>
    public bool OnFeedback(ulong receiver, in VideoFeedback feedback, ulong nowMicroseconds)
    {
        if (feedback.Stream != _stream || !_receivers.TryGetValue(receiver, out var bit) || feedback.Newest > _sequence)
        {
            return false;
        }

        var mask = 1UL << bit;
        long? delay = null;
        foreach (var slot in _slots)
        {
            if (feedback.BaseMissing)
            {
                slot.AckedBy &= ~mask;
            }
            else if (slot.Sequence != 0 && (slot.AckedBy & mask) == 0 && feedback.Holds(slot.Sequence))
            {
                slot.AckedBy |= mask;
                if (slot.Sequence == feedback.Newest)
                {
                    delay = (long)(nowMicroseconds - slot.CaptureMicroseconds);
                }
            }
        }

        _rate.OnFeedback(nowMicroseconds, feedback.LossPermille, delay);
        return true;
    }

    /// <summary>
    /// Encodes the next frame from <paramref name="source"/> (truecolor for the colour modes, mono for mono, the
    /// stream's size; denoised in place) into <paramref name="destination"/> (at least
    /// <see cref="VideoFrameCodec.MaxMessage"/> bytes) and returns the message length.
    /// </summary>
    public int Encode(CellGrid source, ulong captureMicroseconds, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sourceMode = SourceMode(_mode);
        if (source.Cols != _cols || source.Rows != _blank.Rows || source.Mode != sourceMode)
        {
            throw new ArgumentException($"a {_cols}x{_blank.Rows} {sourceMode} grid", nameof(source));
        }

        _denoiser?.Filter(source);
        var budget = _rate.BeginFrame(captureMicroseconds);
        var baseSlot = NewestAcknowledged();
        var basePicture = baseSlot?.Grid ?? _blank;
        if (baseSlot is null)
        {
            FramesFromBlank++;
        }

        var slot = Victim(baseSlot);
        var picture = slot.Grid;
        var (motionX, motionY) = _motion is not null && baseSlot is not null ? _motion.Estimate(basePicture, source) : (0, 0);
        if ((motionX | motionY) != 0)
        {
            // The receiver moves its base first: the changes are against the moved picture.
            GlobalMotion.Warp(basePicture, _moved!, motionX, motionY);
            basePicture = _moved!;
        }

        basePicture.CopyTo(picture);

        // What each cell would become, and how far the shown cell is from it; then the cut that fits the budget.
        var wanted = Measure(source, basePicture);
        var cut = Cut(wanted, budget);
        var rawLength = ApplyChanges(picture, basePicture, cut, out var sent, out var temporal);
        LastCellsSent = sent;
        LastCellsDeferred = wanted - sent;

        _sequence++;
        var body = destination[VideoFrameHeader.Size..];
        var compressed = false;
        var compressedLength = _entropy?.Encode(picture, basePicture, _distance, cut, temporal, body[..Math.Min(body.Length, rawLength)]) ?? -1;
        var rangeCoded = compressedLength >= 0;
        if (!rangeCoded)
        {
            WriteRaw(picture, basePicture, cut, temporal);
            compressed = rawLength > 16
                && BrotliEncoder.TryCompress(_raw.AsSpan(0, rawLength), body, out compressedLength, BrotliQuality, BrotliWindow)
                && compressedLength < rawLength;
            if (!compressed)
            {
                compressedLength = rawLength;
                _raw.AsSpan(0, rawLength).CopyTo(body);
            }
        }

        var header = new VideoFrameHeader(
            _stream, _sequence, baseSlot?.Sequence ?? 0, captureMicroseconds,
            (ushort)_cols, (ushort)_blank.Rows, _mode, compressed, picture.ContentHash(), temporal, (sbyte)motionX, (sbyte)motionY, rangeCoded);
        header.Write(destination);
        LastHeader = header;
        slot.Sequence = _sequence;
        slot.CaptureMicroseconds = captureMicroseconds;
        slot.AckedBy = 0;

        var length = VideoFrameHeader.Size + compressedLength;
        if (sent > 0)
        {
            _bytesPerCell = (0.8 * _bytesPerCell) + (0.2 * compressedLength / sent);
        }

        _rate.EndFrame(length);
        return length;
    }

    private CellGrid? Find(uint sequence)
    {
        foreach (var slot in _slots)
        {
            if (slot.Sequence == sequence && sequence != 0)
            {
                return slot.Grid;
            }
        }

        return null;
    }

    // The newest picture every receiver holds, or null (the blank picture).
    private Slot? NewestAcknowledged()
    {
        if (_allReceivers == 0)
        {
            return null;
        }

        Slot? best = null;
        foreach (var slot in _slots)
        {
            if (slot.Sequence != 0 && (slot.AckedBy & _allReceivers) == _allReceivers && (best is null || slot.Sequence > best.Sequence))
            {
                best = slot;
            }
        }

        return best;
    }

    // The oldest slot that is not the base.
    private Slot Victim(Slot? keep)
    {
        Slot? victim = null;
        foreach (var slot in _slots)
        {
            if (slot != keep && (victim is null || slot.Sequence < victim.Sequence))
            {
                victim = slot;
            }
        }

        return victim!;
    }

    // Fills _distance, the candidates and the histogram; returns how many cells reach the threshold.
    private int Measure(CellGrid source, CellGrid shown)
    {
        var histogram = _histogram.AsSpan();
        histogram.Clear();
        var distance = _distance.AsSpan();
        var top = source.Foreground;
        var bottom = source.Background;
        var shownTop = shown.Foreground;
        var shownBottom = shown.Background;
        var candidateTop = _candidateTop.AsSpan();
        var candidateBottom = _candidateBottom.AsSpan();
        for (var i = 0; i < distance.Length; i++)
        {
            uint newTop, newBottom;
            float d;
            switch (_mode)
            {
                case CellMode.TrueColor:
                    newTop = VideoFrameCodec.Quantize(top[i]);
                    newBottom = VideoFrameCodec.Quantize(bottom[i]);
                    d = newTop == shownTop[i] && newBottom == shownBottom[i]
                        ? 0
                        : MathF.Sqrt(Math.Max(PerceptualDistance.Squared100(shownTop[i], top[i]), PerceptualDistance.Squared100(shownBottom[i], bottom[i])));
                    break;
                case CellMode.Ansi256:
                case CellMode.Ansi16:
                    var xterm = _mode == CellMode.Ansi256;
                    newTop = xterm ? ColorQuantizer.NearestXterm256(top[i]) : ColorQuantizer.NearestAnsi16(top[i]);
                    newBottom = xterm ? ColorQuantizer.NearestXterm256(bottom[i]) : ColorQuantizer.NearestAnsi16(bottom[i]);
                    d = newTop == shownTop[i] && newBottom == shownBottom[i] ? 0 : PaletteGain(xterm, top[i], bottom[i], shownTop[i], shownBottom[i], newTop, newBottom);
                    break;
                case CellMode.Quadrant:
                case CellMode.Sextant:
                    (newTop, newBottom) = QuantizeBlock(top[i], bottom[i]);
                    d = newTop == shownTop[i] && newBottom == shownBottom[i] ? 0 : BlockDistance(shownTop[i], shownBottom[i], top[i], bottom[i], _subPixels);
                    break;
                case CellMode.GlyphColor:
                    newTop = FrameConverter.PackBlock((int)(top[i] >> 24), VideoFrameCodec.Quantize(top[i]));
                    newBottom = 0;
                    d = newTop == shownTop[i] ? 0 : GlyphDistance(shownTop[i], top[i]);
                    break;
                default:
                    newTop = top[i];
                    newBottom = 0;
                    d = newTop == shownTop[i] ? 0 : MonoDistance(newTop, shownTop[i]);
                    break;
            }

            candidateTop[i] = newTop;
            candidateBottom[i] = newBottom;

            // Distances are in tenths (from Squared100): to quarter units in a byte, any change at least 1.
            var q = d <= 0 ? 0 : Math.Clamp((int)(d * (QuarterUnits / 10)), 1, 255);
            distance[i] = (byte)q;
            histogram[q]++;
        }

        var threshold = ThresholdQuarterUnits();
        var wanted = 0;
        for (var q = threshold; q < 256; q++)
        {
            wanted += histogram[q];
        }

        return wanted;
    }

    private int ThresholdQuarterUnits() => Math.Clamp((int)Math.Ceiling(_rate.Threshold * QuarterUnits), 1, 255);

    // The lowest distance sent: the threshold, or higher when that many cells would not fit the budget. Then the
    // cells at the cut itself that do not fit are struck off (distance 0), taken in turn from where the last frame
    // stopped, so that a band moves over the picture and ties (every cell from the blank picture) all come.
    private int Cut(int wanted, int budget)
    {
        var threshold = ThresholdQuarterUnits();
        var affordable = (int)Math.Max(1, (budget - VideoFrameHeader.Size) / Math.Max(0.05, _bytesPerCell));
        if (wanted <= affordable)
        {
            return threshold;
        }

        var taken = 0;
        var cut = threshold;
        for (var q = 255; q >= threshold; q--)
        {
            if (taken + _histogram[q] > affordable)
            {
                cut = q;
                break;
            }

            taken += _histogram[q];
        }

        var quota = affordable - taken;
        var distance = _distance.AsSpan();
        var start = _bandStart % distance.Length;
        for (var j = 0; j < distance.Length; j++)
        {
            var i = start + j < distance.Length ? start + j : start + j - distance.Length;
            if (distance[i] != cut)
            {
                continue;
            }

            if (quota > 0)
            {
                quota--;
                _bandStart = i + 1;
            }
            else
            {
                distance[i] = 0;
            }
        }

        return cut;
    }

    // Applies every cell at or past the cut to the picture (a copy of the base), writes the runs, picks the
    // prediction that leaves the smaller residuals (see VideoFrameCodec), and returns the raw body's length.
    private int ApplyChanges(CellGrid picture, CellGrid basePicture, int cut, out int sent, out bool temporal)
    {
        var runs = _runs.AsSpan();
        var foreground = picture.ForegroundStorage;
        var background = picture.BackgroundStorage;
        var distance = _distance;
        int runsLength = 0, runCount = 0, i = 0, last = 0;
        sent = 0;
        while (i < distance.Length)
        {
            if (distance[i] < cut)
            {
                i++;
                continue;
            }

            var changed = i;
            while (i < distance.Length && distance[i] >= cut)
            {
                foreground[i] = _candidateTop[i];
                background[i] = _candidateBottom[i];
                i++;
            }

            runsLength += VideoFrameCodec.WriteVarint((uint)(changed - last), runs[runsLength..]);
            runsLength += VideoFrameCodec.WriteVarint((uint)(i - changed), runs[runsLength..]);
            sent += i - changed;
            last = i;
            runCount++;
        }

        temporal = VideoFrameCodec.HasColorResiduals(_mode) && !ReferenceEquals(basePicture, _blank)
            && VideoFrameCodec.TemporalIsSmaller(_mode, picture.Foreground, picture.Background, basePicture.Foreground, basePicture.Background, distance, cut, _cols);

        _runsLength = runsLength;
        _runCount = runCount;
        Span<byte> count = stackalloc byte[5];
        return VideoFrameCodec.WriteVarint((uint)runCount, count) + runsLength + (sent * VideoFrameCodec.BytesPerCell(_mode));
    }

    // The raw body (ApplyChanges' runs, then the sent cells), only for a frame that is not range-coded.
    private void WriteRaw(CellGrid picture, CellGrid basePicture, int cut, bool temporal)
    {
        var raw = _raw.AsSpan();
        var length = VideoFrameCodec.WriteVarint((uint)_runCount, raw);
        _runs.AsSpan(0, _runsLength).CopyTo(raw[length..]);
        length += _runsLength;
        var distance = _distance;
        for (var i = 0; i < distance.Length; i++)
        {
            if (distance[i] >= cut)
            {
                length += VideoFrameCodec.WriteCell(_mode, picture.Foreground, picture.Background, i, _cols, temporal, basePicture.Foreground[i], basePicture.Background[i], raw[length..]);
            }
        }
    }

    // What changing a palette cell from `shown` to the candidate gains, in tenths: the larger of the two pixels'
    // gains (distance to the source colour now minus after), never below a tenth so a real change counts.
    private static float PaletteGain(bool xterm, uint top, uint bottom, uint shownTop, uint shownBottom, uint newTop, uint newBottom)
    {
        var gainTop = Gain(xterm, top, shownTop, newTop);
        var gainBottom = Gain(xterm, bottom, shownBottom, newBottom);
        return Math.Max(1, Math.Max(gainTop, gainBottom));

        static float Gain(bool xterm, uint source, uint shown, uint candidate)
        {
            if (shown == candidate)
            {
                return 0;
            }

            var shownRgb = xterm ? ColorQuantizer.Xterm256Rgb((int)shown) : ColorQuantizer.Ansi16Rgb((int)shown);
            var newRgb = xterm ? ColorQuantizer.Xterm256Rgb((int)candidate) : ColorQuantizer.Ansi16Rgb((int)candidate);
            return MathF.Sqrt(PerceptualDistance.Squared100(shownRgb, source)) - MathF.Sqrt(PerceptualDistance.Squared100(newRgb, source));
        }
    }

    // A block cell as it travels: both colours at 64 levels, and pattern 0 with one colour when they meet there.
    private static (uint Foreground, uint Background) QuantizeBlock(uint foreground, uint background)
    {
        var fg = VideoFrameCodec.Quantize(foreground);
        var bg = VideoFrameCodec.Quantize(background);
        return fg == bg || (foreground >> 24) == 0 ? (bg, bg) : (FrameConverter.PackBlock((int)(foreground >> 24), fg), bg);
    }

    // The largest distance, in tenths, over the sub-pixels between the shown block cell and the source's.
    private static float BlockDistance(uint shownForeground, uint shownBackground, uint foreground, uint background, int subPixels)
    {
        var worst = 0;
        for (var bit = 0; bit < subPixels; bit++)
        {
            worst = Math.Max(worst, PerceptualDistance.Squared100(
                FrameConverter.BlockPixel(shownForeground, shownBackground, bit), FrameConverter.BlockPixel(foreground, background, bit)));
        }

        return Math.Max(1, MathF.Sqrt(worst));
    }

    // A coloured glyph's distance in tenths: its colour's, and when the glyph changes at least half the distance
    // of the brighter colour from black; two blanks (index 0) never differ.
    private static float GlyphDistance(uint shown, uint glyph)
    {
        var shownGlyph = shown >> 24;
        var newGlyph = glyph >> 24;
        if (shownGlyph == 0 && newGlyph == 0)
        {
            return 0;
        }

        var d = MathF.Sqrt(PerceptualDistance.Squared100(shown & 0xFFFFFF, glyph & 0xFFFFFF));
        if (shownGlyph != newGlyph)
        {
            var ink = Math.Max(PerceptualDistance.Squared100(shown & 0xFFFFFF, 0), PerceptualDistance.Squared100(glyph & 0xFFFFFF, 0));
            d = Math.Max(d, MathF.Sqrt(ink) / 2);
        }

        return Math.Max(1, d);
    }

    // Two glyphs' distance in tenths: how different they look, as the RMS of their coverage samples' difference
    // (the grey a terminal shows, 0..255), weighed as luma is in PerceptualDistance (0.4 per level); a glyph off
    // the set counts as far.
    private static float MonoDistance(uint glyph, uint shown)
    {
        var a = VideoFrameCodec.MonoIndex(glyph);
        var b = VideoFrameCodec.MonoIndex(shown);
        if (a < 0 || b < 0)
        {
            return 640;
        }

        return Math.Max(1, 4f * MonoGlyphs.Distance(a, b));
    }

    private sealed class Slot(CellGrid grid)
    {
        public CellGrid Grid { get; } = grid;

        /// <summary>The frame whose picture the grid holds; 0 = none.</summary>
        public uint Sequence { get; set; }

        public ulong CaptureMicroseconds { get; set; }

        /// <summary>One bit per receiver (by its index) that said it holds this picture.</summary>
        public ulong AckedBy { get; set; }
    }
}
