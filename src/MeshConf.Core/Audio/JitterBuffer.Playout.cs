namespace MeshConf.Core.Audio;

/// <summary>The playout side of <see cref="JitterBuffer"/>: what to play each frame, and when spurts start.</summary>
internal sealed partial class JitterBuffer
{
    /// <summary>
    /// The next playout step: call once per frame and do what it says. <paramref name="nowMicros"/> is when this
    /// frame will be played, on the clock that plays the audio (the device's sample count, not the time the call
    /// happens to run), so successive calls advance it by the previous step's <see cref="JitterFrame.Samples"/>:
    /// a peer sending 10 ms frames into a 20 ms playout block is asked twice per block, at t and t + 10 ms.
    /// </summary>
    public JitterAction Next(long nowMicros, out JitterFrame frame)
    {
        FollowLoss(nowMicros);
        if (!_playing && !TryStartSpurt(nowMicros))
        {
            return Silence(out frame);
        }

        // Playout follows media time (_playTimestamp); sequence numbers only say whether packets are missing.
        var index = LowestHeld();
        if (index < 0)
        {
            return PlayNothingHeld(nowMicros, out frame);
        }

        ref var slot = ref _slots[index];
        var ahead = slot.Timestamp - _playTimestamp;
        if (ahead < -(slot.FrameSamples / 2))
        {
            // Held but already behind playout: only a sender whose timestamps disagree with its sequence numbers.
            _late++;
            _nextSeq = slot.Sequence + 1;
            Remove(ref slot);
            return Next(nowMicros, out frame);
        }

        if (ahead <= slot.FrameSamples / 2)
        {
            return PlayHeld(nowMicros, ref slot, out frame);
        }

        var missing = slot.Sequence - _nextSeq;
        if (missing > 0 && ahead <= (missing * _frameSamples) + (_frameSamples / 2) && _concealedRunMicros < ConcealLimitMicros)
        {
            return PlayLost(nowMicros, ref slot, out frame);
        }

        // No packet is missing before the held one, yet it is not due: the sender paused (DTX, mute). It starts
        // the next talk spurt, anchored afresh. (So does one after 100 ms of concealment.)
        _playing = false;
        return Next(nowMicros, out frame);
    }

    // Loss (confirmed since the last step: frames concealed at the end of a spurt count only once the next packet
    // shows they were sent) turns the FEC lookahead on; ten seconds without any turn it off again.
    private void FollowLoss(long now)
    {
        var confirmed = _lost - _tailConcealed;
        if (confirmed > _lostSeen)
        {
            _targetStale |= _lastLossAt == Empty;
            _lastLossAt = now;
            _lostSeen = confirmed;
        }
        else if (_lastLossAt != Empty && now - _lastLossAt > LossMemoryMicros)
        {
            _lastLossAt = Empty;
            _targetStale = true;
        }
    }

    // The packet of the frame due now is here.
    private JitterAction PlayHeld(long now, ref Slot slot, out JitterFrame frame)
    {
        SettleTail(slot.Sequence);
        SetFrameSamples(slot.FrameSamples);
        var frameMicros = AudioPacketHeader.SamplesToMicroseconds(slot.FrameSamples);
        var delay = now - AudioPacketHeader.SamplesToMicroseconds(slot.Timestamp) - _jitter.MinTransit;
        _delayMicros = delay;
        var error = delay - TargetMicros;
        var spaced = _lastSpeechAdjustAt == Empty || now - _lastSpeechAdjustAt >= SpeechAdjustSpacingMicros;

        if (error > frameMicros / 2 && (!slot.IsSpeech || delay > CeilingMicros || (error > frameMicros && spaced)))
        {
            ref var following = ref SlotOf(slot.Sequence + 1);
            if (following.Sequence == slot.Sequence + 1 && following.Timestamp == slot.Timestamp + slot.FrameSamples)
            {
                _dropped++;
                _lastSpeechAdjustAt = slot.IsSpeech ? now : _lastSpeechAdjustAt;
                Remove(ref slot);
                return Decode(ref following, out frame);
            }
        }

        if (TooShort(now, delay, frameMicros, spaced))
        {
            return Insert(frameMicros, out frame);
        }

        return Decode(ref slot, out frame);
    }

    // Packets are missing before the held one, and the frame due now is one of theirs.
    private JitterAction PlayLost(long now, ref Slot next, out JitterFrame frame)
    {
        var frameMicros = AudioPacketHeader.SamplesToMicroseconds(_frameSamples);
        if (IsTooShortWhileMissing(now, frameMicros))
        {
            return Insert(frameMicros, out frame);
        }

        var ahead = next.Timestamp - _playTimestamp;
        _lost++;
        if (ahead == _frameSamples || ahead == next.FrameSamples)
        {
            // The missing frame is the one right before the held packet, whose FEC carries it.
            _fecRecovered++;
            frame = new JitterFrame(JitterAction.DecodeFec, PayloadOf(ref next), (int)ahead, isSpeech: false);
        }
        else
        {
            _concealed++;
            frame = new JitterFrame(JitterAction.Conceal, default, _frameSamples, isSpeech: false);
        }

        _concealedRunMicros += frameMicros;
        _nextSeq++;
        _playTimestamp += frame.Samples;
        return frame.Action;
    }

