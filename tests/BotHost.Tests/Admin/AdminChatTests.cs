using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CsvHelper;
using System.Text.Json.Nodes;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests.Admin;

/// <summary>The admin side through the real host, driven the way Telegram would: roles, stats, export, referrals, audit.</summary>
[Collection(OnGarnet.Name)]
public sealed class AdminChatTests(GarnetFixture redis)
{
    private const string ApiKey = "k3y-for-tests-0123456789abcdefghijklmnop";
    private const long Owner = 8_100_001;
    private static long _nextChat = 8_200_000;

    private static long NewChat() => Interlocked.Increment(ref _nextChat);

    [SkippableFact]
    public async Task Owner_appoints_a_coordinator_who_then_exports_only_their_state()
    {
        await using var host = await StartAsync();
        var coordinator = NewChat();
        await JoinAsync(host, NewChat(), "राजस्थान", "सुनीता, \"दीदी\"");
        await JoinAsync(host, NewChat(), "दिल्ली", "Ravi");

        var added = Assert.Single(await host.SayAsync(Owner, $"/admins add {coordinator} coordinator RJ"));
        Assert.Contains("राज्य समन्वयक (राजस्थान)", added.VisibleText);
        var list = Assert.Single(await host.SayAsync(Owner, "/admins"));
        Assert.Contains($"{coordinator} — राज्य समन्वयक", list.VisibleText);

        var before = host.Telegram.CallsTo("sendDocument").Count;
        host.Telegram.EnqueueText(coordinator, "/export");
        var document = (await host.Telegram.WaitForCallsAsync("sendDocument", before + 1))[^1];

        Assert.Equal(coordinator, document.ChatId);
        Assert.Contains("1", document.GetString("caption"));
        var audit = Assert.Single(await host.SayAsync(Owner, "/audit"));
        Assert.Contains("role.add", audit.VisibleText);
        Assert.Contains("export.supporters · RJ", audit.VisibleText);
    }

    [SkippableFact]
    public async Task Forwarding_a_message_from_a_person_gives_them_the_role_asked_for()
    {
        await using var host = await StartAsync();
        var moderator = NewChat();

        Assert.Contains("फ़ॉरवर्ड करें", Assert.Single(await host.SayAsync(Owner, "/admins add moderator")).VisibleText);
        var count = host.Telegram.MessagesTo(Owner).Count;
        var update = FakeUpdates.Text(Owner, "यह देखिए", "Meera", "hi");
        update["message"]!["forward_origin"] = new JsonObject
        {
            ["type"] = "user",
            ["date"] = 1_700_000_000,
            ["sender_user"] = new JsonObject { ["id"] = moderator, ["is_bot"] = false, ["first_name"] = "Ravi" },
        };
        host.Telegram.EnqueueUpdate(update);
        var added = (await host.Telegram.WaitForMessagesAsync(Owner, count + 1))[^1];

        Assert.Contains($"{moderator} अब मॉडरेटर हैं", added.VisibleText);
    }

