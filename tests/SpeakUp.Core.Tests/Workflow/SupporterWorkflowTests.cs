using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Workflow;

public sealed class SupporterWorkflowTests
{
    [Fact]
    public void Start_greets_in_every_language_and_offers_both()
    {
        var h = new WorkflowHarness().Command("start");

        Assert.Equal(SupporterState.ChoosingLanguage, h.Session.State);
        Assert.Contains(h.Say("hi", "welcome.choose_language").Replace("*", "", StringComparison.Ordinal), h.Text);
        Assert.Contains(h.Say("en", "welcome.choose_language").Replace("*", "", StringComparison.Ordinal), h.Text);
        Assert.Equal(["l:hi", "l:en"], h.Buttons.Select(b => b.Data));
        Assert.Equal(["हिन्दी", "English"], h.Buttons.Select(b => b.Label));
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("en")]
    public void Choosing_a_language_asks_consent_in_that_language(string language)
    {
        var h = new WorkflowHarness().Command("start").Press("l:" + language);

        Assert.Equal(SupporterState.AskingConsent, h.Session.State);
        Assert.Equal(language, h.Session.Language);
        Assert.Equal(h.Say(language, "consent.ask"), h.Text);
        Assert.Equal([h.Say(language, "consent.yes"), h.Say(language, "consent.no")], h.Buttons.Select(b => b.Label));
    }

    [Theory]
    [InlineData("hi", "राजस्थान")]
    [InlineData("en", "Rajasthan")]
    public void Consent_then_state_joins_and_shows_todays_hashtag(string language, string stateName)
    {
        var h = new WorkflowHarness().Command("start").Press("l:" + language).Press("c:y");
        Assert.Equal(SupporterState.ChoosingState, h.Session.State);

        h.Press("s:RJ");

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.True(h.Session.OptedIn);
        Assert.Equal("RJ", h.Session.StateCode);
        Assert.Equal(WorkflowHarness.Morning, h.Session.JoinedAt);
        Assert.Contains(h.Say(language, "joined.welcome", ("state", stateName)).Replace("*", "", StringComparison.Ordinal), h.Text);
        Assert.Contains("#SpeakUpForFarmers", h.Text);
        Assert.Contains(h.Say(language, "today.post_time", ("time", "11:00")), h.Text);
    }

    [Fact]
    public void Not_now_still_joins_but_without_daily_prompts()
    {
        var h = new WorkflowHarness().Join("en", consent: false);

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.False(h.Session.OptedIn);
        Assert.Contains(h.Say("en", "joined.prompts_off"), h.Text);
        Assert.False(h.Session.Snapshot().ReceivesPrompts);
    }

    [Theory]
    [InlineData("राजस्थान", "RJ")]
    [InlineData("rajsthan", "RJ")]
    [InlineData("UP", "UP")]
    [InlineData("Orissa", "OD")]
    public void A_typed_state_name_is_accepted(string typed, string code)
    {
        var h = new WorkflowHarness().Command("start").Press("l:hi").Press("c:y").Type(typed);

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Equal(code, h.Session.StateCode);
    }

    [Fact]
    public void An_unknown_state_name_is_quoted_back_and_the_list_shown_again()
    {
        var h = new WorkflowHarness().Command("start").Press("l:en").Press("c:y").Type("Atlantis");

        Assert.Equal(SupporterState.ChoosingState, h.Session.State);
        Assert.Contains("\"Atlantis\"", h.Text);
        Assert.Contains(h.Buttons, b => b.Data == "s:AP");
    }

