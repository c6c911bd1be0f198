using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Admin;

public sealed class CampaignSyncTests
{
    private static readonly DateOnly Day = new(2026, 11, 24);

    [Fact]
    public void Reimporting_the_file_keeps_chat_edits_and_reports_the_conflict()
    {
        var file = TestCampaigns.Farmers(Day, Day.AddDays(6));
        var first = CampaignSync.Merge([file], []);
        var edited = first.Result[0] with { Campaign = file with { Hashtag = "#किसान_के_साथ" }, Source = CampaignSource.Chat };

        var changedFile = file with { Title = new Dictionary<string, string> { ["hi"] = "नया शीर्षक", ["en"] = "New title" } };
        var merge = CampaignSync.Merge([changedFile], [edited]);

        var kept = Assert.Single(merge.Result);
        Assert.Equal("#किसान_के_साथ", kept.Campaign.Hashtag);
        Assert.Equal(CampaignSource.Chat, kept.Source);
        Assert.Equal(["farmers"], merge.Conflicts);

        // Importing the same file again is quiet: the conflict was recorded against that version.
        var again = CampaignSync.Merge([changedFile], merge.Result);
        Assert.Empty(again.Conflicts);
        Assert.Empty(again.Changed);
    }

    [Fact]
    public void A_file_change_replaces_a_campaign_nobody_edited_in_chat_and_new_ones_are_added()
    {
        var farmers = TestCampaigns.Farmers(Day, Day.AddDays(6));
        var stored = CampaignSync.Merge([farmers], []).Result;
        var jobs = TestCampaigns.Jobs(Day.AddDays(7), Day.AddDays(9));

        var merge = CampaignSync.Merge([farmers with { Hashtag = "#SpeakUpForKisan" }, jobs], stored);

        Assert.Equal(["#SpeakUpForKisan", jobs.Hashtag], merge.Result.Select(s => s.Campaign.Hashtag));
        Assert.Equal(2, merge.Changed.Count);
        Assert.Empty(merge.Conflicts);
    }

    [Fact]
    public void Campaigns_created_in_chat_stay_when_the_file_does_not_have_them()
    {
        var chatOnly = new StoredCampaign(TestCampaigns.Jobs(Day, Day), CampaignSource.Chat, null);

        var merge = CampaignSync.Merge([], [chatOnly]);

        Assert.Equal(chatOnly, Assert.Single(merge.Result));
    }

    [Fact]
    public void A_stored_campaign_round_trips_through_json_with_hindi_text()
    {
        var stored = new StoredCampaign(TestCampaigns.Farmers(Day, Day.AddDays(6), new TimeOnly(11, 0)), CampaignSource.Chat, "abc");

        var back = CampaignSync.Deserialize(CampaignSync.Serialize(stored));

        Assert.Equal(CampaignSync.Hash(stored.Campaign), CampaignSync.Hash(back.Campaign));
        Assert.Equal((CampaignSource.Chat, "abc"), (back.Source, back.FileHash));
        Assert.Equal(stored.Campaign.Title["hi"], back.Campaign.Title["hi"]);
    }

    [Fact]
    public void A_campaign_taken_out_of_the_file_is_removed_unless_it_was_edited_in_chat()
    {
        var farmers = TestCampaigns.Farmers(Day, Day.AddDays(6));
        var jobs = TestCampaigns.Jobs(Day.AddDays(7), Day.AddDays(9));
        var stored = CampaignSync.Merge([farmers, jobs], []).Result;
        var edited = stored.Select(s => s.Campaign.Id == "jobs" ? s with { Campaign = s.Campaign with { Hashtag = "#नौकरी" }, Source = CampaignSource.Chat } : s).ToList();

        var merge = CampaignSync.Merge([], edited);

        Assert.Equal(["farmers"], merge.Removed);
        Assert.Equal("#नौकरी", Assert.Single(merge.Result).Campaign.Hashtag);
        Assert.Equal(["jobs"], merge.Conflicts);

        // Reported once: the kept campaign no longer points at a file version.
        var again = CampaignSync.Merge([], merge.Result);
        Assert.Empty(again.Conflicts);
        Assert.Empty(again.Changed);
        Assert.Empty(again.Removed);
    }

    [Fact]
    public void A_series_round_trips_through_json_with_its_posts_and_picture()
    {
        var series = TestCampaigns.Farmers(Day, Day.AddDays(1)) with
        {
            Posts = new Dictionary<string, IReadOnlyList<string>>(),
            Series =
            [
                new SeriesPost { Title = new Dictionary<string, string> { ["hi"] = "कोणार्क", ["en"] = "Konark" }, Text = new Dictionary<string, string> { ["hi"] = "कोणार्क #DeshKiDharohar", ["en"] = "Konark #DeshKiDharohar" }, Image = new Uri("https://example.org/k.jpg") },
                new SeriesPost { Text = new Dictionary<string, string> { ["hi"] = "हम्पी #DeshKiDharohar", ["en"] = "Hampi #DeshKiDharohar" }, Points = new Dictionary<string, IReadOnlyList<string>> { ["hi"] = ["एक", "दो"], ["en"] = ["One", "Two"] } },
            ],
        };

        var back = CampaignSync.Deserialize(CampaignSync.Serialize(new StoredCampaign(series, CampaignSource.File, "h"))).Campaign;

        Assert.Equal(CampaignSync.Hash(series), CampaignSync.Hash(back));
        Assert.Equal(new Uri("https://example.org/k.jpg"), back.Series![0].Image);
        Assert.Equal("हम्पी #DeshKiDharohar", back.Series[1].Text["hi"]);
        Assert.Equal(["एक", "दो"], back.Series[1].Points!["hi"]);
        Assert.Null(back.Series[1].Title);
    }

    [Fact]
    public void An_ordinary_campaign_is_stored_as_before_series_existed_so_its_hash_does_not_change()
    {
        var json = System.Text.Encoding.UTF8.GetString(CampaignSync.Serialize(new StoredCampaign(TestCampaigns.Farmers(Day, Day), CampaignSource.File, null)));

        Assert.DoesNotContain("series", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("isSeries", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#SpeakUpForFarmers", true)]
    [InlineData("#किसान_के_साथ", true)]
    [InlineData("#SpeakUp2026", true)]
    [InlineData("SpeakUp", false)]
    [InlineData("#Speak Up", false)]
    [InlineData("#2026", false)]
    [InlineData("#", false)]
    [InlineData("#Speak-Up", false)]
    public void Hashtags_are_validated(string hashtag, bool valid) => Assert.Equal(valid, CampaignCommands.IsValidHashtag(hashtag));

    [Fact]
    public void A_hashtag_over_100_characters_is_rejected() => Assert.False(CampaignCommands.IsValidHashtag("#" + new string('a', 100)));
}
