using MeshConf.Node.Audio;

namespace MeshConf.Node.Tests.Audio;

public sealed class ReopenBackoffTests
{
    [Fact]
    public void Given_repeated_failures_When_asked_Then_attempts_wait_250_500_1000_2000_then_4000_ms_and_success_starts_over()
    {
        var clock = new FakeClock();
        var backoff = new ReopenBackoff(clock);
        Assert.True(backoff.IsDue);

        foreach (var ms in new[] { 250, 500, 1000, 2000, 4000, 4000 })
        {
            backoff.Failed();
            clock.Advance(TimeSpan.FromMilliseconds(ms - 1));
            Assert.False(backoff.IsDue, $"due before {ms} ms");
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(backoff.IsDue, $"not due after {ms} ms");
        }

        Assert.Equal(6, backoff.Failures);
        backoff.Succeeded();
        backoff.Failed();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(backoff.IsDue);
        Assert.Equal(1, backoff.Failures);
    }
}
