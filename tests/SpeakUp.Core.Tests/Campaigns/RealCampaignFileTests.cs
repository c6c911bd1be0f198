using SpeakUp.Core.Campaigns;

namespace SpeakUp.Core.Tests.Campaigns;

/// <summary>The calendar the bot ships with: config/campaigns.yaml.</summary>
public sealed class RealCampaignFileTests
{
    private static readonly string[] Languages = ["en", "hi"];

    private static readonly IReadOnlyList<Campaign> Campaigns = CampaignFileParser.LoadFile(ConfigFile(), Languages);

    [Fact]
    public void The_shipped_calendar_has_a_campaign_today() =>
        Assert.NotNull(new CampaignCalendar(Campaigns).On(new DateOnly(2026, 11, 26)));

    [Fact]
    public void The_shipped_calendar_has_no_gaps_from_20_november_to_end_of_february()
    {
        var calendar = new CampaignCalendar(Campaigns);
        var missing = new List<DateOnly>();
        for (var day = new DateOnly(2026, 11, 20); day <= new DateOnly(2027, 2, 28); day = day.AddDays(1))
        {
            if (calendar.On(day) is null)
            {
                missing.Add(day);
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_shipped_campaign_has_english_and_hindi_text() =>
        Assert.All(Campaigns.Where(c => !c.IsSeries), c =>
        {
            foreach (var lang in Languages)
            {
                Assert.False(string.IsNullOrWhiteSpace(c.Title[lang]));
                Assert.InRange(c.Points[lang].Count, 2, 4);
                Assert.InRange(c.Posts[lang].Count, 2, 3);
            }
        });

    [Fact]
    public void The_shipped_calendar_has_a_heritage_series_with_a_titled_post_and_points_every_day()
    {
        var series = Assert.Single(Campaigns, c => c.IsSeries);

        Assert.Equal(7, series.Series!.Count);
        Assert.Equal(series.Starts.AddDays(6), series.Ends);
        for (var day = series.Starts; day <= series.Ends; day = day.AddDays(1))
        {
            var shown = series.ForDay(day);
            var post = series.SeriesPostOn(day)!;
            foreach (var lang in Languages)
            {
                Assert.False(string.IsNullOrWhiteSpace(post.Title![lang]));
                Assert.InRange(shown.Points[lang].Count, 2, 4);
                Assert.Single(shown.Posts[lang]);
            }
        }
    }

    [Fact]
    public void Every_shipped_post_carries_its_hashtag_and_fits_on_x() =>
        Assert.All(
            Campaigns.SelectMany(c => AllPosts(c).Select(post => (c.Hashtag, post))),
            x =>
            {
                Assert.True(CampaignFileParser.ContainsHashtag(x.post, x.Hashtag), x.post);
                Assert.InRange(CampaignFileParser.XLength(x.post), 1, CampaignFileParser.MaxPostLength);
            });

    [Fact]
    public void Hindi_text_uses_western_digits() =>
        Assert.DoesNotContain(
            Campaigns.SelectMany(c => HindiText(c)),
            text => text.Any(ch => ch is >= '\u0966' and <= '\u096F'));

    private static IEnumerable<string> AllPosts(Campaign campaign) =>
        campaign.Posts.Values.SelectMany(p => p).Concat(campaign.Series?.SelectMany(s => s.Text.Values) ?? []);

    private static IEnumerable<string> HindiText(Campaign campaign) =>
        campaign.Points.GetValueOrDefault("hi", []).Concat(campaign.Posts.GetValueOrDefault("hi", [])).Append(campaign.Title["hi"])
            .Concat(campaign.Series?.SelectMany(s => s.Points?["hi"] ?? []).Concat(campaign.Series.Select(s => s.Text["hi"])).Concat(campaign.Series.Select(s => s.Title?["hi"] ?? string.Empty)) ?? []);

    internal static string ConfigFile() => Path.Combine(Support.RepoPaths.Root, "config", "campaigns.yaml");
}
