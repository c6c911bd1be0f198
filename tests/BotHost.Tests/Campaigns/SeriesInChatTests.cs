using System.Globalization;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests.Campaigns;

/// <summary>A series created and edited from chat by an owner, the way Telegram would deliver the messages.</summary>
[Collection(OnGarnet.Name)]
public sealed class SeriesInChatTests(GarnetFixture redis)
{
    private const long Owner = 8_400_001;

    [SkippableFact]
    public async Task An_owner_creates_a_series_post_by_post_edits_a_day_and_cannot_stretch_its_end()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await BotHostHarness.StartAsync(redis, s => s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture));

        Assert.Contains("किस तरह का", Assert.Single(await host.SayAsync(Owner, "/campaign new")).VisibleText);
        Assert.Contains("कदम 2/9", Assert.Single(await host.SayAsync(Owner, "2")).VisibleText);
        foreach (var answer in new[] { "#DeshKiDharohar", "देश की धरोहर", "Our heritage", "जानें\nदेखने जाएँ", "Know it\nVisit it" })
        {
            Assert.Contains("कदम", Assert.Single(await host.SayAsync(Owner, answer)).VisibleText);
        }

        Assert.Contains("दिन 1", Assert.Single(await host.SayAsync(Owner, "कोणार्क, ओडिशा")).VisibleText);
        var dayTwo = Assert.Single(await host.SayAsync(Owner, "Konark, Odisha")).VisibleText;
        Assert.Contains("दिन 2", dayTwo);
        Assert.Contains("\"हो गया\"", dayTwo);
        Assert.DoesNotContain("\"हो गया\"", Assert.Single(await host.SayAsync(Owner, "हम्पी, कर्नाटक")).VisibleText);
        Assert.Contains("दिन 3", Assert.Single(await host.SayAsync(Owner, "Hampi, Karnataka")).VisibleText);
        Assert.Contains("2 दिन", Assert.Single(await host.SayAsync(Owner, "हो गया")).VisibleText);
        Assert.Contains("कदम 9/9", Assert.Single(await host.SayAsync(Owner, "2027-03-10")).VisibleText);
        Assert.Contains("सेव हो गया", Assert.Single(await host.SayAsync(Owner, "11:00")).VisibleText);

        var list = Assert.Single(await host.SayAsync(Owner, "/campaigns")).VisibleText;
        Assert.Contains("#DeshKiDharohar (deshkidharohar-2027-03-10)", list);
        Assert.Contains("2 पोस्ट की सीरीज़", list);

        Assert.Contains("सेव हो गया", Assert.Single(await host.SayAsync(Owner, "/campaign edit deshkidharohar-2027-03-10 day.2.hi हम्पी, कर्नाटक: विजयनगर की राजधानी")).VisibleText);
        Assert.Contains("एक सीरीज़ है", Assert.Single(await host.SayAsync(Owner, "/campaign edit deshkidharohar-2027-03-10 ends 2027-03-20")).VisibleText);
        Assert.Contains("सही नहीं", Assert.Single(await host.SayAsync(Owner, "/campaign edit deshkidharohar-2027-03-10 day.3.hi तीसरा दिन")).VisibleText);
        var audit = Assert.Single(await host.SayAsync(Owner, "/audit")).VisibleText;
        Assert.Contains("campaign.new · deshkidharohar-2027-03-10", audit);
        Assert.Contains("campaign.edit · deshkidharohar-2027-03-10", audit);
    }
}
