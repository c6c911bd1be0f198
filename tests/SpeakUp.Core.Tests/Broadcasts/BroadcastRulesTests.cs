using Microsoft.Extensions.Time.Testing;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Broadcasts;

public sealed class BroadcastRulesTests
{
    private static readonly TimeZoneInfo India = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    [Theory]
    [InlineData(30, false, false, true)]
    [InlineData(31, false, false, false)]
    [InlineData(1000, true, false, true)]
    [InlineData(1001, true, false, false)]
    [InlineData(5000, false, true, true)]
    [InlineData(0, false, false, false)]
    public void MaxPerSecond_is_capped_by_telegrams_free_and_paid_rates(double perSecond, bool paid, bool anyRate, bool valid)
    {
        var result = new BroadcastOptionsValidator().Validate(null, new BroadcastOptions { MaxPerSecond = perSecond, PaidBroadcast = paid, AllowAnyRate = anyRate });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Broadcast:MaxPerSecond", result.FailureMessage);
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(64, true)]
    [InlineData(0, false)]
    [InlineData(65, false)]
    public void BatchSize_is_between_1_and_64(int batch, bool valid)
    {
        var result = new BroadcastOptionsValidator().Validate(null, new BroadcastOptions { BatchSize = batch });

        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(valid, result.FailureMessage?.Contains("Broadcast:BatchSize", StringComparison.Ordinal) != true);
    }

    [Theory]
    [InlineData("hello", BroadcastMedia.None, null, null, true)]
    [InlineData("", BroadcastMedia.None, null, null, false)]
    [InlineData("", BroadcastMedia.Photo, "file-id", null, true)]
    [InlineData("caption", BroadcastMedia.Video, null, null, false)]
    [InlineData("hello", BroadcastMedia.None, null, "https://example.org", true)]
    [InlineData("hello", BroadcastMedia.None, null, "javascript:alert(1)", false)]
    public void Content_is_checked_against_telegrams_rules(string text, BroadcastMedia media, string? file, string? buttonUrl, bool valid)
    {
        var content = new BroadcastContent
        {
            Text = text,
            Media = media,
            MediaFile = file,
            Buttons = buttonUrl is null ? [] : [new BroadcastButton("Open", buttonUrl)],
        };

        Assert.Equal(valid, content.Validate() is null);
    }

    [Fact]
    public void A_caption_longer_than_1024_is_refused_but_such_a_text_is_fine()
    {
        var text = new string('a', 2000);

        Assert.Null(new BroadcastContent { Text = text }.Validate());
        Assert.NotNull(new BroadcastContent { Text = text, Media = BroadcastMedia.Photo, MediaFile = "f" }.Validate());
    }

    [Theory]
    [InlineData(8, 59, new string[0])]
    [InlineData(9, 0, new[] { "prompt" })]
    [InlineData(11, 59, new[] { "prompt" })]
    [InlineData(12, 0, new string[0])]
    public void The_daily_prompt_is_due_from_its_time_for_three_hours(int hour, int minute, string[] kinds)
    {
        var now = new DateTimeOffset(2026, 11, 26, hour, minute, 0, TimeSpan.FromHours(5.5));
        var planner = new DailyPromptPlanner(TestCampaigns.Calendar(), WorkflowHarness.Localizer, new TodayClock(new FakeTimeProvider(now), India), new TimeOnly(9, 0));

        var due = planner.Due().Select(d => d.Id).Where(id => id.Contains("-prompt-", StringComparison.Ordinal)).ToList();

        Assert.Equal(kinds.Length == 0 ? 0 : WorkflowHarness.Localizer.Languages.Count, due.Count);
        Assert.All(due, id => Assert.StartsWith("daily-20261126-prompt-", id));
    }

    [Fact]
    public void Progress_shows_a_bar_the_counts_and_an_eta()
    {
        var job = new BroadcastJobInfo { Id = "b1", Status = BroadcastStatus.Running, Total = 1000, Sent = 480, Failed = 5, Unreachable = 15, Remaining = 500 };

        var text = BroadcastProgress.Format(WorkflowHarness.Localizer, "en", job, 25).ToPlainText();

        Assert.Contains("█████░░░░░ 50%", text);
        Assert.Contains("Sent 480 · failed 5 · unreachable 15 · remaining 500 (of 1,000)", text);
        Assert.Contains("About 0:20 left", text);
    }

    [Fact]
    public void Every_broadcast_key_exists_in_hindi_and_english()
    {
        foreach (var key in new[] { "broadcast.post_now", "broadcast.progress.counts", "broadcast.compose.preview", "broadcast.report.done" })
        {
            Assert.NotEqual(key, WorkflowHarness.Localizer.Plain("hi", key, ("hashtag", "#x"), ("sent", "1"), ("failed", "0"), ("unreachable", "0"), ("remaining", "0"), ("total", "1"), ("count", "1"), ("id", "b1")));
            Assert.NotEqual(key, WorkflowHarness.Localizer.Plain("en", key, ("hashtag", "#x"), ("sent", "1"), ("failed", "0"), ("unreachable", "0"), ("remaining", "0"), ("total", "1"), ("count", "1"), ("id", "b1")));
        }
    }
}
