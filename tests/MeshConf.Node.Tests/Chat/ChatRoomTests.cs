using MeshConf.Core.Chat;
using MeshConf.Node.Chat;
using MeshConf.Node.Mesh;
using MeshConf.Node.Net;
using MeshConf.Node.Tests.Mesh;
using MeshConf.TestSupport;

namespace MeshConf.Node.Tests.Chat;

public sealed class ChatRoomTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly string[] Said = ["first", "  Grüße, \"quoted\" ✓  ", "third"];

    [Fact(Timeout = 30_000)]
    public async Task Given_two_linked_members_When_one_says_lines_Then_the_other_gets_them_whole_and_in_order_on_the_control_channel()
    {
        using var b = new MeshTestNode("b");
        using var a = new MeshTestNode("a", peers: [b.EndPoint]);
        await Eventually.TrueAsync(() => a.Node.GetPeers().Count == 1 && b.Node.GetPeers().Count == 1, Patience, () => MeshTestNode.Describe([a, b]));
        var room = new ChatRoom(a.Node, TimeProvider.System);

        var sent = Said.Select(text => room.Send(text)!.Value).ToList();

        await Eventually.TrueAsync(() => b.Received.Count(m => m.Type == ChatMessageType.Line) == 3, Patience, () => $"{b.Received.Count} messages");
        var received = b.Received.Where(m => m.Type == ChatMessageType.Line).ToList();
        Assert.All(received, m => Assert.Equal(MeshChannel.Control, m.Channel));
        var lines = received.Select(m => ChatLine.TryRead(m.Payload, out var line) ? line : default).ToList();
        Assert.Equal(["first", "Grüße, \"quoted\" ✓", "third"], lines.Select(l => l.Text));
        Assert.Equal([1u, 2u, 3u], lines.Select(l => l.Sequence));
        Assert.Equal(sent, lines);
        Assert.Null(room.Send("   "));
    }

    [Fact]
    public void Given_a_member_flooding_the_chat_When_lines_arrive_Then_a_burst_passes_the_rest_is_dropped_and_counted_and_others_are_not_hurt()
    {
        using var host = new MeshTestNode("b");
        var time = new ManualTimeProvider();
        var room = new ChatRoom(host.Node, time);
        var heard = new List<(ulong Peer, uint Sequence)>();
        room.Received = (peer, line) => heard.Add((peer, line.Sequence));

        for (var i = 1u; i <= 30; i++)
        {
            room.OnMessage(7, MeshChannel.Control, Line(i));
        }

        room.OnMessage(8, MeshChannel.Control, Line(1));
        time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 31u; i <= 40; i++)
        {
            room.OnMessage(7, MeshChannel.Control, Line(i));
        }

        Assert.Equal(ChatRoom.BurstLines + (int)ChatRoom.LinesPerSecond, heard.Count(h => h.Peer == 7));
        Assert.Equal(Enumerable.Range(1, ChatRoom.BurstLines).Select(i => (uint)i), heard.Where(h => h.Peer == 7).Take(ChatRoom.BurstLines).Select(h => h.Sequence));
        Assert.Contains((8ul, 1u), heard);
        Assert.Equal(40 - ChatRoom.BurstLines - (int)ChatRoom.LinesPerSecond, room.Flooded);
    }

    [Fact]
    public void Given_malformed_or_misplaced_lines_When_they_arrive_Then_they_are_dropped_and_counted_and_order_slips_are_counted()
    {
        using var host = new MeshTestNode("b");
        var room = new ChatRoom(host.Node, new ManualTimeProvider());
        var heard = 0;
        room.Received = (_, _) => heard++;

        room.OnMessage(7, MeshChannel.Audio, Line(1));
        room.OnMessage(7, MeshChannel.Control, [1, 2, 3]);
        room.OnMessage(7, MeshChannel.Control, Line(5));
        room.OnMessage(7, MeshChannel.Control, Line(4));
        room.OnEvent(new PeerLeftEvent(7, "x", "bye"));
        room.OnMessage(7, MeshChannel.Control, Line(1));

        Assert.Equal(2, room.Malformed);
        Assert.Equal(1, room.OutOfOrder);
        Assert.Equal(3, heard);
    }

    private static byte[] Line(uint sequence)
    {
        var buffer = new byte[ChatLine.MaxSize];
        return buffer[..new ChatLine(sequence, 1_790_000_000_000, "line " + sequence).Write(buffer)];
    }
}