    [SkippableFact]
    public async Task A_campaign_edited_in_chat_reaches_supporters_and_survives_a_restart_that_reimports_the_file()
    {
        await using var host = await StartAsync();
        var supporter = NewChat();
        await JoinAsync(host, supporter, "राजस्थान", "Asha");

        var list = Assert.Single(await host.SayAsync(Owner, "/campaigns"));
        Assert.Contains("#SpeakUpForFarmers (farmers-2026-11)", list.VisibleText);
        Assert.Contains("चल रहा है", list.VisibleText);
        Assert.Contains("सेव हो गया", Assert.Single(await host.SayAsync(Owner, "/campaign edit farmers-2026-11 hashtag #किसान_के_साथ")).VisibleText);
        Assert.Contains("आज का हैशटैग: #किसान_के_साथ", Assert.Single(await host.SayAsync(supporter, "/today")).VisibleText);

        var settings = BotHostHarness.BaseSettings(host.Telegram, redis, host.KeyPrefix);
        settings["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
        await host.RestartAsync(settings);

        Assert.Contains("आज का हैशटैग: #किसान_के_साथ", Assert.Single(await host.SayAsync(supporter, "/today")).VisibleText);
        Assert.Contains("कुछ नहीं बदला", Assert.Single(await host.SayAsync(Owner, "/campaign edit farmers-2026-11 starts 2026-11-20")).VisibleText);
    }

    [SkippableFact]
    public async Task A_campaign_created_step_by_step_in_chat_is_listed_and_audited()
    {
        await using var host = await StartAsync();

        Assert.Contains("किस तरह का", Assert.Single(await host.SayAsync(Owner, "/campaign new")).VisibleText);
        Assert.Contains("सही नहीं", Assert.Single(await host.SayAsync(Owner, "a campaign")).VisibleText);
        Assert.Contains("कदम 2/10", Assert.Single(await host.SayAsync(Owner, "1")).VisibleText);
        Assert.Contains("सही नहीं", Assert.Single(await host.SayAsync(Owner, "no hashtag")).VisibleText);
        foreach (var answer in new[] { "#SpeakUpForJobs", "रोज़गार के लिए आवाज़", "Speak up for jobs", "युवाओं को काम चाहिए\nभर्ती समय पर हो", "Youth need work\nHire on time", "हम रोज़गार चाहते हैं", "We want jobs", "2027-03-01 2027-03-07" })
        {
            Assert.Contains("कदम", Assert.Single(await host.SayAsync(Owner, answer)).VisibleText);
        }

        Assert.Contains("सेव हो गया", Assert.Single(await host.SayAsync(Owner, "11:00")).VisibleText);
        var list = Assert.Single(await host.SayAsync(Owner, "/campaigns"));
        Assert.True(list.VisibleText.Contains("#SpeakUpForJobs (jobs-2027-03-01)", StringComparison.Ordinal), list.VisibleText);
        Assert.Contains("आने वाला", list.VisibleText);
        Assert.Contains("campaign.new · jobs-2027-03-01", Assert.Single(await host.SayAsync(Owner, "/audit")).VisibleText);
    }

    [SkippableFact]
    public async Task Supporters_cannot_use_staff_commands_and_are_told_they_were_not_understood()
    {
        await using var host = await StartAsync();
        var supporter = NewChat();
        await JoinAsync(host, supporter, "राजस्थान", "Asha");

        var reply = Assert.Single(await host.SayAsync(supporter, "/admins add " + supporter + " admin"));

        Assert.Contains("कमांड मुझे नहीं पता", reply.VisibleText);
        Assert.Empty(host.Telegram.CallsTo("sendDocument"));
    }

    [SkippableFact]
    public async Task Stats_answer_with_text_and_a_chart_photo()
    {
        await using var host = await StartAsync();
        await JoinAsync(host, NewChat(), "राजस्थान", "Asha");
        await JoinAsync(host, NewChat(), "राजस्थान", "Meena");

        var before = host.Telegram.CallsTo("sendPhoto").Count;
        var text = Assert.Single(await host.SayAsync(Owner, "/stats"));
        var photo = (await host.Telegram.WaitForCallsAsync("sendPhoto", before + 1))[^1];

        Assert.Contains("समर्थक: 2", text.VisibleText);
        Assert.Contains("आज जुड़े: 2", text.VisibleText);
        Assert.Contains("राजस्थान: 2", text.VisibleText);
        Assert.Equal(Owner, photo.ChatId);
    }

    [SkippableFact]
    public async Task A_friend_who_joins_through_an_invite_link_is_credited_on_the_leaderboard()
    {
        await using var host = await StartAsync();
        var recruiter = NewChat();
        await JoinAsync(host, recruiter, "बिहार", "Sunita");

        var invite = Assert.Single(await host.SayAsync(recruiter, "/invite"));
        var link = invite.VisibleText.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries).First(w => w.StartsWith("https://t.me/speakup_test_bot?start=r_", StringComparison.Ordinal));
        await host.PressAsync(invite, "rf:show");
        await JoinAsync(host, NewChat(), "बिहार", "Friend", "/start " + link[(link.IndexOf("start=", StringComparison.Ordinal) + 6)..]);

        var board = Assert.Single(await host.SayAsync(recruiter, "/leaderboard"));

        Assert.Contains("1. Sunita (आप) — 1", board.VisibleText);
    }

    [SkippableFact]
    public async Task The_admin_api_streams_the_supporters_csv_that_a_csv_parser_reads_back_with_hindi_names()
    {
        await using var host = await StartAsync();
        await JoinAsync(host, NewChat(), "राजस्थान", "सुनीता, \"दीदी\"");
        await JoinAsync(host, NewChat(), "उत्तर प्रदेश", "Ravi");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        using var response = await http.GetAsync("/admin/export/supporters.csv?states=RJ");
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var row = Assert.Single(rows);
        Assert.Equal("सुनीता, \"दीदी\"", row["first_name"]);
        Assert.Equal("RJ", row["state"]);
        Assert.Equal("hi", row["language"]);
    }

    private async Task<BotHostHarness> StartAsync()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        return await BotHostHarness.StartAsync(redis, s =>
        {
            s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
            s["Admin:ApiKey"] = ApiKey;
        });
    }

    /// <summary>Joins in Hindi with daily messages on, typing the state's name.</summary>
    private static async Task JoinAsync(BotHostHarness host, long chat, string state, string firstName, string start = "/start")
    {
        var count = host.Telegram.MessagesTo(chat).Count;
        host.Telegram.EnqueueText(chat, start, firstName: firstName);
        var welcome = (await host.Telegram.WaitForMessagesAsync(chat, count + 1))[^1];
        var consent = Assert.Single(await host.PressAsync(welcome, "l:hi"));
        _ = Assert.Single(await host.PressAsync(consent, "c:y"));
        count = host.Telegram.MessagesTo(chat).Count;
        host.Telegram.EnqueueText(chat, state, firstName: firstName);
        await host.Telegram.WaitForMessagesAsync(chat, count + 2);
    }
}