    // The frame due now has no packet and nothing later is held either.
    private JitterAction PlayNothingHeld(long now, out JitterFrame frame)
    {
        if (!_lastSpeech || _concealedRunMicros >= ConcealLimitMicros)
        {
            // The stream paused (DTX, mute, the sender went away): silence until a packet starts the next spurt.
            _playing = false;
            return Silence(out frame);
        }

        var frameMicros = AudioPacketHeader.SamplesToMicroseconds(_frameSamples);
        if (IsTooShortWhileMissing(now, frameMicros))
        {
            return Insert(frameMicros, out frame);
        }

        // Sequence numbers stay: whether this frame's packet was lost or never sent (a pause) is not known yet;
        // counted lost until the next packet tells.
        _concealed++;
        _lost++;
        _tailConcealed++;
        _concealedRunMicros += frameMicros;
        _playTimestamp += _frameSamples;
        frame = new JitterFrame(JitterAction.Conceal, default, _frameSamples, isSpeech: false);
        return JitterAction.Conceal;
    }

    // When the delay is short, conceal without moving on: its packet gets one more frame to come.
    private bool IsTooShortWhileMissing(long now, long frameMicros)
    {
        var delay = now - AudioPacketHeader.SamplesToMicroseconds(_playTimestamp) - _jitter.MinTransit;
        _delayMicros = delay;
        var spaced = _lastSpeechAdjustAt == Empty || now - _lastSpeechAdjustAt >= SpeechAdjustSpacingMicros;
        return TooShort(now, delay, frameMicros, spaced);
    }

    // The stream goes on at sequence number `resumed`. As many frames were lost since the last one played as
    // sequence numbers are missing before it, however many were concealed meanwhile with nothing held (counted
    // lost then): the rest was the sender's pause (DTX, mute).
    private void SettleTail(long resumed)
    {
        _lost += Math.Max(0, resumed - _nextSeq) - _tailConcealed;
        _tailConcealed = 0;
    }

    private JitterAction Insert(long frameMicros, out JitterFrame frame)
    {
        _inserted++;
        _concealedRunMicros += frameMicros;
        frame = new JitterFrame(JitterAction.Conceal, default, _frameSamples, isSpeech: false);
        return JitterAction.Conceal;
    }

    private JitterAction Silence(out JitterFrame frame)
    {
        frame = new JitterFrame(JitterAction.Silence, default, _frameSamples, isSpeech: false);
        return JitterAction.Silence;
    }

    // Under-delay: corrected at once after a non-speech frame. In speech only where late packets begin, below
    // the jitter quantile itself: a late packet is a concealed frame too, and more would follow.
    private bool TooShort(long now, long delay, long frameMicros, bool spaced)
    {
        var target = TargetMicros;
        var lowEdge = target - (frameMicros / 2) - HysteresisMicros;
        if (delay >= lowEdge || (_lastSpeech && (!spaced || delay >= Math.Min(lowEdge, JitterMicros))))
        {
            return false;
        }

        _lastSpeechAdjustAt = _lastSpeech ? now : _lastSpeechAdjustAt;
        return true;
    }

    private JitterAction Decode(ref Slot slot, out JitterFrame frame)
    {
        frame = new JitterFrame(JitterAction.Decode, PayloadOf(ref slot), slot.FrameSamples, slot.IsSpeech);
        _decoded++;
        _lastSpeech = slot.IsSpeech;
        _concealedRunMicros = 0;
        _nextSeq = slot.Sequence + 1;
        _playTimestamp = slot.Timestamp + slot.FrameSamples;
        LastTimestamp = unchecked((uint)slot.Timestamp);
        Remove(ref slot);
        return JitterAction.Decode;
    }

    /// <summary>
    /// Starts playout on the earliest packet held once it is due: its media time plus the fastest transit plus
    /// the target, give or take half a frame. Packets already past due are dropped as late.
    /// </summary>
    private bool TryStartSpurt(long now)
    {
        while (_stored > 0)
        {
            var index = LowestHeld();
            if (index < 0)
            {
                return false;
            }

            ref var first = ref _slots[index];
            SetFrameSamples(first.FrameSamples);
            var halfFrame = AudioPacketHeader.SamplesToMicroseconds(first.FrameSamples) / 2;
            var due = AudioPacketHeader.SamplesToMicroseconds(first.Timestamp) + _jitter.MinTransit + TargetMicros;
            // Due more than a frame ago: a backlog (playout stalled, or an outage ended). Only a frame, not half:
            // the due time moves a little as faster packets lower the baseline, and must not skip the window.
            if (now - due > 2 * halfFrame)
            {
                _late++;
                _nextSeq = first.Sequence + 1;
                _playTimestamp = _committed ? Math.Max(_playTimestamp, first.Timestamp + first.FrameSamples) : first.Timestamp + first.FrameSamples;
                _committed = true;
                Remove(ref first);
                continue;
            }

            if (due - now > halfFrame)
            {
                return false;
            }

            if (_committed)
            {
                SettleTail(first.Sequence);
            }

            _playing = true;
            _committed = true;
            _nextSeq = first.Sequence;
            _playTimestamp = first.Timestamp;
            _concealedRunMicros = 0;
            _spurts++;
            return true;
        }

        return false;
    }
}
