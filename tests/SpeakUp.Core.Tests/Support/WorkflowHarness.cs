using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Workflow;

namespace SpeakUp.Core.Tests.Support;

/// <summary>Drives the workflow for one chat the way a channel would, keeping the session in memory between events.</summary>
internal sealed class WorkflowHarness
{
    public static readonly JsonLocalizer Localizer = JsonLocalizer.FromDirectory(RepoPaths.Locales, "hi");

    /// <summary>09:30 in India on 26 November 2026.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);

    private int _messageId = 100;

    public WorkflowHarness(ICampaignCalendar? calendar = null, string chatId = "42", DateTimeOffset? now = null)
    {
        Time = new FakeTimeProvider(now ?? Morning);
        var clock = new TodayClock(Time, TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));
        Workflow = new SupporterWorkflow(Localizer, calendar ?? TestCampaigns.Calendar(), clock, Options.Create(new BotOptions()));
        Chat = new ChatKey("tg", chatId);
        Session = Session.New(Chat, Time.GetUtcNow());
    }

    public FakeTimeProvider Time { get; }

    public SupporterWorkflow Workflow { get; }

    public ChatKey Chat { get; }

    public Session Session { get; private set; }

    public WorkflowResult? Last { get; private set; }

    public IReadOnlyList<OutboundMessage> Replies => Last?.Replies ?? [];

    /// <summary>All reply texts of the last event, joined.</summary>
    public string Text => string.Join("\n---\n", Replies.Select(r => r.Text.ToPlainText()));

    public IEnumerable<Button> Buttons => Replies.SelectMany(r => r.Buttons).SelectMany(row => row);

    public WorkflowHarness Command(string command, string? argument = null) =>
        Apply(new InboundEvent { Chat = Chat, Kind = InboundKind.Command, Command = command, Argument = argument, UserId = Chat.ChatId, FirstName = "Sunita" });

    public WorkflowHarness Type(string text) => Apply(new InboundEvent { Chat = Chat, Kind = InboundKind.Text, Text = text, UserId = Chat.ChatId });

    public WorkflowHarness Press(string data) =>
        Apply(new InboundEvent { Chat = Chat, Kind = InboundKind.Button, ButtonData = data, UserId = Chat.ChatId, SourceMessageId = (_messageId++).ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public WorkflowHarness SendMedia(MediaKind kind) =>
        Apply(new InboundEvent { Chat = Chat, Kind = InboundKind.Media, Media = new MediaInfo(kind, "file", "unique"), UserId = Chat.ChatId });

    public WorkflowHarness Blocked() => Apply(new InboundEvent { Chat = Chat, Kind = InboundKind.Blocked });

    /// <summary>Start → language → consent → state, the shortest way to a joined supporter.</summary>
    public WorkflowHarness Join(string language = "hi", bool consent = true, string state = "RJ") =>
        Command("start").Press("l:" + language).Press(consent ? "c:y" : "c:n").Press("s:" + state);

    public WorkflowHarness Apply(InboundEvent inbound)
    {
        Last = Workflow.Handle(Session, inbound);
        if (Last.ForgetSupporter)
        {
            Session = Session.New(Chat, Time.GetUtcNow());
        }

        return this;
    }

    public string Say(string language, string key, params (string Name, string Value)[] values) => Localizer.Plain(language, key, values);
}

internal static class TestCampaigns
{
    public static Campaign Farmers(DateOnly starts, DateOnly ends, TimeOnly? postTime = null) => new()
    {
        Id = "farmers",
        Hashtag = "#SpeakUpForFarmers",
        Starts = starts,
        Ends = ends,
        PostTime = postTime,
        Title = new Dictionary<string, string> { ["en"] = "A fair price for every crop", ["hi"] = "हर फ़सल का सही दाम" },
        Points = new Dictionary<string, IReadOnlyList<string>>
        {
            ["en"] = ["Farm costs doubled", "MSP must be law"],
            ["hi"] = ["खेती की लागत दोगुनी हो गई", "MSP कानून बने"],
        },
        Posts = new Dictionary<string, IReadOnlyList<string>>
        {
            ["en"] = ["Variant one #SpeakUpForFarmers", "Variant two #SpeakUpForFarmers", "Variant three #SpeakUpForFarmers"],
            ["hi"] = ["पहला संदेश #SpeakUpForFarmers", "दूसरा संदेश #SpeakUpForFarmers", "तीसरा संदेश #SpeakUpForFarmers"],
        },
    };

    public static Campaign Jobs(DateOnly starts, DateOnly ends) => Farmers(starts, ends) with
    {
        Id = "jobs",
        Hashtag = "#SpeakUpForJobs",
        Title = new Dictionary<string, string> { ["en"] = "Jobs for the young", ["hi"] = "युवाओं को रोज़गार" },
    };

    /// <summary>Farmers runs on 26 November 2026 with a post time; Jobs starts on 1 December.</summary>
    public static CampaignCalendar Calendar() => new(
    [
        Farmers(new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 30), new TimeOnly(11, 0)),
        Jobs(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 5)),
    ]);
}
