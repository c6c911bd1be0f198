using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CsvHelper;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests.Submissions;

/// <summary>
/// /forgetme reaches the review queue: through the real host and the fake Bot API, on both Redis servers, a supporter's
/// submissions (one published, one held by a moderator) are deleted with them, and nobody else's.
/// </summary>
public abstract class ForgetSubmissionsTests(RedisTestServer redis)
{
    private const long Moderator = 5_550_003;
    private const long Owner = 5_550_004;
    private const long Channel = -1002223334445;
    private const string ApiKey = "k3y-for-forget-tests-0123456789abcdefghij";
    private static long s_nextChat = 8_800_000;

    private static long NewChat() => Interlocked.Increment(ref s_nextChat);

    private static string Tg(long chat) => "tg:" + chat.ToString(CultureInfo.InvariantCulture);

    private Task<BotHostHarness> StartAsync() =>
        BotHostHarness.StartAsync(redis, s =>
        {
            s["Bot:ModeratorIds:0"] = Moderator.ToString(CultureInfo.InvariantCulture);
            s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
            s["Publishing:ChannelId"] = Channel.ToString(CultureInfo.InvariantCulture);
            s["Admin:ApiKey"] = ApiKey;
        });

    private static async Task JoinAsync(BotHostHarness host, long chat)
    {
        var welcome = Assert.Single(await host.SayAsync(chat, "/start"));
        var consent = Assert.Single(await host.PressAsync(welcome, "l:hi"));
        Assert.Single(await host.PressAsync(consent, "c:y"));
        await host.SayAsync(chat, "राजस्थान", replies: 2);
    }

    private static async Task SubmitPhotoAsync(BotHostHarness host, long chat, string fileId)
    {
        var before = host.Telegram.MessagesTo(chat).Count;
        host.Telegram.EnqueueUpdate(FakeUpdates.Photo(chat, fileId));
        var summary = (await host.Telegram.WaitForMessagesAsync(chat, before + 1))[before];
        var received = Assert.Single(await host.PressAsync(summary, "sb:n"));
        Assert.Contains("मिल गया, जाँच के लिए भेजा गया", received.VisibleText, StringComparison.Ordinal);
    }

    /// <summary>/review as the moderator: the copied photo, then the card with the buttons.</summary>
    private static async Task<FakeSentMessage> ReviewAsync(BotHostHarness host)
    {
        var sent = await host.SayAsync(Moderator, "/review", replies: 2);
        Assert.Equal("copyMessage", sent[0].Method);
        return sent[1];
    }

    private static string Data(FakeSentMessage card, string verb) => Assert.Single(card.CallbackData, d => d.StartsWith("rv:" + verb + ":", StringComparison.Ordinal));

    private static string IdOn(FakeSentMessage card) => Data(card, "a")[5..];

    /// <summary>The supporters CSV from the admin API, as id → submissions.</summary>
    private static async Task<Dictionary<string, string>> SubmissionsColumnAsync(BotHostHarness host)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await http.GetAsync(new Uri("/admin/export/supporters.csv", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToDictionary(r => (string)r["id"], r => (string)r["submissions"]);
    }

    [SkippableFact]
    public async Task Forgetme_deletes_every_submission_of_the_supporter_and_leaves_other_supporters_items()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        var sunita = NewChat();
        var ravi = NewChat();
        await JoinAsync(host, sunita);
        await JoinAsync(host, ravi);
        await SubmitPhotoAsync(host, sunita, "forget-sunita-1");
        await SubmitPhotoAsync(host, sunita, "forget-sunita-2");
        await SubmitPhotoAsync(host, ravi, "forget-ravi-1");
        var counted = await SubmissionsColumnAsync(host);
        Assert.Equal(("2", "1"), (counted[Tg(sunita)], counted[Tg(ravi)]));

        // The moderator approves Sunita's first (it goes to the channel) and is holding her second when she leaves.
        var first = await ReviewAsync(host);
        Assert.Contains("प्रकाशित किया", Assert.Single(await host.PressAsync(first, Data(first, "a"))).VisibleText, StringComparison.Ordinal);
        var held = await ReviewAsync(host);
        string[] sunitas = [IdOn(first), IdOn(held)];

        var confirm = Assert.Single(await host.SayAsync(sunita, "/forgetme"));
        var done = Assert.Single(await host.PressAsync(confirm, "ok"));
        Assert.Contains("आपकी जानकारी मिटा दी गई है", done.VisibleText, StringComparison.Ordinal);

        const string Gone = "यह सबमिशन अब उपलब्ध नहीं है: समर्थक ने अपनी जानकारी मिटा दी है।";
        Assert.Equal(Gone, Assert.Single(await host.PressAsync(held, Data(held, "a"))).VisibleText);
        Assert.Equal(Gone, Assert.Single(await host.PressAsync(held, Data(held, "r"))).VisibleText);
        var next = await ReviewAsync(host);
        Assert.DoesNotContain(IdOn(next), sunitas);
        Assert.Equal(ravi, host.Telegram.CallsTo("copyMessage").Last(c => c.ChatId == Moderator).GetLong("from_chat_id"));

        // Nothing of hers is left: no key in the whole database names her chat or her items, and nothing this host
        // stored mentions her chat, her files, or (in the review queue) her items.
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var everyKey = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "*", pageSize: 1000))
        {
            everyKey.Add(key!);
        }

        foreach (var trace in sunitas.Append(Tg(sunita)))
        {
            Assert.DoesNotContain(everyKey, k => k.Contains(trace, StringComparison.Ordinal));
        }

        var stored = await RedisDump.DumpOnceForgottenAsync(redis.Connection, host.KeyPrefix, Tg(sunita), TimeSpan.FromSeconds(10));
        Assert.Empty(stored.Where(k => k.Mentions(Tg(sunita)) || k.Mentions("forget-sunita-")).Select(k => k.Key));
        Assert.Empty(stored.Where(k => k.Key.Contains("{submissions}", StringComparison.Ordinal) && sunitas.Any(k.Mentions)).Select(k => k.Key));

        // Her published post stays on the channel; the counters still count its approval; Ravi is untouched.
        Assert.Single(host.Telegram.MessagesTo(Channel));
        var stats = Assert.Single(await host.SayAsync(Owner, "/stats")).VisibleText;
        Assert.Contains("अब तक स्वीकार: 1 · अस्वीकार: 0", stats, StringComparison.Ordinal);
        Assert.Contains("जाँच के लिए बाकी वीडियो/फ़ोटो: 1", stats, StringComparison.Ordinal);
        var after = await SubmissionsColumnAsync(host);
        Assert.False(after.ContainsKey(Tg(sunita)));
        Assert.Equal("1", after[Tg(ravi)]);
    }
}

[Collection(OnGarnet.Name)]
public sealed class ForgetSubmissionsOnGarnetTests(GarnetFixture garnet) : ForgetSubmissionsTests(garnet);

[Collection(OnRedisServer.Name)]
public sealed class ForgetSubmissionsOnRedisServerTests(RedisServerFixture redis) : ForgetSubmissionsTests(redis);
