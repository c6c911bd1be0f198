using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Submissions;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Submissions;

public sealed class SubmissionWorkflowTests
{
    private static int s_file;

    private static InboundEvent Media(WorkflowHarness h, MediaKind kind, string? file = null, int? seconds = null, long? size = null, string? caption = null, string? group = null, string? mime = null)
    {
        file ??= "file-" + Interlocked.Increment(ref s_file);
        return new InboundEvent
        {
            Chat = h.Chat,
            Kind = InboundKind.Media,
            UserId = h.Chat.ChatId,
            FirstName = "Sunita",
            MessageId = Interlocked.Increment(ref s_file).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Media = new MediaInfo(kind, file, "u-" + file, seconds, size, caption, group, mime),
        };
    }

    private static WorkflowHarness Joined(string language = "hi") => new WorkflowHarness().Join(language);

    [Fact]
    public void Submit_asks_for_content_with_todays_hashtag_and_a_cancel_button()
    {
        var h = Joined("en").Command("submit");

        Assert.Equal(SupporterState.Submitting, h.Session.State);
        Assert.Contains("#SpeakUpForFarmers", h.Text, StringComparison.Ordinal);
        Assert.Contains(h.Buttons, b => b.Data == "x");
    }

    [Fact]
    public void Today_offers_a_send_your_video_button_that_asks_for_content()
    {
        var h = Joined("hi").Command("today");
        Assert.Contains(h.Buttons, b => b.Data == "sb:go" && b.Label == h.Say("hi", "submit.button"));

        h.Press("sb:go");

        Assert.Equal(SupporterState.Submitting, h.Session.State);
    }

    [Theory]
    [InlineData(MediaKind.Video, "video")]
    [InlineData(MediaKind.VideoNote, "video_note")]
    [InlineData(MediaKind.Voice, "voice")]
    [InlineData(MediaKind.Photo, "photo")]
    public void Each_accepted_type_gets_a_summary_and_the_credit_question(MediaKind kind, string key)
    {
        var h = Joined("en").Command("submit");

        h.Apply(Media(h, kind, seconds: kind == MediaKind.Photo ? null : 42));

        Assert.Equal(SupporterState.ConfirmingSubmission, h.Session.State);
        Assert.Contains(h.Say("en", "submit.kind." + key), h.Text, StringComparison.Ordinal);
        Assert.Equal(["sb:n", "sb:a", "x"], h.Buttons.Select(b => b.Data));
        Assert.Contains("In my name (Sunita)", h.Buttons.Select(b => b.Label));
    }

    [Fact]
    public void Media_from_the_main_menu_is_offered_as_a_submission()
    {
        var h = Joined("hi");

        h.Apply(Media(h, MediaKind.Video, seconds: 20));

        Assert.Equal(SupporterState.ConfirmingSubmission, h.Session.State);
        Assert.Single(h.Session.Draft!.Items);
    }

    [Fact]
    public void Text_sent_after_submit_becomes_a_text_submission()
    {
        var h = Joined("en").Command("submit").Type("Farmers feed the nation");

        Assert.Equal(SupporterState.ConfirmingSubmission, h.Session.State);
        Assert.Equal("Farmers feed the nation", h.Session.Draft!.Text);
        Assert.Empty(h.Session.Draft.Items);
    }

    [Fact]
    public void Confirming_moves_the_draft_out_for_storage_and_counts_it()
    {
        var h = Joined("hi").Command("submit");
        h.Apply(Media(h, MediaKind.Photo, caption: "मेरी फ़ोटो"));
        var id = h.Session.Draft!.Id;

        h.Press("sb:a");

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Null(h.Session.Draft);
        Assert.Equal(id, h.Session.ConfirmedDraft?.Id);
        Assert.True(h.Session.ConfirmedAnonymously);
        Assert.Equal(1, h.Session.SubmissionsToday);
        Assert.Equal(h.Say("hi", "submit.received"), h.Replies[0].Text.ToPlainText());
    }

    [Fact]
    public void Cancel_drops_the_draft()
    {
        var h = Joined("en").Command("submit");
        h.Apply(Media(h, MediaKind.Photo));

        h.Command("cancel");

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Null(h.Session.Draft);
        Assert.Null(h.Session.ConfirmedDraft);
    }

    [Fact]
    public void An_album_is_one_draft_and_only_its_first_item_gets_a_reply()
    {
        var h = Joined("en").Command("submit");

        h.Apply(Media(h, MediaKind.Photo, group: "album-1", caption: "Our rally"));
        var firstReplies = h.Replies.Count;
        h.Apply(Media(h, MediaKind.Video, seconds: 10, group: "album-1"));
        var secondReplies = h.Replies.Count;
        h.Apply(Media(h, MediaKind.Photo, group: "album-1"));

        Assert.Equal(1, firstReplies);
        Assert.Equal(0, secondReplies);
        Assert.Empty(h.Replies);
        Assert.Equal(3, h.Session.Draft!.Items.Count);
        Assert.Equal("Our rally", h.Session.Draft.Text);

        h.Press("sb:n");
        Assert.Equal(3, h.Session.ConfirmedDraft!.Items.Count);
    }

