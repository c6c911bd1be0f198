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
        Assert.All(Campaigns, c =>
        {
            foreach (var lang in Languages)
            {
                Assert.False(string.IsNullOrWhiteSpace(c.Title[lang]));
                Assert.InRange(c.Points[lang].Count, 2, 4);
                Assert.InRange(c.Posts[lang].Count, 2, 3);
            }
        });

    [Fact]
    public void Every_shipped_post_carries_its_hashtag_and_fits_on_x() =>
        Assert.All(
            Campaigns.SelectMany(c => c.Posts.Values.SelectMany(p => p).Select(post => (c.Hashtag, post))),
            x =>
            {
                Assert.True(CampaignFileParser.ContainsHashtag(x.post, x.Hashtag), x.post);
                Assert.InRange(CampaignFileParser.XLength(x.post), 1, CampaignFileParser.MaxPostLength);
            });

    [Fact]
    public void Hindi_text_uses_western_digits() =>
        Assert.DoesNotContain(
            Campaigns.SelectMany(c => c.Points["hi"].Concat(c.Posts["hi"]).Append(c.Title["hi"])),
            text => text.Any(ch => ch is >= '\u0966' and <= '\u096F'));

    internal static string ConfigFile() => Path.Combine(Support.RepoPaths.Root, "config", "campaigns.yaml");
}
