using System.Diagnostics;
using Xunit;

namespace MeshConf.TestSupport;

/// <summary>Waits for a condition with a deadline, checking every millisecond or so; the one wait loop all tests share.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"not within {timeout}: {describe()}");
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}