    private static InboundEvent Content(WorkflowHarness h, string name) => name switch
    {
        "sticker" => Media(h, MediaKind.Sticker),
        "location" => Media(h, MediaKind.Location),
        "contact" => Media(h, MediaKind.Contact),
        "poll" => Media(h, MediaKind.Poll),
        "pdf" => Media(h, MediaKind.Document, mime: "application/pdf"),
        "long video" => Media(h, MediaKind.Video, seconds: 181),
        "long video note" => Media(h, MediaKind.VideoNote, seconds: 200),
        "big video" => Media(h, MediaKind.Video, seconds: 10, size: 20L * 1024 * 1024 + 1),
        "long caption" => Media(h, MediaKind.Photo, caption: new string('a', 1025)),
        "long text" => new InboundEvent { Chat = h.Chat, Kind = InboundKind.Text, Text = new string('a', 4097), UserId = h.Chat.ChatId },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("submit.refused.type", "sticker")]
    [InlineData("submit.refused.type", "location")]
    [InlineData("submit.refused.type", "contact")]
    [InlineData("submit.refused.type", "poll")]
    [InlineData("submit.refused.type", "pdf")]
    [InlineData("submit.refused.too_long", "long video")]
    [InlineData("submit.refused.too_long", "long video note")]
    [InlineData("submit.refused.too_big", "big video")]
    [InlineData("submit.refused.caption_too_long", "long caption")]
    [InlineData("submit.refused.text_too_long", "long text")]
    public void Content_outside_the_rules_gets_a_clear_refusal_in_the_supporters_language(string key, string content)
    {
        var h = Joined("hi").Command("submit");

        h.Apply(Content(h, content));

        Assert.Equal(SupporterState.Submitting, h.Session.State);
        Assert.StartsWith(h.Say("hi", key, ("max", "0")).Split('0')[0], h.Replies[0].Text.ToPlainText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(180, true)]
    [InlineData(181, false)]
    public void Video_length_limit_is_inclusive(int seconds, bool accepted)
    {
        var h = Joined("en").Command("submit");

        h.Apply(Media(h, MediaKind.Video, seconds: seconds));

        Assert.Equal(accepted ? SupporterState.ConfirmingSubmission : SupporterState.Submitting, h.Session.State);
    }

    [Fact]
    public void The_same_file_sent_twice_is_one_submission()
    {
        var h = Joined("en");
        h.Apply(Media(h, MediaKind.Photo, file: "same"));
        h.Press("sb:n");

        h.Apply(Media(h, MediaKind.Photo, file: "same"));

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Equal(h.Say("en", "submit.refused.duplicate"), h.Replies[0].Text.ToPlainText());
    }

    [Fact]
    public void The_daily_cap_stops_the_eleventh_submission_and_resets_the_next_day()
    {
        var h = Joined("en");
        for (var i = 0; i < 10; i++)
        {
            h.Apply(Media(h, MediaKind.Photo));
            h.Press("sb:n");
        }

        h.Command("submit");
        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Equal(h.Say("en", "submit.refused.daily_cap", ("max", "10")), h.Replies[0].Text.ToPlainText());

        h.Time.Advance(TimeSpan.FromDays(1));
        h.Command("submit");
        Assert.Equal(SupporterState.Submitting, h.Session.State);
    }

    [Fact]
    public void Without_a_campaign_today_nothing_is_taken()
    {
        var h = new WorkflowHarness(now: new DateTimeOffset(2027, 3, 1, 4, 0, 0, TimeSpan.Zero)).Join("en");

        h.Apply(Media(h, MediaKind.Photo));

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Equal(h.Say("en", "submit.refused.no_campaign"), h.Replies[0].Text.ToPlainText());
    }

    [Fact]
    public void Media_before_joining_is_still_explained_not_taken()
    {
        var h = new WorkflowHarness().Command("start").Press("l:hi");

        h.Apply(Media(h, MediaKind.Video, seconds: 10));

        Assert.Null(h.Session.Draft);
        Assert.Equal(h.Say("hi", "media.not_accepted"), h.Replies[0].Text.ToPlainText());
    }

    [Fact]
    public void Submit_before_joining_says_to_join_first_and_repeats_the_question()
    {
        var h = new WorkflowHarness().Command("start").Press("l:en").Command("submit");

        Assert.Equal(SupporterState.AskingConsent, h.Session.State);
        Assert.Equal([h.Say("en", "submit.join_first"), h.Say("en", "consent.ask")], h.Replies.Select(r => r.Text.ToPlainText()));
    }

    [Fact]
    public void A_forged_or_stale_credit_button_outside_the_confirmation_is_a_stale_button()
    {
        var h = Joined("en").Press("sb:n");

        Assert.Null(h.Session.ConfirmedDraft);
        Assert.Equal(h.Say("en", "unknown.button"), h.Replies[0].Text.ToPlainText());
    }
}
