using MeshConf.Core.Video;
using MeshConf.Node.Net;
using MeshConf.Node.Tests.Mesh;
using MeshConf.Node.Video;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Video;

public sealed class VideoCallTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly VideoRequest Tile = new(40, 15, CellMode.TrueColor);

    [Theory]
    [InlineData((byte)VideoSourceState.Live)]
    [InlineData((byte)VideoSourceState.Off)]
    [InlineData((byte)VideoSourceState.Lost)]
    [InlineData((byte)VideoSourceState.Starting)]
    public void Given_a_known_peer_When_it_tells_its_source_state_Then_the_receiver_keeps_it(byte value)
    {
        var state = (VideoSourceState)value;
        using var node = new MeshTestNode("a");
        using var call = new VideoCall(node.Node, null, 15, Tile, TimeProvider.System);
        call.Receiver.PeerJoined(42);
        call.OnMessage(42, MeshChannel.Control, VideoMessageType.SourceState, [(byte)VideoSourceState.Lost]);

        call.OnMessage(42, MeshChannel.Control, VideoMessageType.SourceState, [(byte)state]);

        Assert.Equal(state, call.Receiver.GetSourceState(42));
        Assert.Equal(0, call.UnexpectedMessages);
    }

    public static TheoryData<byte, byte[]> BadStates => new()
    {
        { (byte)MeshChannel.Control, [] },
        { (byte)MeshChannel.Control, [0, 0] },
        { (byte)MeshChannel.Control, [4] },
        { (byte)MeshChannel.Control, [0xFF] },
        { (byte)MeshChannel.Video, [0] },
        { (byte)MeshChannel.Audio, [0] },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public void Given_a_malformed_source_state_When_received_Then_it_is_counted_and_changes_nothing(byte channel, byte[] payload)
    {
        using var node = new MeshTestNode("a");
        using var call = new VideoCall(node.Node, null, 15, Tile, TimeProvider.System);
        call.Receiver.PeerJoined(42);
        call.OnMessage(42, MeshChannel.Control, VideoMessageType.SourceState, [(byte)VideoSourceState.Lost]);

        call.OnMessage(42, (MeshChannel)channel, VideoMessageType.SourceState, payload);

        Assert.Equal(VideoSourceState.Lost, call.Receiver.GetSourceState(42));
        Assert.Equal(1, call.UnexpectedMessages);
    }

    [Fact(Timeout = 60_000)]
    public async Task Given_two_calls_one_without_a_source_When_they_ask_each_other_for_video_Then_each_sees_the_others_state_and_a_lost_source_shows()
    {
        var (a, b) = await VideoSenderTests.LinkedPairAsync();
        using var _ = a;
        using var __ = b;
        var source = new FakeFrameSource((64, 48)) { State = VideoSourceState.Starting };
        using var callA = new VideoCall(a.Node, source, 30, Tile, TimeProvider.System);
        using var callB = new VideoCall(b.Node, null, 30, Tile, TimeProvider.System);
        a.Node.MessageReceived = callA.OnMessage;
        b.Node.MessageReceived = callB.OnMessage;
        callA.Start();
        callB.Start();
        var idA = a.Node.NodeId;
        var idB = b.Node.NodeId;

        // Joining sends each side's request; the answer carries the source's state.
        callA.Receiver.PeerJoined(idB);
        callB.Receiver.PeerJoined(idA);
        await Eventually.TrueAsync(() => callA.Receiver.GetSourceState(idB) == VideoSourceState.Off, Patience, () => $"a sees b {callA.Receiver.GetSourceState(idB)}");
        Assert.Equal(VideoSourceState.Starting, callB.Receiver.GetSourceState(idA));

        source.State = VideoSourceState.Live;
        await Eventually.TrueAsync(() => callB.Receiver.GetSourceState(idA) == VideoSourceState.Live, Patience, () => $"b sees a {callB.Receiver.GetSourceState(idA)}");
        await Eventually.TrueAsync(() => callB.Receiver.GetStats(idA) is { FramesIn: > 5 }, Patience, () => $"b got {callB.Receiver.GetStats(idA)}");

        source.State = VideoSourceState.Lost;
        await Eventually.TrueAsync(() => callB.Receiver.GetSourceState(idA) == VideoSourceState.Lost, Patience, () => $"b sees a {callB.Receiver.GetSourceState(idA)}");

        Assert.Equal(0, callA.UnexpectedMessages);
        Assert.Equal(0, callB.UnexpectedMessages);
        Assert.Equal(0, callB.Receiver.GetStats(idA)!.FramesBad);
    }
}
