using System.Numerics;
using System.Runtime.InteropServices;

namespace MeshConf.Core.Audio;

/// <summary>
/// One peer's input to the <see cref="AudioMixer"/>: its decoded frame for the current mix, its local volume and
/// mute, and its level with a "speaking" flag for the highlight. The level is measured on the peer's own signal,
/// before local volume or mute: muting someone locally does not hide that they are talking.
/// <para>
/// Speaking turns on after two frames in a row louder than <see cref="SpeakingOnDbfs"/> and off only after
/// <see cref="HoldMilliseconds"/> below <see cref="SpeakingOffDbfs"/>: the gap between the thresholds and the hold
/// keep the highlight from flickering across syllables and short pauses.
/// </para>
/// Created by <see cref="AudioMixer.AddChannel"/>. <see cref="Volume"/> and <see cref="IsMuted"/> may be set from
/// any thread; <see cref="Submit(ReadOnlySpan{float})"/> belongs to the thread that mixes.
/// </summary>
internal sealed class MixerChannel
{
    public const float MaxVolume = 2f;

    /// <summary>The level silence reads.</summary>
    public const double SilenceDbfs = -100;

    public const double SpeakingOnDbfs = -40;
    public const double SpeakingOffDbfs = -50;
    public const int HoldMilliseconds = 400;

    // Decoders may overshoot full scale a little; anything wilder (or NaN) is a broken frame, not audio.
    private const float MaxInput = 4f;

    private readonly float[] _frame;
    private readonly int _holdFrames;
    private float _volume = 1f;
    private bool _muted;
    private float _appliedGain = 1f;
    private bool _hasFrame;
    private int _loudFrames;
    private int _quietFrames;

    internal MixerChannel(int frameSamples)
    {
        _frame = new float[frameSamples];
        _holdFrames = (int)Math.Ceiling(HoldMilliseconds * (AudioPacketHeader.SampleRate / 1000.0) / frameSamples);
    }

    /// <summary>Local volume, 0 to <see cref="MaxVolume"/> (1 is as sent). Changes ramp over one frame.</summary>
    public float Volume
    {
        get => _volume;
        set
        {
            if (!(value >= 0 && value <= MaxVolume))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"volume is 0 to {MaxVolume}");
            }

            _volume = value;
        }
    }

    /// <summary>Muted locally: left out of the mix (fading over one frame), still metered.</summary>
    public bool IsMuted
    {
        get => _muted;
        set => _muted = value;
    }

    /// <summary>RMS of the last frame in dBFS (a full-scale square wave is 0, a full-scale sine -3); silence reads <see cref="SilenceDbfs"/>.</summary>
    public double LevelDbfs { get; private set; } = SilenceDbfs;

    public bool IsSpeaking { get; private set; }

    /// <summary>
    /// This peer's frame for the next mix (mono, 48 kHz, exactly the mixer's frame length); copied. A second
    /// frame before the mix replaces the first. A peer with no frame in a mix counts as silent.
    /// </summary>
    public void Submit(ReadOnlySpan<float> frame)
    {
        CheckLength(frame.Length);
        var destination = _frame.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated && frame.Length >= Vector<float>.Count)
        {
            var inputs = MemoryMarshal.Cast<float, Vector<float>>(frame);
            var outputs = MemoryMarshal.Cast<float, Vector<float>>(destination);
            var high = new Vector<float>(MaxInput);
            var low = new Vector<float>(-MaxInput);
            for (var v = 0; v < inputs.Length; v++)
            {
                var vector = inputs[v];
                // NaN is the one value not equal to itself: those lanes become 0.
                vector = Vector.ConditionalSelect(Vector.Equals(vector, vector), vector, Vector<float>.Zero);
                outputs[v] = Vector.Min(Vector.Max(vector, low), high);
            }

            i = inputs.Length * Vector<float>.Count;
        }

        for (; i < frame.Length; i++)
        {
            var x = frame[i];
            destination[i] = float.IsNaN(x) ? 0 : Math.Clamp(x, -MaxInput, MaxInput);
        }

        Accept();
    }

    /// <summary>Integer variant of <see cref="Submit(ReadOnlySpan{float})"/> (as <c>OpusDecoder.Decode</c> writes it).</summary>
    public void Submit(ReadOnlySpan<short> frame)
    {
        CheckLength(frame.Length);
        for (var i = 0; i < frame.Length; i++)
        {
            _frame[i] = SampleConversion.ToFloat(frame[i]);
        }

        Accept();
    }

    /// <summary>Adds this channel's frame at its gain into <paramref name="sum"/>, and meters it.</summary>
    internal void MixInto(Span<float> sum)
    {
        var target = _muted ? 0f : _volume;
        if (!_hasFrame)
        {
            // Silent this time: the meter falls, and a gain change has nothing to ramp over.
            Meter(SilenceDbfs);
            _appliedGain = target;
            return;
        }

        _hasFrame = false;
        var start = _appliedGain;
        _appliedGain = target;
        if (start == target)
        {
            if (target != 0)
            {
                AddScaled(sum, _frame, target);
            }

            return;
        }

        // Ramp the gain across the frame so a volume change or mute does not click.
        var step = (target - start) / _frame.Length;
        for (var i = 0; i < _frame.Length; i++)
        {
            sum[i] += (start + (step * (i + 1))) * _frame[i];
        }
    }

    private void Accept()
    {
        _hasFrame = true;
        Meter(RmsDbfs(_frame));
    }

    private void Meter(double level)
    {
        LevelDbfs = level;
        if (level > SpeakingOnDbfs)
        {
            _loudFrames++;
            _quietFrames = 0;
            IsSpeaking |= _loudFrames >= 2;
        }
        else
        {
            _loudFrames = 0;
            _quietFrames = level < SpeakingOffDbfs ? _quietFrames + 1 : 0;
            IsSpeaking &= _quietFrames < _holdFrames;
        }
    }

    private void CheckLength(int length)
    {
        if (length != _frame.Length)
        {
            throw new ArgumentException($"the mixer takes frames of {_frame.Length} samples, not {length}", nameof(length));
        }
    }

    private static double RmsDbfs(ReadOnlySpan<float> frame)
    {
        var sum = 0f;
        var i = 0;
        if (Vector.IsHardwareAccelerated && frame.Length >= Vector<float>.Count)
        {
            var squares = Vector<float>.Zero;
            foreach (var vector in MemoryMarshal.Cast<float, Vector<float>>(frame))
            {
                squares += vector * vector;
            }

            sum = Vector.Sum(squares);
            i = frame.Length / Vector<float>.Count * Vector<float>.Count;
        }

        for (; i < frame.Length; i++)
        {
            sum += frame[i] * frame[i];
        }

        var meanSquare = sum / frame.Length;
        return meanSquare > 1e-10f ? Math.Max(SilenceDbfs, 10 * Math.Log10(meanSquare)) : SilenceDbfs;
    }

    private static void AddScaled(Span<float> sum, ReadOnlySpan<float> frame, float gain)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && frame.Length >= Vector<float>.Count)
        {
            var sums = MemoryMarshal.Cast<float, Vector<float>>(sum);
            var inputs = MemoryMarshal.Cast<float, Vector<float>>(frame);
            var scale = new Vector<float>(gain);
            for (var v = 0; v < inputs.Length; v++)
            {
                sums[v] += inputs[v] * scale;
            }

            i = inputs.Length * Vector<float>.Count;
        }

        for (; i < frame.Length; i++)
        {
            sum[i] += frame[i] * gain;
        }
    }
}
