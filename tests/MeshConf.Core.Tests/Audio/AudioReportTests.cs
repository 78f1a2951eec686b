using MeshConf.Core.Audio;

namespace MeshConf.Core.Tests.Audio;

public sealed class AudioReportTests
{
    [Fact]
    public void Given_a_sender_report_When_written_and_read_Then_it_round_trips_and_maps_timestamps_to_capture_times()
    {
        var report = new AudioSenderReport(0xFFFF_FC40, 1_700_000_000_000_000); // 960 samples before a wrap
        var bytes = new byte[AudioSenderReport.Size];
        report.Write(bytes);

        Assert.True(AudioSenderReport.TryRead(bytes, out var read));
        Assert.Equal(report, read);
        Assert.Equal(report.CaptureUnixMicros + 20_000, read.CaptureMicrosOf(0)); // after the wrap: 20 ms later
        Assert.Equal(report.CaptureUnixMicros - 40_000, read.CaptureMicrosOf(0xFFFF_FC40 - 1920)); // 40 ms earlier
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(13)]
    public void Given_a_sender_report_of_the_wrong_size_When_read_Then_refused(int size) =>
        Assert.False(AudioSenderReport.TryRead(new byte[size], out _));

    [Fact]
    public void Given_a_sender_report_with_no_time_When_read_Then_refused() =>
        Assert.False(AudioSenderReport.TryRead(new byte[AudioSenderReport.Size], out _));

    [Theory]
    [InlineData(0, 50, 0)]
    [InlineData(5, 100, 5)]
    [InlineData(1, 3, 33)]
    [InlineData(7, 0, 0)]
    [InlineData(80, 50, 100)]
    public void Given_loss_counts_When_reported_Then_a_clamped_percentage(long lost, long expected, byte percent)
    {
        var report = AudioReceiverReport.FromCounts(lost, expected);
        Assert.Equal(percent, report.LossPercent);
        var bytes = new byte[1];
        report.Write(bytes);
        Assert.True(AudioReceiverReport.TryRead(bytes, out var read));
        Assert.Equal(report, read);
    }

    [Fact]
    public void Given_a_receiver_report_over_100_percent_or_of_the_wrong_size_When_read_Then_refused()
    {
        Assert.False(AudioReceiverReport.TryRead([101], out _));
        Assert.False(AudioReceiverReport.TryRead([], out _));
        Assert.False(AudioReceiverReport.TryRead([1, 2], out _));
    }
}
