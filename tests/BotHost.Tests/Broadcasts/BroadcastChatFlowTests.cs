using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;
using Xunit.Abstractions;

namespace BotHost.Tests.Broadcasts;

/// <summary>
/// Broadcasts run from Telegram through the real host and the fake Bot API: scheduling, a state coordinator's reach,
/// <c>/broadcasts</c>, <c>/cancel_broadcast</c>, the "campaign joined" and "joined since" audiences, filters combined, and
/// the composer's own sends sharing the rate.
/// </summary>
[Collection(OnRedisServer.Name)]
public sealed class BroadcastChatFlowTests(RedisServerFixture redis, ITestOutputHelper output)
{
    private const long Owner = 96_999_001;

    private static readonly TimeZoneInfo India = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    private static long _nextChat = 96_000_000;

    private static long NewChat() => Interlocked.Increment(ref _nextChat);

    private Task<BotHostHarness> StartAsync(Action<Dictionary<string, string?>>? settings = null, DateTimeOffset? now = null) => BotHostHarness.StartAsync(
        redis,
        s =>
        {
            s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
            s["Admin:ApiKey"] = Supporters.ApiKey;
            s["Broadcast:DailyPrompts"] = "false";
            s["Broadcast:PollMilliseconds"] = "50";
            settings?.Invoke(s);
        },
        now: now);

    private static async Task<long[]> SeedAsync(BotHostHarness host, int count, string state = "RJ", DateTimeOffset? joinedAt = null)
    {
        var ids = Enumerable.Range(0, count).Select(_ => NewChat()).ToArray();
        await Supporters.SeedAsync(host.App.Services.GetRequiredService<ISessionStore>(), host.App.Services.GetRequiredService<ISupporterDirectory>(), ids, state, joinedAt: joinedAt);
        return ids;
    }

    /// <summary>Joined supporters of one state who joined one campaign, stored as the conversation engine stores them.</summary>
    private static async Task<long[]> SeedInCampaignAsync(BotHostHarness host, int count, string state, string campaign)
    {
        var sessions = host.App.Services.GetRequiredService<ISessionStore>();
        var directory = host.App.Services.GetRequiredService<ISupporterDirectory>();
        var ids = Enumerable.Range(0, count).Select(_ => NewChat()).ToArray();
        foreach (var id in ids)
        {
            var session = Session.New(new SpeakUp.Core.Messaging.ChatKey("tg", id.ToString(CultureInfo.InvariantCulture)), BotHostHarness.CampaignMorning);
            (session.State, session.JoinedAt, session.OptedIn, session.StateCode, session.Language) = (SupporterState.Joined, BotHostHarness.CampaignMorning, true, state, "hi");
            session.JoinCampaign(campaign);
            Assert.True(await sessions.TrySaveAsync(session, null, default));
            await directory.ApplyAsync(null, session.Snapshot(), default);
        }

        return ids;
    }

    /// <summary>/broadcast and the content: returns the audience question.</summary>
    private static async Task<FakeSentMessage> ComposeAsync(BotHostHarness host, long staff, string content)
    {
        await host.SayAsync(staff, "/broadcast");
        return Assert.Single(await host.SayAsync(staff, content));
    }

    /// <summary>A supporter's own way in: /start with the payload, Hindi, daily messages, Rajasthan.</summary>
    private static async Task JoinAsync(BotHostHarness host, long chat, string? payload)
    {
        var welcome = Assert.Single(await host.SayAsync(chat, payload is null ? "/start" : "/start " + payload));
        var consent = Assert.Single(await host.PressAsync(welcome, "l:hi"));
        var states = Assert.Single(await host.PressAsync(consent, "c:y"));
        await host.PressAsync(await host.TurnToPageAsync(states, 2), "s:RJ", replies: 2);
    }

    /// <summary>Button data the bot never offered, sent as if pressed under <paramref name="message"/>.</summary>
    private static async Task<FakeSentMessage> ForgeAsync(BotHostHarness host, FakeSentMessage message, string data)
    {
        var before = host.Telegram.MessagesTo(message.ChatId).Count;
        host.Telegram.EnqueueCallback(message.ChatId, data, message.MessageId);
        return (await host.Telegram.WaitForMessagesAsync(message.ChatId, before + 1))[before];
    }

