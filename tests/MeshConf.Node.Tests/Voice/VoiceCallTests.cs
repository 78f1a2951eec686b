using MeshConf.Node.Audio;
using MeshConf.Node.Mesh;
using MeshConf.Node.Tests.Audio;
using MeshConf.Node.Tests.Mesh;
using MeshConf.Node.Voice;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Voice;

/// <summary>
/// Two voice calls over a real loopback mesh. A's microphone is a tone paced by a clock the test moves one frame at
/// a time, so "the next frame" is exact: what A sends is counted frame by frame.
/// </summary>
public sealed class VoiceCallTests
{
    private const int Frame = AudioFormat.Frame20Ms;
    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 60_000)]
    public async Task Given_a_speaking_node_When_muted_Then_it_sends_no_speech_peers_see_muted_and_unmuting_resumes_with_the_next_frame()
    {
        using var call = await TwoNodeCall.StartAsync();
        var (a, b) = (call.A, call.B);

        // Ten frames of tone: ten packets, all heard by B.
        await call.SpeakFramesAsync(10);
        Assert.Equal(10, a.Voice.PacketsSent);
        await Eventually.TrueAsync(() => b.PeerStats(a)?.PacketsIn == 10, Patience, () => $"B has {b.PeerStats(a)?.PacketsIn} packets");
        Assert.False(b.PeerStats(a)!.Muted);

        // Muted: peers are told at once, and ten more frames of tone produce no packet at all.
        a.Voice.Muted = true;
        Assert.False(a.Voice.Speaking);
        await Eventually.TrueAsync(() => b.PeerStats(a)?.Muted == true, Patience, () => "B does not see A muted");
        await call.SpeakFramesAsync(10);
        Assert.Equal(10, a.Voice.PacketsSent);

        // Unmuted: the very next frame goes out, and B hears it.
        a.Voice.Muted = false;
        await call.SpeakFramesAsync(1);
        Assert.Equal(11, a.Voice.PacketsSent);
        await Eventually.TrueAsync(() => b.PeerStats(a) is { PacketsIn: 11, Muted: false }, Patience, () => $"B sees {b.PeerStats(a)}");
        Assert.Equal(0, b.PeerStats(a)!.Malformed);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_node_started_muted_When_a_peer_joins_Then_the_peer_learns_it_is_muted_and_hears_nothing()
    {
        using var call = await TwoNodeCall.StartAsync(muteA: true);
        var (a, b) = (call.A, call.B);

        await Eventually.TrueAsync(() => b.PeerStats(a)?.Muted == true, Patience, () => "B does not see A muted");
        await call.SpeakFramesAsync(10);
        Assert.Equal(0, a.Voice.PacketsSent);
        Assert.Equal(0, b.PeerStats(a)!.PacketsIn);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_a_peer_being_played_When_it_leaves_Then_it_is_dropped_and_the_call_plays_on()
    {
        using var call = await TwoNodeCall.StartAsync();
        var (a, b) = (call.A, call.B);
        await call.SpeakFramesAsync(10);
        await Eventually.TrueAsync(() => b.PeerStats(a)?.PacketsIn == 10, Patience, () => $"B has {b.PeerStats(a)?.PacketsIn} packets");

        // A leaves with a Bye; B's playout thread renders A's stream until the event removes it.
        call.A.Node.Node.Leave();
        await Eventually.TrueAsync(() => b.Node.Events.OfType<PeerLeftEvent>().Any(), Patience, () => MeshTestNode.Describe([b.Node]));
        b.Voice.OnEvent(b.Node.Events.OfType<PeerLeftEvent>().Single());

        Assert.Null(b.PeerStats(a));
        // The playout thread goes on writing frames to the speaker (a peer disposed under it would have ended it, and
        // the process).
        var written = b.Speaker.Frames;
        await Eventually.TrueAsync(() => b.Speaker.Frames >= written + 10, Patience, () => $"{b.Speaker.Frames - written} frames played since");
    }

    [Fact]
    public async Task Given_no_peer_and_no_speaker_device_When_the_call_runs_Then_the_playout_loop_sleeps_instead_of_mixing_silence()
    {
        using var node = new MeshTestNode("alone");
        var output = new NullAudioOutput(Frame, TimeProvider.System);
        using var voice = new VoiceCall(node.Node, input: null, output, processor: null, new VoiceOptions { FrameSamples = Frame }, TimeProvider.System);
        voice.Start();

        // Mixing every 20 ms would have written 25 frames by now.
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.Equal(0, output.Frames);
    }

    /// <summary>A and B in a mesh on loopback, each with a voice call; A speaks a tone, B listens only.</summary>
    private sealed class TwoNodeCall : IDisposable
    {
        private readonly FakeClock _microphoneClock = new();
        private int _framesSpoken;

        private TwoNodeCall(bool muteA)
        {
            var nodeB = new MeshTestNode("b");
            B = new Participant(nodeB, input: null, muted: false);
            var nodeA = new MeshTestNode("a", peers: [nodeB.EndPoint]);
            A = new Participant(nodeA, new ToneAudioInput(Frame, _microphoneClock), muteA);
        }

        public Participant A { get; }

        public Participant B { get; }

        public static async Task<TwoNodeCall> StartAsync(bool muteA = false)
        {
            var call = new TwoNodeCall(muteA);
            await call.A.JoinAsync();
            await call.B.JoinAsync();
            return call;
        }

        /// <summary>Lets A's microphone deliver <paramref name="frames"/> frames, one at a time, each fully handled.</summary>
        public async Task SpeakFramesAsync(int frames)
        {
            for (var i = 0; i < frames; i++)
            {
                _microphoneClock.Advance(FrameDuration);
                _framesSpoken++;
                // The capture loop has handled frame n once it waits for frame n + 1.
                var next = FrameDuration * (_framesSpoken + 1);
                await Eventually.TrueAsync(() => _microphoneClock.NextDue == next, Patience, () => $"capture loop waits for {_microphoneClock.NextDue}, expected {next}");
            }
        }

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
        }
    }

    private sealed class Participant : IDisposable
    {
        private readonly MeshTestNode _node;

        public Participant(MeshTestNode node, IAudioInput? input, bool muted)
        {
            _node = node;
            Speaker = new SpeakerLike(new NullAudioOutput(Frame, TimeProvider.System));
            Voice = new VoiceCall(node.Node, input, Speaker, processor: null,
                new VoiceOptions { FrameSamples = Frame, Muted = muted }, TimeProvider.System);
            node.Node.MessageReceived = (peer, channel, type, payload) => Voice.OnMessage(peer, channel, type, payload);
        }

        public VoiceCall Voice { get; }

        public SpeakerLike Speaker { get; }

        public ulong Id => _node.Node.NodeId;

        public MeshTestNode Node => _node;

        public VoiceStreamStats? PeerStats(Participant other) => Voice.GetStats(other.Id);

        /// <summary>Waits for the one peer to join, tells the voice call (as the app's event loop does), starts it.</summary>
        public async Task JoinAsync()
        {
            await Eventually.TrueAsync(() => _node.Events.OfType<PeerJoinedEvent>().Any(), Patience, () => MeshTestNode.Describe([_node]));
            Voice.OnEvent(_node.Events.OfType<PeerJoinedEvent>().Single());
            Voice.Start();
        }

        public void Dispose()
        {
            Voice.Dispose();
            _node.Dispose();
        }
    }

    /// <summary>
    /// A paced null output standing in for a speaker: the playout loop keeps feeding any output but `none` (silence
    /// when nobody speaks), where with `none` and no peer it sleeps.
    /// </summary>
    private sealed class SpeakerLike(NullAudioOutput inner) : IAudioOutput
    {
        public long Frames => inner.Frames;

        public int FrameSamples => inner.FrameSamples;

        public bool IsDevice => true;

        public string Description => "a speaker-like null output";

        public long Errors => inner.Errors;

        public string? Problem => inner.Problem;

        public void Write(ReadOnlySpan<float> frame) => inner.Write(frame);

        public void Dispose() => inner.Dispose();
    }
}
