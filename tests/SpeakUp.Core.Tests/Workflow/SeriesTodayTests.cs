using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Workflow;

/// <summary>/today on the days of a series: the day's post, its number, its picture; nothing after the last post.</summary>
public sealed class SeriesTodayTests
{
    private static readonly DateOnly First = new(2027, 1, 11);

    private static Campaign Heritage() => new()
    {
        Id = "heritage",
        Hashtag = "#DeshKiDharohar",
        Starts = First,
        Ends = First.AddDays(2),
        PostTime = new TimeOnly(11, 0),
        Title = new Dictionary<string, string> { ["en"] = "One heritage site a day", ["hi"] = "रोज़ एक धरोहर" },
        Points = new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["Know it", "Visit it"], ["hi"] = ["जानें", "देखने जाएँ"] },
        Posts = new Dictionary<string, IReadOnlyList<string>>(),
        Series =
        [
            new SeriesPost { Title = new Dictionary<string, string> { ["en"] = "Konark", ["hi"] = "कोणार्क" }, Text = new Dictionary<string, string> { ["en"] = "Konark #DeshKiDharohar", ["hi"] = "कोणार्क #DeshKiDharohar" } },
            new SeriesPost
            {
                Title = new Dictionary<string, string> { ["en"] = "Hampi", ["hi"] = "हम्पी" },
                Text = new Dictionary<string, string> { ["en"] = "Hampi #DeshKiDharohar", ["hi"] = "हम्पी #DeshKiDharohar" },
                Points = new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["Vijayanagara", "Stone chariot"], ["hi"] = ["विजयनगर", "पत्थर का रथ"] },
                Image = new Uri("https://example.org/hampi.jpg"),
            },
            new SeriesPost { Text = new Dictionary<string, string> { ["en"] = "Rani ki Vav #DeshKiDharohar", ["hi"] = "रानी की वाव #DeshKiDharohar" } },
        ],
    };

    /// <summary>09:30 in India on the given day of the series (1-based).</summary>
    private static DateTimeOffset MorningOf(int day) => new DateTimeOffset(First.ToDateTime(new TimeOnly(4, 0)), TimeSpan.Zero).AddDays(day - 1);

    [Theory]
    [InlineData("hi", "दिन 2/3: हम्पी", "हम्पी #DeshKiDharohar", "पत्थर का रथ")]
    [InlineData("en", "Day 2 of 3: Hampi", "Hampi #DeshKiDharohar", "Stone chariot")]
    public void Today_on_day_two_shows_the_second_post_with_its_points_and_picture(string language, string day, string post, string point)
    {
        var h = new WorkflowHarness(new CampaignCalendar([Heritage()]), now: MorningOf(2)).Join(language).Command("today");

        Assert.Contains(day, h.Text);
        Assert.Contains(post, h.Text);
        Assert.Contains(point, h.Text);
        Assert.DoesNotContain("Konark", h.Text);
        Assert.Contains(h.Buttons, b => b.Url == "https://example.org/hampi.jpg" && b.Label == h.Say(language, "today.image"));
        Assert.Contains(h.Buttons, b => b.Url == "https://x.com/intent/tweet?text=" + Uri.EscapeDataString(post));
    }

    [Fact]
    public void A_day_without_points_or_a_subject_shows_the_series_points_and_its_number()
    {
        var h = new WorkflowHarness(new CampaignCalendar([Heritage()]), now: MorningOf(3)).Join("en").Command("today");

        Assert.Contains("Day 3 of 3", h.Text);
        Assert.DoesNotContain("Day 3 of 3:", h.Text);
        Assert.Contains("Visit it", h.Text);
        Assert.Contains("Rani ki Vav #DeshKiDharohar", h.Text);
        Assert.DoesNotContain(h.Buttons, b => b.Url?.StartsWith("https://example.org", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void After_the_last_post_the_series_is_over()
    {
        var h = new WorkflowHarness(new CampaignCalendar([Heritage()]), now: MorningOf(4)).Join("en").Command("today");

        Assert.Contains(h.Say("en", "today.none"), h.Text);
        Assert.DoesNotContain("#DeshKiDharohar", h.Text);
    }

    [Fact]
    public void A_calendar_refuses_a_series_whose_dates_and_posts_disagree()
    {
        var error = Assert.Throws<ArgumentException>(() => new CampaignCalendar([Heritage() with { Ends = First.AddDays(3) }]));

        Assert.Contains("Series 'heritage' has 3 posts but runs 4 days", error.Message, StringComparison.Ordinal);
    }
}