    [Fact]
    public void State_pages_turn_by_editing_the_keyboard_message()
    {
        var h = new WorkflowHarness().Command("start").Press("l:hi").Press("c:y");
        Assert.Equal(["◀ पीछे", "आगे ▶"], h.Buttons.Where(b => b.Data!.StartsWith("p:", StringComparison.Ordinal)).Select(b => b.Label).Prepend("◀ पीछे").Distinct());

        h.Press("p:3");

        var page = Assert.Single(h.Replies);
        Assert.NotNull(page.ReplacesMessageId);
        Assert.Equal(3, h.Session.StatePage);
        Assert.Contains(h.Buttons, b => b.Data == "s:PY");
        Assert.DoesNotContain(h.Buttons, b => b.Data == "p:4");
        Assert.Equal(36, Enumerable.Range(0, 4).Sum(p => h.Press("p:" + p).Buttons.Count(b => b.Data!.StartsWith("s:", StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("s:XX")]
    [InlineData("p:99")]
    [InlineData("p:-1")]
    [InlineData("l:fr")]
    [InlineData("c:maybe")]
    [InlineData("ok:admin")]
    [InlineData("")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Forged_or_stale_button_data_changes_nothing_and_gets_a_reply(string data)
    {
        var h = new WorkflowHarness().Command("start").Press("l:hi").Press("c:y");
        var before = (h.Session.State, h.Session.StateCode, h.Session.Language);

        h.Press(data);

        Assert.Equal(before, (h.Session.State, h.Session.StateCode, h.Session.Language));
        Assert.StartsWith(h.Say("hi", "unknown.button"), h.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consent_button_pressed_after_joining_is_stale()
    {
        var h = new WorkflowHarness().Join("en").Press("c:n");

        Assert.True(h.Session.OptedIn);
        Assert.StartsWith(h.Say("en", "unknown.button"), h.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("en")]
    public void Today_without_a_campaign_names_the_next_one(string language)
    {
        var h = new WorkflowHarness(now: new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero)).Join(language).Command("today");

        Assert.Contains(h.Say(language, "today.none"), h.Text);
        Assert.Contains("#SpeakUpForFarmers", h.Text);
        Assert.Contains(h.Say(language, "today.next", ("hashtag", "#SpeakUpForFarmers"), ("title", language == "hi" ? "हर फ़सल का सही दाम" : "A fair price for every crop"), ("date", new DateOnly(2026, 11, 24).ToString("d MMMM", WorkflowHarness.Localizer.Culture(language)))).Replace("*", "", StringComparison.Ordinal), h.Text);
    }

    [Fact]
    public void Today_after_the_last_campaign_says_none_is_planned()
    {
        var h = new WorkflowHarness(now: new DateTimeOffset(2027, 6, 1, 6, 0, 0, TimeSpan.Zero)).Join("en").Command("today");

        Assert.Contains(h.Say("en", "today.none_planned"), h.Text);
    }

    [Fact]
    public void Today_uses_the_bots_time_zone_not_utc()
    {
        // 23 November 19:00 UTC is already 24 November 00:30 in India, the first day of the farmers campaign.
        var h = new WorkflowHarness(now: new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero)).Join("en").Command("today");

        Assert.Contains("#SpeakUpForFarmers", h.Text);
        Assert.DoesNotContain(h.Say("en", "today.none"), h.Text);
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("en")]
    public void Today_has_points_a_post_and_share_links_in_the_supporters_language(string language)
    {
        var h = new WorkflowHarness().Join(language).Command("today");

        var message = Assert.Single(h.Replies);
        Assert.Contains(h.Say(language, "today.points"), h.Text);
        Assert.Contains(language == "hi" ? "MSP कानून बने" : "MSP must be law", h.Text);
        var share = h.Buttons.Where(b => b.Url is not null).ToList();
        Assert.Equal([h.Say(language, "today.share_x"), h.Say(language, "today.share_whatsapp")], share.Select(b => b.Label));
        Assert.StartsWith("https://x.com/intent/tweet?text=", share[0].Url, StringComparison.Ordinal);
        Assert.StartsWith("https://wa.me/?text=", share[1].Url, StringComparison.Ordinal);
        var post = Uri.UnescapeDataString(share[1].Url!["https://wa.me/?text=".Length..]);
        Assert.Contains(post, message.Text.ToPlainText());
        Assert.Contains("#SpeakUpForFarmers", post);
    }

    [Fact]
    public void Supporters_get_different_post_variants_but_each_keeps_the_same_one()
    {
        string PostFor(string chat) => new WorkflowHarness(chatId: chat).Join("en").Command("today").Buttons.First(b => b.Url is not null).Url!;

        var posts = Enumerable.Range(1, 30).Select(i => PostFor(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Assert.Equal(3, posts.Distinct().Count());
        var first = PostFor("7");
        var again = PostFor("7");
        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("en")]
    public void Stop_asks_first_then_opts_out_and_start_resubscribes(string language)
    {
        var h = new WorkflowHarness().Join(language).Command("stop");
        Assert.Equal(SupporterState.ConfirmingStop, h.Session.State);
        Assert.Equal(h.Say(language, "stop.confirm"), h.Text);
        Assert.True(h.Session.OptedIn);

        h.Press("ok");
        Assert.Equal(SupporterState.OptedOut, h.Session.State);
        Assert.False(h.Session.OptedIn);
        Assert.Equal(h.Say(language, "stop.done"), h.Text);
        Assert.False(h.Session.Snapshot().ReceivesPrompts);

        h.Command("stop");
        Assert.Equal(h.Say(language, "stop.already"), h.Text);

        h.Command("start");
        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.True(h.Session.OptedIn);
        Assert.Contains(h.Say(language, "stop.resubscribed"), h.Text);
    }

    [Fact]
    public void Cancelling_stop_returns_to_where_the_supporter_was()
    {
        var h = new WorkflowHarness().Command("start").Press("l:en").Command("stop").Command("cancel");

        Assert.Equal(SupporterState.AskingConsent, h.Session.State);
        Assert.Contains(h.Say("en", "cancel.done"), h.Text);
    }

    [Fact]
    public void Typed_yes_confirms_and_typed_no_cancels()
    {
        var h = new WorkflowHarness().Join("hi").Command("stop").Type("नहीं");
        Assert.Equal(SupporterState.Joined, h.Session.State);

        h.Command("stop").Type("haan");
        Assert.Equal(SupporterState.OptedOut, h.Session.State);
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("en")]
    public void Forgetme_deletes_only_after_confirmation(string language)
    {
        var h = new WorkflowHarness().Join(language).Command("forgetme");
        Assert.Equal(SupporterState.ConfirmingForget, h.Session.State);
        Assert.False(h.Last!.ForgetSupporter);

        h.Press("x");
        Assert.Equal(SupporterState.Joined, h.Session.State);

        h.Command("forgetme").Press("ok");
        Assert.True(h.Last!.ForgetSupporter);
        Assert.Equal(h.Say(language, "forget.done"), h.Text);
    }

    [Fact]
    public void Language_can_change_mid_flow_and_the_question_is_asked_again_in_it()
    {
        var h = new WorkflowHarness().Command("start").Press("l:hi").Command("language");
        Assert.Equal(SupporterState.AskingConsent, h.Session.State);
        Assert.Contains(h.Buttons, b => b.Data == "l:en");

        h.Press("l:en");

        Assert.Equal("en", h.Session.Language);
        Assert.Equal(SupporterState.AskingConsent, h.Session.State);
        Assert.Equal([h.Say("en", "language.changed"), h.Say("en", "consent.ask")], h.Replies.Select(r => r.Text.ToPlainText()));
    }

    [Fact]
    public void Typed_language_names_are_understood()
    {
        Assert.Equal("hi", new WorkflowHarness().Command("start").Type("हिंदी").Session.Language);
        Assert.Equal("en", new WorkflowHarness().Command("start").Type("english").Session.Language);
    }

    [Fact]
    public void Before_choosing_a_language_the_clients_language_is_used()
    {
        var h = new WorkflowHarness();
        h.Apply(new InboundEvent { Chat = h.Chat, Kind = InboundKind.Command, Command = "help", ClientLanguage = "en-US" });

        Assert.StartsWith(h.Say("en", "help.intro"), h.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string> EveryState => new()
    {
        "new", "language", "consent", "state", "joined", "optedout", "confirmstop", "confirmforget",
    };

    private static WorkflowHarness In(string state) => state switch
    {
        "new" => new WorkflowHarness(),
        "language" => new WorkflowHarness().Command("start"),
        "consent" => new WorkflowHarness().Command("start").Press("l:en"),
        "state" => new WorkflowHarness().Command("start").Press("l:en").Press("c:y"),
        "joined" => new WorkflowHarness().Join("en"),
        "optedout" => new WorkflowHarness().Join("en").Command("stop").Press("ok"),
        "confirmstop" => new WorkflowHarness().Join("en").Command("stop"),
        "confirmforget" => new WorkflowHarness().Join("en").Command("forgetme"),
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    [Theory]
    [MemberData(nameof(EveryState))]
    public void Every_kind_of_input_gets_a_reply_in_every_state(string state)
    {
        var inputs = new Func<WorkflowHarness, WorkflowHarness>[]
        {
            h => h.Command("help"), h => h.Command("today"), h => h.Command("language"), h => h.Command("cancel"),
            h => h.Command("nonsense"), h => h.Type("hello there"), h => h.Type(new string('x', 5000)), h => h.Press("s:ZZ"),
            h => h.SendMedia(MediaKind.Video), h => h.SendMedia(MediaKind.Sticker), h => h.Command("start"),
            h => h.Command("stop"), h => h.Command("forgetme"),
        };

        foreach (var input in inputs)
        {
            var h = input(In(state));
            Assert.NotEmpty(h.Replies);
            Assert.All(h.Replies, r => Assert.True(r.Text.Length > 0));
        }
    }

    [Theory]
    [MemberData(nameof(EveryState))]
    public void Help_works_everywhere_and_keeps_the_state(string state)
    {
        var h = In(state);
        var before = h.Session.State;

        h.Command("help");

        Assert.Equal(before, h.Session.State);
        Assert.Contains("/today", h.Text);
        Assert.Contains("/forgetme", h.Text);
    }

    [Fact]
    public void Media_is_explained_and_the_current_question_repeated()
    {
        var h = new WorkflowHarness().Command("start").Press("l:hi").SendMedia(MediaKind.Photo);

        Assert.Equal([h.Say("hi", "media.not_accepted"), h.Say("hi", "consent.ask")], h.Replies.Select(r => r.Text.ToPlainText()));
    }

    [Fact]
    public void Blocking_marks_unreachable_silently_and_writing_again_clears_it()
    {
        var h = new WorkflowHarness().Join("en").Blocked();
        Assert.True(h.Session.Unreachable);
        Assert.Empty(h.Replies);
        Assert.False(h.Session.Snapshot().ReceivesPrompts);

        h.Command("today");
        Assert.False(h.Session.Unreachable);
        Assert.True(h.Session.Snapshot().ReceivesPrompts);
    }

    [Fact]
    public void Campaign_deep_link_preselects_and_referral_is_recorded_once()
    {
        var h = new WorkflowHarness().Command("start", "c_farmers");
        Assert.Equal("farmers", h.Session.CampaignId);

        h.Command("start", "r_ab12");
        Assert.Equal("ab12", h.Session.Referrer);

        h.Command("start", "r_other");
        Assert.Equal("ab12", h.Session.Referrer);
    }

    [Theory]
    [InlineData("c_nosuchcampaign")]
    [InlineData("c_farmers<script>")]
    [InlineData("r_" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("r_with space")]
    public void Invalid_deep_links_are_ignored_and_start_still_works(string payload)
    {
        var h = new WorkflowHarness().Command("start", payload);

        Assert.Equal(SupporterState.ChoosingLanguage, h.Session.State);
        Assert.Null(h.Session.CampaignId);
        Assert.Null(h.Session.Referrer);
    }

    [Fact]
    public void Typed_text_is_quoted_as_plain_text_never_as_markup()
    {
        var h = new WorkflowHarness().Command("start").Press("l:en").Press("c:y").Type("*<b>x</b>*");

        var spans = h.Replies[0].Text.Spans;
        Assert.Contains(spans, s => s.Text.Contains("*<b>x</b>*", StringComparison.Ordinal) && s.Style == SpanStyle.Plain);
    }

    [Fact]
    public void Start_while_onboarding_begins_again_from_language()
    {
        var h = new WorkflowHarness().Command("start").Press("l:en").Press("c:y").Command("start");

        Assert.Equal(SupporterState.ChoosingLanguage, h.Session.State);
    }

    [Fact]
    public void Start_when_joined_welcomes_back_with_today()
    {
        var h = new WorkflowHarness().Join("hi").Command("start");

        Assert.Equal(SupporterState.Joined, h.Session.State);
        Assert.Contains(h.Say("hi", "joined.welcome_back"), h.Text);
        Assert.Contains("#SpeakUpForFarmers", h.Text);
    }

    [Fact]
    public void The_diagram_is_exported_from_the_machine()
    {
        var dot = new WorkflowHarness().Workflow.ToDotGraph();

        Assert.StartsWith("digraph", dot, StringComparison.Ordinal);
        foreach (var state in new[] { "ChoosingLanguage", "AskingConsent", "ChoosingState", "Joined", "OptedOut", "ConfirmingStop", "ConfirmingForget" })
        {
            Assert.Contains(state, dot);
        }
    }
}
