using SpeakUp.Core.Admin;

namespace SpeakUp.Core.Tests.Admin;

public sealed class CampaignWizardTests
{
    private readonly CampaignWizard _wizard = new(["hi", "en"], ["done", "हो गया"]);

    [Fact]
    public void Answers_in_order_build_a_campaign_with_the_hashtag_added_to_posts()
    {
        string[] answers =
        [
            "1",
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
        Assert.False(done.IsSeries);
        Assert.Equal("jobs-2026-12-01", done.Id);
        Assert.Equal(["हम रोज़गार चाहते हैं #SpeakUpForJobs"], done.Posts["hi"]);
        Assert.Equal(["We want jobs #SpeakUpForJobs"], done.Posts["en"]);
        Assert.Equal(2, done.Points["hi"].Count);
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 7), new TimeOnly(11, 0)), (done.Starts, done.Ends, done.PostTime!.Value));
    }

    [Fact]
    public void A_series_takes_its_posts_one_by_one_until_done_and_runs_one_day_per_post()
    {
        var draft = new CampaignDraft();
        foreach (var answer in new[] { "2", "#DeshKiDharohar", "देश की धरोहर", "Our heritage", "जानें\nदेखने जाएँ", "Know it\nVisit it" })
        {
            (draft, var error, _) = _wizard.Answer(draft, answer);
            Assert.Null(error);
        }

        Assert.Equal(("series", "hi", 1, false), Ask(draft));
        Assert.Equal("campaign.new.series_empty", _wizard.Answer(draft, "done").Error);
        draft = _wizard.Answer(draft, "कोणार्क, ओडिशा").Draft;
        Assert.Equal(("series", "en", 1, false), Ask(draft));
        draft = _wizard.Answer(draft, "Konark, Odisha #DeshKiDharohar").Draft;
        Assert.Equal(("series", "hi", 2, true), Ask(draft));
        draft = _wizard.Answer(draft, "हम्पी, कर्नाटक").Draft;
        Assert.Equal("campaign.new.series_unfinished", _wizard.Answer(draft, "done").Error);
        draft = _wizard.Answer(draft, "Hampi, Karnataka").Draft;
        draft = _wizard.Answer(draft, "हो गया").Draft;
        Assert.Equal("start", _wizard.Question(draft).Kind);
        draft = _wizard.Answer(draft, "2027-01-11").Draft;
        var (_, last, series) = _wizard.Answer(draft, "-");

        Assert.Null(last);
        Assert.NotNull(series);
        Assert.True(series.IsSeries);
        Assert.Equal("deshkidharohar-2027-01-11", series.Id);
        Assert.Equal((new DateOnly(2027, 1, 11), new DateOnly(2027, 1, 12)), (series.Starts, series.Ends));
        Assert.Null(series.PostTime);
        Assert.Equal(["कोणार्क, ओडिशा #DeshKiDharohar", "हम्पी, कर्नाटक #DeshKiDharohar"], series.Series!.Select(p => p.Text["hi"]));
        Assert.Equal(["Konark, Odisha #DeshKiDharohar", "Hampi, Karnataka #DeshKiDharohar"], series.Series!.Select(p => p.Text["en"]));
        Assert.Equal(["Know it", "Visit it"], series.ForDay(new DateOnly(2027, 1, 12)).Points["en"]);
        _ = new SpeakUp.Core.Campaigns.CampaignCalendar([series]);
    }

    [Fact]
    public void A_series_post_longer_than_x_allows_is_refused()
    {
        var draft = new CampaignDraft { Step = 6, Series = true, Hashtag = "#DeshKiDharohar" };

        var (next, error, _) = _wizard.Answer(draft, new string('क', 270));

        Assert.Equal("campaign.new.too_long", error);
        Assert.Empty(next.Day);
    }

    [Theory]
    [InlineData(0, "3")]
    [InlineData(1, "no hashtag")]
    [InlineData(4, "only one point")]
    [InlineData(8, "2026-12-07 2026-12-01")]
    [InlineData(9, "11 बजे")]
    public void A_wrong_answer_keeps_the_step_and_says_why(int step, string answer)
    {
        var draft = new CampaignDraft { Step = step, Series = step == 0 ? null : false, Hashtag = "#SpeakUpForJobs" };

        var (next, error, done) = _wizard.Answer(draft, answer);

        Assert.Equal(step, next.Step);
        Assert.Equal("campaign.new.invalid", error);
        Assert.Null(done);
    }

    [Fact]
    public void A_draft_survives_serialization()
    {
        var draft = new CampaignDraft { Step = 6, Series = true, Hashtag = "#किसान", Title = new() { ["hi"] = "किसान" }, Days = [new() { ["hi"] = "पहला", ["en"] = "First" }], Day = new() { ["hi"] = "दूसरा" } };

        var back = CampaignWizard.Deserialize(CampaignWizard.Serialize(draft));

        Assert.Equal((6, true, "#किसान", "किसान", "First", "दूसरा"), (back!.Step, back.Series, back.Hashtag, back.Title["hi"], back.Days[0]["en"], back.Day["hi"]));
    }

    private (string Kind, string? Language, int Day, bool CanFinish) Ask(CampaignDraft draft)
    {
        var q = _wizard.Question(draft);
        return (q.Kind, q.Language, q.Day, q.CanFinish);
    }
}
