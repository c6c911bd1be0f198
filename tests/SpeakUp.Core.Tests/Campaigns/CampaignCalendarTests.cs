using SpeakUp.Core.Campaigns;

namespace SpeakUp.Core.Tests.Campaigns;

public sealed class CampaignCalendarTests
{
    // farmers 24–30 Nov, a gap on 1 Dec, jobs 2–5 Dec, students 6 Dec (given out of order on purpose).
    private static readonly CampaignCalendar Calendar = new(
    [
        Make("jobs", "2026-12-02", "2026-12-05"),
        Make("students", "2026-12-06", "2026-12-06"),
        Make("farmers", "2026-11-24", "2026-11-30"),
    ]);

    [Fact]
    public void All_is_sorted_by_start() =>
        Assert.Equal(["farmers", "jobs", "students"], Calendar.All.Select(c => c.Id));

    [Theory]
    [InlineData("2026-11-23", null)]
    [InlineData("2026-11-24", "farmers")]
    [InlineData("2026-11-26", "farmers")]
    [InlineData("2026-11-30", "farmers")]
    [InlineData("2026-12-01", null)]
    [InlineData("2026-12-02", "jobs")]
    [InlineData("2026-12-05", "jobs")]
    [InlineData("2026-12-06", "students")]
    [InlineData("2026-12-07", null)]
    public void On_finds_the_campaign_running_that_day(string date, string? expected) =>
        Assert.Equal(expected, Calendar.On(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))?.Id);

    [Theory]
    [InlineData("2026-01-01", "farmers")]
    [InlineData("2026-11-23", "farmers")]
    [InlineData("2026-11-24", "jobs")]
    [InlineData("2026-11-30", "jobs")]
    [InlineData("2026-12-01", "jobs")]
    [InlineData("2026-12-02", "students")]
    [InlineData("2026-12-05", "students")]
    [InlineData("2026-12-06", null)]
    [InlineData("2027-01-01", null)]
    public void NextAfter_finds_the_first_campaign_starting_after_that_day(string date, string? expected) =>
        Assert.Equal(expected, Calendar.NextAfter(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))?.Id);

    [Theory]
    [InlineData("jobs", "jobs")]
    [InlineData("JOBS", null)]
    [InlineData("nope", null)]
    [InlineData("", null)]
    public void Find_looks_up_by_exact_id(string id, string? expected) =>
        Assert.Equal(expected, Calendar.Find(id)?.Id);

    [Fact]
    public void An_empty_calendar_has_nothing_today_or_next()
    {
        var empty = new CampaignCalendar([]);
        var today = new DateOnly(2026, 11, 26);

        Assert.Equal((null, null), (empty.On(today), empty.NextAfter(today)));
    }

    [Fact]
    public void Overlapping_campaigns_are_refused() =>
        Assert.Throws<ArgumentException>(() => new CampaignCalendar(
        [
            Make("a", "2026-11-24", "2026-11-30"),
            Make("b", "2026-11-30", "2026-12-03"),
        ]));

    [Fact]
    public void Duplicate_ids_are_refused() =>
        Assert.Throws<ArgumentException>(() => new CampaignCalendar(
        [
            Make("a", "2026-11-24", "2026-11-25"),
            Make("a", "2026-12-01", "2026-12-03"),
        ]));

    internal static Campaign Make(string id, string starts, string ends) => new()
    {
        Id = id,
        Hashtag = "#SpeakUpFor" + id,
        Starts = DateOnly.Parse(starts, System.Globalization.CultureInfo.InvariantCulture),
        Ends = DateOnly.Parse(ends, System.Globalization.CultureInfo.InvariantCulture),
        Title = new Dictionary<string, string> { ["en"] = id, ["hi"] = id },
        Points = new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["a", "b"], ["hi"] = ["क", "ख"] },
        Posts = new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["post"], ["hi"] = ["पोस्ट"] },
    };
}