    private BroadcastService Broadcasts(BotHostHarness host) => host.App.Services.GetRequiredService<BroadcastService>();

    [SkippableFact]
    public async Task A_broadcast_scheduled_in_telegram_fires_once_at_the_typed_time_in_the_bot_time_zone()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);

        // 09:30:40 in India: the next whole minute is seconds away, so the test waits seconds rather than a minute.
        await using var host = await StartAsync(now: new DateTimeOffset(2026, 11, 26, 4, 0, 40, TimeSpan.Zero));
        var ids = await SeedAsync(host, 3);
        var time = host.App.Services.GetRequiredService<TimeProvider>();
        var audience = await ComposeAsync(host, Owner, "Kal 11 baje sab ek saath!");
        var preview = await host.PressAsync(audience, "bc:all", replies: 2);
        var controls = preview[1];
        Assert.Single(await host.PressAsync(controls, "bc:sched"));

        // The first whole minute at least 5 s ahead on the host's clock, typed as the admin would: local time in India.
        var soon = TimeZoneInfo.ConvertTime(time.GetUtcNow().AddSeconds(5), India).DateTime;
        var minute = new DateTime(soon.Year, soon.Month, soon.Day, soon.Hour, soon.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var typed = minute.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var due = new DateTimeOffset(minute, India.GetUtcOffset(minute));
        var confirmed = Assert.Single(await host.SayAsync(Owner, typed));
        var receivedWhenScheduled = ids.Sum(id => host.Telegram.MessagesTo(id).Count);
        var job = Assert.Single(await Broadcasts(host).ListAsync(10, default));
        var ownerBefore = host.Telegram.MessagesTo(Owner).Count;

        var meta = await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, job.Id, TimeSpan.FromMinutes(2));
        var report = (await host.Telegram.WaitForMessagesAsync(Owner, ownerBefore + 1))[^1];
        var shift = time.GetUtcNow() - DateTimeOffset.UtcNow;

        Assert.Contains(typed, confirmed.VisibleText);
        Assert.Equal((BroadcastStatus.Scheduled, due), (job.Status, job.ScheduledAt));
        Assert.Equal(0, receivedWhenScheduled);
        Assert.Equal(("Completed", "3"), (meta["status"], meta["sent"]));

        // Each supporter got it exactly once, none before the typed minute on the host's clock.
        Assert.All(ids, id => Assert.True(Assert.Single(host.Telegram.MessagesTo(id)).At + shift >= due - TimeSpan.FromMilliseconds(5)));
        Assert.DoesNotContain(job.Id, await host.App.Services.GetRequiredService<IBroadcastStore>().DueAsync(due.AddYears(1), default));

        // The preview's controls became the job's one progress message; the report follows once.
        Assert.Contains("भेजे गए 3", host.Telegram.GetMessage(Owner, controls.MessageId)!.VisibleText);
        Assert.Contains($"प्रसारण {job.Id} पूरा हो गया", report.VisibleText);
    }

    [SkippableFact]
    public async Task A_state_coordinator_reaches_only_their_states_and_cannot_pick_another_by_button_or_by_text()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        var coordinator = NewChat();
        var rajasthan = await SeedAsync(host, 4, "RJ");
        var uttarPradesh = await SeedAsync(host, 3, "UP");
        Assert.Contains("राजस्थान", Assert.Single(await host.SayAsync(Owner, $"/admins add {coordinator} coordinator RJ")).VisibleText);

        var audience = await ComposeAsync(host, coordinator, "जयपुर में कल 11 बजे");
        var forgedLanguage = await ForgeAsync(host, audience, "bc:l:hi");
        var states = Assert.Single(await host.PressAsync(audience, "bc:st"));
        var forgedState = await ForgeAsync(host, states, "bc:s:UP");
        var typedState = Assert.Single(await host.SayAsync(coordinator, "UP"));
        var preview = await host.PressAsync(states, "bc:s:RJ", replies: 2);
        await host.PressAsync(preview[1], "bc:now");
        var job = Assert.Single(await Broadcasts(host).ListAsync(10, default));
        var meta = await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, job.Id, TimeSpan.FromMinutes(1));
        var refusals = (await host.App.Services.GetRequiredService<IAuditLog>().RecentAsync(20, default)).Where(e => e.Action == "broadcast.refused").ToList();

        Assert.DoesNotContain(audience.CallbackData, d => d.StartsWith("bc:l:", StringComparison.Ordinal));
        Assert.Equal(new[] { "bc:s:RJ", "bc:x" }, states.CallbackData);
        var notAllowed = "आप इन समर्थकों को प्रसारण नहीं भेज सकते।";
        Assert.Equal((notAllowed, notAllowed, notAllowed), (forgedLanguage.VisibleText, forgedState.VisibleText, typedState.VisibleText));
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, r => Assert.Equal(coordinator.ToString(CultureInfo.InvariantCulture), r.ActorId));
        Assert.Contains("यह 4 समर्थकों", preview[1].VisibleText);
        Assert.Equal(["RJ"], job.Definition!.Audience.States);
        Assert.Equal("4", meta["sent"]);
        Assert.All(rajasthan, id => Assert.Single(host.Telegram.MessagesTo(id)));
        Assert.All(uttarPradesh, id => Assert.Empty(host.Telegram.MessagesTo(id)));
    }

    [SkippableFact]
    public async Task A_coordinators_everyone_and_campaign_audiences_are_narrowed_to_their_states()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        var coordinator = NewChat();
        var farmersInRajasthan = await SeedInCampaignAsync(host, 2, "RJ", "farmers-2026-11");
        await SeedAsync(host, 1, "RJ");
        var farmersInUttarPradesh = await SeedInCampaignAsync(host, 5, "UP", "farmers-2026-11");
        Assert.Contains("राजस्थान", Assert.Single(await host.SayAsync(Owner, $"/admins add {coordinator} coordinator RJ")).VisibleText);

        var everyone = await host.PressAsync(await ComposeAsync(host, coordinator, "सब"), "bc:all", replies: 2);
        await host.SayAsync(coordinator, "/cancel");
        var campaigns = Assert.Single(await host.PressAsync(await ComposeAsync(host, coordinator, "किसान"), "bc:cl"));
        var campaign = await host.PressAsync(campaigns, "bc:c:farmers-2026-11", replies: 2);
        await host.PressAsync(campaign[1], "bc:now");
        var job = Assert.Single(await Broadcasts(host).ListAsync(10, default));
        await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, job.Id, TimeSpan.FromMinutes(1));

        Assert.Contains("यह 3 समर्थकों", everyone[1].VisibleText);
        Assert.Contains("यह 2 समर्थकों", campaign[1].VisibleText);
        Assert.Equal("RJ|farmers-2026-11", string.Join(',', job.Definition!.Audience.States) + "|" + string.Join(',', job.Definition.Audience.Campaigns));
        Assert.All(farmersInRajasthan, id => Assert.Equal("किसान", Assert.Single(host.Telegram.MessagesTo(id)).VisibleText));
        Assert.All(farmersInUttarPradesh, id => Assert.Empty(host.Telegram.MessagesTo(id)));
    }

    [SkippableFact]
    public async Task Slash_broadcasts_lists_recent_jobs_with_their_counts_and_a_coordinator_sees_only_their_states()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        var coordinator = NewChat();
        await SeedAsync(host, 3, "RJ");
        var uttarPradesh = await SeedAsync(host, 2, "UP");
        host.Telegram.BlockChat(uttarPradesh[1]);
        Assert.Contains("राजस्थान", Assert.Single(await host.SayAsync(Owner, $"/admins add {coordinator} coordinator RJ")).VisibleText);
        using var admin = Supporters.Admin(host.BaseAddress);
        var db = redis.Connection.GetDatabase();
        var country = await Supporters.CreateBroadcastAsync(admin, "सब एक साथ");
        await Supporters.WaitForFinishAsync(db, host.KeyPrefix, country, TimeSpan.FromMinutes(1));
        var rajasthan = await Supporters.CreateBroadcastAsync(admin, "राजस्थान", new { states = new[] { "RJ" } });
        await Supporters.WaitForFinishAsync(db, host.KeyPrefix, rajasthan, TimeSpan.FromMinutes(1));
        using var later = await admin.PostAsJsonAsync("/admin/broadcasts", new { content = new { text = "कल" }, scheduledAt = new DateTimeOffset(2026, 11, 27, 3, 30, 0, TimeSpan.Zero) });
        var scheduled = System.Text.Json.JsonDocument.Parse(await later.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var all = Assert.Single(await host.SayAsync(Owner, "/broadcasts")).VisibleText;
        var theirs = Assert.Single(await host.SayAsync(coordinator, "/broadcasts")).VisibleText;

        output.WriteLine(all);
        var lines = all.Split('\n');
        Assert.Equal("हाल के प्रसारण:", lines[0]);
        Assert.Equal($"{scheduled} · 2026-11-27 09:00 पर जाएगा", lines[1]);
        Assert.Equal($"{rajasthan} · पूरा हुआ · भेजे गए 3 · असफल 0 · पहुँच से बाहर 0 · बाकी 0 (कुल 3)", lines[2]);
        Assert.Equal($"{country} · पूरा हुआ · भेजे गए 4 · असफल 0 · पहुँच से बाहर 1 · बाकी 0 (कुल 5)", lines[3]);
        Assert.Contains(rajasthan, theirs);
        Assert.DoesNotContain(country, theirs);
        Assert.DoesNotContain(scheduled, theirs);
    }

    [SkippableFact]
    public async Task Slash_cancel_broadcast_stops_a_running_job_and_nothing_is_sent_after_what_was_already_claimed()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        // Four workers holding one recipient each: at most four claimed when the cancel lands.
        const int workers = 4;
        await using var host = await StartAsync(s =>
        {
            s["Broadcast:Workers"] = workers.ToString(CultureInfo.InvariantCulture);
            s["Broadcast:BatchSize"] = "1";
        });
        var ids = await SeedAsync(host, 300);
        var recipients = ids.ToHashSet();
        using var admin = Supporters.Admin(host.BaseAddress);
        var id = await Supporters.CreateBroadcastAsync(admin, "#SpeakUpForFarmers");
        await host.Telegram.WaitForCallsAsync("sendMessage", 30, c => c.ChatId is { } chat && recipients.Contains(chat));

        var reply = Assert.Single(await host.SayAsync(Owner, "/cancel_broadcast " + id));
        var sentBeforeReply = host.Telegram.CallsTo("sendMessage").Where(c => c.ChatId is { } chat && recipients.Contains(chat) && c.At <= reply.At).ToList();
        var job = await WaitUntilNothingInFlightAsync(host, id);
        var sends = host.Telegram.CallsTo("sendMessage").Where(c => c.ChatId is { } chat && recipients.Contains(chat)).ToList();
        var listed = Assert.Single(await host.SayAsync(Owner, "/broadcasts")).VisibleText;
        var outcomes = await Supporters.OutcomesAsync(redis.Connection.GetDatabase(), host.KeyPrefix, id);

        var after = sends.Count - sentBeforeReply.Count;
        output.WriteLine($"{sentBeforeReply.Count} sent before the reply, {after} after it (claimed before the cancel), last {(sends[^1].At - reply.At).TotalMilliseconds:0} ms after the reply");
        Assert.Contains($"प्रसारण {id} रोक दिया गया", reply.VisibleText);
        Assert.Equal(BroadcastStatus.Cancelled, job.Status);

        // Only recipients a worker had claimed before the cancel can still go out: at most one per worker.
        Assert.InRange(after, 0, workers);
        Assert.True(job.Remaining > 0, "the job finished before it could be cancelled");

        // What was sent stays sent and is counted; everyone else got nothing, and nobody got it twice.
        Assert.Equal(sends.Count, job.Sent);
        Assert.Equal(sends.Count, sends.Select(c => c.ChatId).Distinct().Count());
        Assert.All(ids, chat => Assert.Equal(outcomes.ContainsKey("tg:" + chat.ToString(CultureInfo.InvariantCulture)) ? 1 : 0, host.Telegram.MessagesTo(chat).Count));
        Assert.Contains($"{id} · रोक दिया गया · भेजे गए {sends.Count} ·", listed);
        Assert.Equal(sends.Count, host.Telegram.CallsTo("sendMessage").Count(c => c.ChatId is { } chat && recipients.Contains(chat)));
    }

    private async Task<BroadcastJobInfo> WaitUntilNothingInFlightAsync(BotHostHarness host, string id)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var job = (await Broadcasts(host).GetAsync(id, default))!;
            if (job.InFlight == 0)
            {
                return job;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"broadcast {id} still has {job.InFlight} in flight");
            await Task.Delay(50);
        }
    }

    [SkippableFact]
    public async Task A_broadcast_to_one_campaign_reaches_exactly_the_supporters_who_joined_it()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        var viaFuel = NewChat();
        var viaDemocracy = NewChat();
        var onFarmersDay = NewChat();
        var democracyThenFuel = NewChat();
        await JoinAsync(host, viaFuel, "c_fuel-hike-2026-11");
        await JoinAsync(host, viaDemocracy, "c_democracy-2026-12");
        await JoinAsync(host, onFarmersDay, null);
        await JoinAsync(host, democracyThenFuel, "c_democracy-2026-12");
        await host.SayAsync(democracyThenFuel, "/start c_fuel-hike-2026-11", replies: 2);
        var before = new[] { viaFuel, viaDemocracy, onFarmersDay, democracyThenFuel }.ToDictionary(c => c, c => host.Telegram.MessagesTo(c).Count);

        var audience = await ComposeAsync(host, Owner, "पेट्रोल-डीज़ल पर कल फिर 11 बजे");
        var campaigns = Assert.Single(await host.PressAsync(audience, "bc:cl"));
        var forged = await ForgeAsync(host, campaigns, "bc:c:nosuchcampaign");
        var preview = await host.PressAsync(campaigns, "bc:c:fuel-hike-2026-11", replies: 2);
        await host.PressAsync(preview[1], "bc:now");
        var job = Assert.Single(await Broadcasts(host).ListAsync(10, default));
        var meta = await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, job.Id, TimeSpan.FromMinutes(1));

        Assert.Contains("bc:c:fuel-hike-2026-11", campaigns.CallbackData);
        Assert.Contains("bc:c:farmers-2026-11", campaigns.CallbackData);
        Assert.Contains("bc:c:democracy-2026-12", campaigns.CallbackData);
        Assert.Contains(campaigns.Buttons.SelectMany(r => r), b => b.Text == "#SpeakUpForFarmers · 24 नवंबर से");
        Assert.Equal("यह अभियान नहीं मिला। नीचे दिए बटन में से चुनें।", forged.VisibleText);
        Assert.Contains("यह 2 समर्थकों", preview[1].VisibleText);
        Assert.Equal(["fuel-hike-2026-11"], job.Definition!.Audience.Campaigns);
        Assert.Equal(("2", "2"), (meta["total"], meta["sent"]));
        Assert.Equal("पेट्रोल-डीज़ल पर कल फिर 11 बजे", Assert.Single(host.Telegram.MessagesTo(viaFuel).Skip(before[viaFuel])).VisibleText);
        Assert.Single(host.Telegram.MessagesTo(democracyThenFuel).Skip(before[democracyThenFuel]));
        Assert.Empty(host.Telegram.MessagesTo(viaDemocracy).Skip(before[viaDemocracy]));
        Assert.Empty(host.Telegram.MessagesTo(onFarmersDay).Skip(before[onFarmersDay]));
    }

    [SkippableFact]
    public async Task Joined_since_and_a_state_combine_in_the_composer_and_days_are_counted_in_the_bot_time_zone()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);

        // The host's day is 26 Nov in India. Joined: 1 Nov; 00:30 and 23:30 either side of midnight into 24 Nov (India);
        // 25 Nov in Uttar Pradesh.
        await using var host = await StartAsync();
        var longAgo = Assert.Single(await SeedAsync(host, 1, "RJ", new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero)));
        var early24th = Assert.Single(await SeedAsync(host, 1, "RJ", new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero)));
        var late23rd = Assert.Single(await SeedAsync(host, 1, "RJ", new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero)));
        var upOn25th = Assert.Single(await SeedAsync(host, 1, "UP", new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero)));
        var coordinator = NewChat();
        Assert.Contains("राजस्थान", Assert.Single(await host.SayAsync(Owner, $"/admins add {coordinator} coordinator RJ")).VisibleText);

        // A typed day counts from midnight in India: 23:30 on the 23rd is out, 00:30 on the 24th is in.
        var typedAsk = Assert.Single(await host.PressAsync(await ComposeAsync(host, Owner, "नए साथियों का स्वागत"), "bc:js"));
        var future = Assert.Single(await host.SayAsync(Owner, "2026-12-30"));
        var typed = await host.SayAsync(Owner, "24/11/2026", replies: 2);
        await host.SayAsync(Owner, "/cancel");

        // "Last 7 days", then "add a filter" → by state → RJ: both filters must match, and that is what is sent.
        var audience = await ComposeAsync(host, Owner, "पिछले हफ़्ते जुड़े राजस्थान के साथियों को नमस्ते");
        var since = Assert.Single(await host.PressAsync(audience, "bc:js"));
        var forged = await ForgeAsync(host, since, "bc:j:0");
        var lastWeek = await host.PressAsync(since, "bc:j:7", replies: 2);
        var more = Assert.Single(await host.PressAsync(lastWeek[1], "bc:more"));
        Assert.Single(await host.PressAsync(more, "bc:st"));
        var combined = await host.SayAsync(Owner, "RJ", replies: 2);
        await host.PressAsync(combined[1], "bc:now");
        var job = Assert.Single(await Broadcasts(host).ListAsync(10, default));
        var meta = await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, job.Id, TimeSpan.FromMinutes(1));

        // A coordinator's "last 30 days" is narrowed to their states.
        var coordinatorSince = Assert.Single(await host.PressAsync(await ComposeAsync(host, coordinator, "जयपुर"), "bc:js"));
        var coordinatorPreview = await host.PressAsync(coordinatorSince, "bc:j:30", replies: 2);

        Assert.Equal(new[] { "bc:j:1", "bc:j:7", "bc:j:30", "bc:x" }, since.CallbackData);
        Assert.Equal(new[] { "आज", "पिछले 7 दिन", "पिछले 30 दिन", "रद्द करें" }, since.Buttons.SelectMany(r => r).Select(b => b.Text));
        Assert.Contains("bc:js", audience.CallbackData);
        var badSince = "यह तारीख़ समझ नहीं आई, या अभी आई ही नहीं है। 2026-11-01 की तरह भेजें, या कोई बटन चुनें।";
        Assert.Equal((badSince, badSince), (future.VisibleText, forged.VisibleText));
        Assert.StartsWith("किस दिन से जुड़े समर्थकों", typedAsk.VisibleText, StringComparison.Ordinal);
        Assert.Contains("यह 2 समर्थकों", typed[1].VisibleText);
        Assert.Contains("किसे: 24 नवंबर से जुड़े", typed[1].VisibleText);
        Assert.Contains("यह 3 समर्थकों", lastWeek[1].VisibleText);
        Assert.Contains("किसे: 20 नवंबर से जुड़े", lastWeek[1].VisibleText);
        Assert.Contains("bc:more", lastWeek[1].CallbackData);
        Assert.Contains("अब तक चुना: 20 नवंबर से जुड़े", more.VisibleText);
        Assert.Contains(more.Buttons.SelectMany(r => r), b => b.Text == "इन समर्थकों के लिए झलक देखें" && b.CallbackData == "bc:all");
        Assert.Contains("यह 2 समर्थकों", combined[1].VisibleText);
        Assert.Contains("किसे: राजस्थान में · 20 नवंबर से जुड़े", combined[1].VisibleText);
        Assert.Equal(["RJ"], job.Definition!.Audience.States);
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 18, 30, 0, TimeSpan.Zero), job.Definition.Audience.JoinedSince);
        Assert.Equal(("2", "2"), (meta["total"], meta["sent"]));
        Assert.All(new[] { early24th, late23rd }, id => Assert.Equal("पिछले हफ़्ते जुड़े राजस्थान के साथियों को नमस्ते", Assert.Single(host.Telegram.MessagesTo(id)).VisibleText));
        Assert.All(new[] { longAgo, upOn25th }, id => Assert.Empty(host.Telegram.MessagesTo(id)));
        Assert.Contains("यह 3 समर्थकों", coordinatorPreview[1].VisibleText);
        Assert.Contains("किसे: राजस्थान में · 28 अक्तूबर से जुड़े", coordinatorPreview[1].VisibleText);
    }

    [SkippableFact]
    public async Task The_api_sends_to_the_supporters_of_a_campaign_and_refuses_an_unknown_one()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        var viaDemocracy = NewChat();
        var onFarmersDay = NewChat();
        await JoinAsync(host, viaDemocracy, "c_democracy-2026-12");
        await JoinAsync(host, onFarmersDay, null);
        using var admin = Supporters.Admin(host.BaseAddress);

        using var unknown = await admin.PostAsJsonAsync("/admin/broadcasts", new { content = new { text = "x" }, audience = new { campaigns = new[] { "democracy-2062-12" } } });
        var farmers = await Supporters.CreateBroadcastAsync(admin, "किसानों के साथ", new { campaigns = new[] { "farmers-2026-11" } });
        var meta = await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, farmers, TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown campaign 'democracy-2062-12'", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(("1", "1"), (meta["total"], meta["sent"]));
        Assert.Equal("किसानों के साथ", host.Telegram.MessagesTo(onFarmersDay)[^1].VisibleText);
        Assert.DoesNotContain(host.Telegram.MessagesTo(viaDemocracy), m => m.VisibleText == "किसानों के साथ");
    }

    [SkippableFact]
    public async Task The_preview_and_the_test_to_me_take_their_share_of_the_shared_rate_like_replies()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);

        // One send every 100 s: the shared rate's next free slot then moves exactly one interval per send, so it counts them.
        await using var host = await StartAsync(s =>
        {
            s["Broadcast:MaxPerSecond"] = "0.01";
            s["Broadcast:PacingFactor"] = "1";
        });
        var db = redis.Connection.GetDatabase();
        var tat = $"{host.KeyPrefix}{{supporters}}:bc:tat";
        // A second early, in case the Redis server's clock reads a little behind ours; far less than one interval.
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;

        var audience = await ComposeAsync(host, Owner, "जाँच");                 // 2 replies
        var preview = await host.PressAsync(audience, "bc:all", replies: 2);     // the preview (broadcast path) + controls
        var test = await host.PressAsync(preview[1], "bc:test", replies: 2);     // the test (broadcast path) + "sent"
        var slots = await WaitForSlotsAsync(db, tat, start, expected: 6);

        Assert.Equal("जाँच", preview[0].VisibleText);
        Assert.Equal("जाँच", test[0].VisibleText);
        Assert.Equal(6, slots);
    }

    /// <summary>
    /// How many sends the shared rate has recorded since <paramref name="start"/>: with a 100 s interval and an empty
    /// rate at the start, the next free slot is the first send's time plus one interval per send. Recording runs beside
    /// each send, so it may land just after the message: wait (bounded) until the expected count or the deadline.
    /// </summary>
    private static async Task<long> WaitForSlotsAsync(StackExchange.Redis.IDatabase db, string tat, long start, int expected)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var next = (string?)await db.StringGetAsync(tat);
            var slots = next is null ? 0 : (long)Math.Floor((double.Parse(next, CultureInfo.InvariantCulture) - start) / 100_000);
            if (slots >= expected || DateTimeOffset.UtcNow > deadline)
            {
                return slots;
            }

            await Task.Delay(50);
        }
    }
}
