using SpeakUp.Core.Admin;

namespace SpeakUp.Core.Tests.Admin;

public sealed class CampaignWizardTests
{
    private readonly CampaignWizard _wizard = new(["hi", "en"]);

    [Fact]
    public void Answers_in_order_build_a_campaign_with_the_hashtag_added_to_posts()
    {
        string[] answers =
        [
            "#SpeakUpForJobs",
            "रोज़गार के लिए आवाज़",
            "Speak up for jobs",
            "युवाओं को काम चाहिए\nभर्ती समय पर हो",
            "Youth need work\nHire on time",
            "हम रोज़गार चाहते हैं",
            "We want jobs #SpeakUpForJobs",
            "2026-12-01 2026-12-07",
            "11:00",
        ];
        var draft = new CampaignDraft();
        SpeakUp.Core.Campaigns.Campaign? done = null;
        foreach (var answer in answers)
        {
            Assert.Null(done);
            (draft, var error, done) = _wizard.Answer(draft, answer);
            Assert.Null(error);
        }

        Assert.NotNull(done);
        Assert.Equal("jobs-2026-12-01", done.Id);
        Assert.Equal(["हम रोज़गार चाहते हैं #SpeakUpForJobs"], done.Posts["hi"]);
        Assert.Equal(["We want jobs #SpeakUpForJobs"], done.Posts["en"]);
        Assert.Equal(2, done.Points["hi"].Count);
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 7), new TimeOnly(11, 0)), (done.Starts, done.Ends, done.PostTime!.Value));
    }

    [Theory]
    [InlineData(0, "no hashtag")]
    [InlineData(3, "only one point")]
    [InlineData(7, "2026-12-07 2026-12-01")]
    [InlineData(8, "11 बजे")]
    public void A_wrong_answer_keeps_the_step_and_says_why(int step, string answer)
    {
        var draft = new CampaignDraft { Step = step, Hashtag = "#SpeakUpForJobs" };

        var (next, error, done) = _wizard.Answer(draft, answer);

        Assert.Equal(step, next.Step);
        Assert.Equal("campaign.new.invalid", error);
        Assert.Null(done);
    }

    [Fact]
    public void A_draft_survives_serialization()
    {
        var draft = new CampaignDraft { Step = 3, Hashtag = "#किसान", Title = new() { ["hi"] = "किसान" } };

        var back = CampaignWizard.Deserialize(CampaignWizard.Serialize(draft));

        Assert.Equal((3, "#किसान", "किसान"), (back!.Step, back.Hashtag, back.Title["hi"]));
    }
}
