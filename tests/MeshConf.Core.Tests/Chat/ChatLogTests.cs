using MeshConf.Core.Chat;
using MeshConf.Core.Text;

namespace MeshConf.Core.Tests.Chat;

public sealed class ChatLogTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Given_an_empty_log_Then_it_holds_nothing_at_version_zero()
    {
        var log = new ChatLog();

        Assert.Equal(ChatLog.DefaultCapacity, log.Capacity);
        Assert.Equal(0, log.Count);
        Assert.Equal(0, log.Version);
        Assert.Empty(log.Last(10));
    }

    [Fact]
    public void Given_hostile_names_and_lines_When_added_Then_they_are_stored_sanitised()
    {
        var log = new ChatLog();

        var stored = log.Add(new ChatEntry("\e]0;owned\a Mallory\u202E", "hi\e[2J\e[H there\r\nfriend", IsOwn: false, Noon));

        Assert.NotNull(stored);
        Assert.Equal("?]0;owned? Mallory?", stored.From);
        Assert.Equal("hi?[2J?[H there friend", stored.Text);
        Assert.False(stored.IsOwn);
        Assert.Equal(Noon, stored.At);
        Assert.Equal(stored, Assert.Single(log.Last(5)));
        Assert.True(SafeText.IsInert(stored.From) && SafeText.IsInert(stored.Text));
    }

    [Fact]
    public void Given_a_line_that_is_blank_once_sanitised_When_added_Then_nothing_is_stored()
    {
        var log = new ChatLog();

        Assert.Null(log.Add(new ChatEntry("Alice", " \r\n\t ", IsOwn: true, Noon)));
        Assert.Equal(0, log.Count);
        Assert.Equal(0, log.Version);

        var nameless = log.Add(new ChatEntry("\u3000 ", "ok", IsOwn: false, Noon));
        Assert.Equal("?", nameless?.From);
        Assert.Equal(1, log.Version);
    }

    [Fact]
    public void Given_long_names_and_lines_When_added_Then_they_are_cut()
    {
        var log = new ChatLog();

        var stored = log.Add(new ChatEntry(new string('n', 200), new string('t', 2000), IsOwn: true, Noon));

        Assert.Equal(ChatLog.MaxNameChars, stored!.From.Length);
        Assert.Equal(ChatLog.MaxTextChars, stored.Text.Length);
        Assert.EndsWith("…", stored.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_more_lines_than_the_capacity_When_added_Then_the_oldest_go_and_the_rest_stay_in_order()
    {
        var log = new ChatLog(capacity: 5);

        for (var i = 1; i <= 12; i++)
        {
            log.Add(new ChatEntry("Bob", $"line {i}", IsOwn: false, Noon.AddSeconds(i)));
        }

        Assert.Equal(5, log.Count);
        Assert.Equal(12, log.Version);
        Assert.Equal(["line 8", "line 9", "line 10", "line 11", "line 12"], log.Last(100).Select(e => e.Text));
        Assert.Equal(["line 11", "line 12"], log.Last(2).Select(e => e.Text));
        Assert.Empty(log.Last(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Last(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatLog(0));
    }

    [Fact]
    public void Given_a_snapshot_When_more_lines_come_Then_the_snapshot_does_not_change()
    {
        var log = new ChatLog(capacity: 3);
        log.Add(new ChatEntry("A", "one", false, Noon));
        var snapshot = log.Last(3);

        log.Add(new ChatEntry("A", "two", false, Noon));
        log.Add(new ChatEntry("A", "three", false, Noon));
        log.Add(new ChatEntry("A", "four", false, Noon));

        Assert.Equal("one", Assert.Single(snapshot).Text);
    }

    [Fact]
    public async Task Given_writers_and_a_reader_on_threads_When_they_race_Then_every_line_is_counted_and_snapshots_are_ordered()
    {
        var log = new ChatLog(capacity: 50);
        const int Writers = 4;
        const int PerWriter = 2_000;
        using var stop = new CancellationTokenSource();
        var readerRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var token = TestContext.Current.CancellationToken;

        var reader = Task.Run(
            () =>
            {
                var checks = 0;
                do
                {
                    var lines = log.Last(50);
                    foreach (var writer in lines.GroupBy(e => e.From))
                    {
                        var numbers = writer.Select(e => int.Parse(e.Text, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                        Assert.Equal(numbers.Order(), numbers);
                    }

                    checks++;
                    readerRunning.TrySetResult();
                }
                while (!stop.IsCancellationRequested);

                return checks;
            },
            token);
        await readerRunning.Task.WaitAsync(TimeSpan.FromSeconds(30), token);
        var writers = Enumerable.Range(0, Writers)
            .Select(w => Task.Run(
                () =>
                {
                    for (var i = 0; i < PerWriter; i++)
                    {
                        log.Add(new ChatEntry($"w{w}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), false, Noon));
                    }
                },
                token))
            .ToArray();

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30), token);
        await stop.CancelAsync();
        var checks = await reader.WaitAsync(TimeSpan.FromSeconds(30), token);

        Assert.Equal(Writers * PerWriter, log.Version);
        Assert.Equal(50, log.Count);
        Assert.True(checks >= 2);
    }
}
