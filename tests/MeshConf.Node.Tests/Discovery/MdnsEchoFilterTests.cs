using System.Net;
using MeshConf.Node.Discovery;

namespace MeshConf.Node.Tests.Discovery;

public sealed class MdnsEchoFilterTests
{
    private static readonly IPAddress OwnA = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress OwnB = IPAddress.Parse("192.168.1.7");
    private static readonly IPEndPoint FromA = new(OwnA, 5353);
    private static readonly IPEndPoint FromB = new(OwnB, 5353);
    private static readonly byte[] Query = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'x', 0, 0, 12, 0, 1];

    private static MdnsEchoFilter TwoInterfaces() => new([new MdnsInterface("eth0", 2, [OwnA]), new MdnsInterface("wlan0", 3, [OwnB])]);

    [Fact]
    public void Given_a_multicast_sent_on_an_interface_When_its_first_copy_comes_back_there_Then_it_is_an_echo_and_an_identical_second_copy_is_not()
    {
        var filter = TwoInterfaces();
        filter.Sent(Query, 2, nowMs: 1000);

        Assert.True(filter.IsEcho(Query, FromA, 2, nowMs: 1001));

        // The same bytes from the same address and port again: avahi on this host asking the same question.
        Assert.False(filter.IsEcho(Query, FromA, 2, nowMs: 1002));
    }

    [Fact]
    public void Given_a_sent_multicast_When_the_same_bytes_come_back_on_the_other_interface_of_the_same_link_Then_every_such_copy_is_an_echo()
    {
        var filter = TwoInterfaces();
        filter.Sent(Query, 2, nowMs: 0);

        Assert.True(filter.IsEcho(Query, FromA, 3, nowMs: 1));
        Assert.True(filter.IsEcho(Query, FromA, 2, nowMs: 1));
        Assert.True(filter.IsEcho(Query, FromA, 3, nowMs: 2));
    }

    [Fact]
    public void Given_a_sent_multicast_When_a_copy_differs_in_bytes_source_address_port_or_interface_address_Then_it_is_not_an_echo()
    {
        var filter = TwoInterfaces();
        filter.Sent(Query, 2, nowMs: 0);
        var changed = (byte[])Query.Clone();
        changed[^1] = 2;

        Assert.False(filter.IsEcho(changed, FromA, 2, 1));
        Assert.False(filter.IsEcho(Query.AsSpan(0, Query.Length - 1), FromA, 2, 1));
        Assert.False(filter.IsEcho(Query, new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5353), 2, 1));
        Assert.False(filter.IsEcho(Query, new IPEndPoint(OwnA, 40000), 2, 1));

        // From the address of the other interface, which did not send it: another host's (or avahi's) copy.
        Assert.False(filter.IsEcho(Query, FromB, 2, 1));
        Assert.False(filter.IsEcho(Query, FromB, 3, 1));
        Assert.True(filter.IsEcho(Query, FromA, 2, 1));
    }

    [Fact]
    public void Given_a_sent_multicast_When_it_comes_back_after_the_window_Then_it_is_not_an_echo()
    {
        var filter = TwoInterfaces();
        filter.Sent(Query, 2, nowMs: 0);

        Assert.False(filter.IsEcho(Query, FromA, 2, MdnsEchoFilter.WindowMs + 1));
    }

    [Fact]
    public void Given_as_many_later_sends_as_the_capacity_When_the_first_comes_back_Then_it_is_forgotten_and_the_latest_is_not()
    {
        var filter = TwoInterfaces();
        filter.Sent(Query, 2, nowMs: 0);
        for (var i = 0; i < MdnsEchoFilter.Capacity; i++)
        {
            filter.Sent(BitConverter.GetBytes(i), 2, nowMs: 0);
        }

        Assert.False(filter.IsEcho(Query, FromA, 2, 1));
        Assert.True(filter.IsEcho(BitConverter.GetBytes(MdnsEchoFilter.Capacity - 1), FromA, 2, 1));
    }

    [Fact]
    public void Given_two_identical_sends_When_two_copies_come_back_Then_both_are_echoes_and_a_third_is_not()
    {
        var filter = TwoInterfaces();
        filter.Sent(Query, 2, nowMs: 0);
        filter.Sent(Query, 2, nowMs: 1000);

        Assert.True(filter.IsEcho(Query, FromA, 2, 1001));
        Assert.True(filter.IsEcho(Query, FromA, 2, 1001));
        Assert.False(filter.IsEcho(Query, FromA, 2, 1001));
    }
}
