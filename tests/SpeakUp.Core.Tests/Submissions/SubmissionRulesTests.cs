using SpeakUp.Core.Submissions;

namespace SpeakUp.Core.Tests.Submissions;

public sealed class SubmissionRulesTests
{
    [Theory]
    [InlineData(null, "#SpeakUpForFarmers")]
    [InlineData("My video", "My video\n\n#SpeakUpForFarmers")]
    [InlineData("Already #speakupforfarmers here", "Already #speakupforfarmers here")]
    public void Hashtag_is_appended_when_missing(string? caption, string expected) =>
        Assert.Equal(expected, SubmissionRules.WithHashtag(caption, "#SpeakUpForFarmers"));

    [Fact]
    public void Channel_caption_keeps_hashtag_and_credit_within_the_limit()
    {
        var caption = SubmissionRules.ChannelCaption(new string('क', 1020), "#SpeakUpForFarmers", "— Sunita, राजस्थान");

        Assert.True(caption.Length <= 1024);
        Assert.Contains("#SpeakUpForFarmers", caption, StringComparison.Ordinal);
        Assert.EndsWith("— Sunita, राजस्थान", caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_channel_caption_is_caption_hashtag_and_credit()
    {
        Assert.Equal("Hi\n\n#SpeakUpForFarmers\n\n— a supporter", SubmissionRules.ChannelCaption("Hi", "#SpeakUpForFarmers", "— a supporter"));
    }

    [Fact]
    public void Ids_are_twelve_characters_safe_for_button_data()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SubmissionRules.NewId()).ToList();

        Assert.All(ids, id => Assert.Matches("^[A-Z2-7]{12}$", id));
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.True(System.Text.Encoding.UTF8.GetByteCount("rv:x:" + ids[0] + ":4") <= 64);
    }
}
