using System.Globalization;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Submissions;
using SpeakUp.Redis.Admin;
using SpeakUp.Redis.Submissions;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests.Admin;

/// <summary>The supporters CSV's submissions column: each supporter's count from the review queue's author index, on both backends.</summary>
public abstract class SupporterExportSubmissionsTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    [SkippableFact]
    public async Task The_submissions_column_counts_what_each_supporter_sent_across_pages_and_forgets_with_them()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var sessions = new RedisSessionStore(server.Connection, keys);
        var directory = new RedisSupporterDirectory(server.Connection, keys);
        var store = new RedisSubmissionStore(server.Connection, keys);

        // More supporters than one export page (250), so the counts come from more than one pipelined batch.
        var expected = new Dictionary<string, long>();
        for (var i = 0; i < 260; i++)
        {
            var chat = new ChatKey("tg", (9_100_000 + i).ToString(CultureInfo.InvariantCulture));
            var session = Session.New(chat, Now);
            session.State = SupporterState.Joined;
            session.Language = "hi";
            session.StateCode = "RJ";
            session.OptedIn = true;
            session.JoinedAt = Now;
            session.FirstName = "Sunita";
            Assert.True(await sessions.TrySaveAsync(session, null, default));
            await directory.ApplyAsync(null, session.Snapshot(), default);

            var sent = i % 4;
            for (var n = 0; n < sent; n++)
            {
                await store.AddAsync(Submission(chat, n), 1000, default);
            }

            expected[chat.ToString()] = sent;
        }

        // A supporter who sent three and then asked to be forgotten by the queue counts none.
        var forgotten = new ChatKey("tg", "9100003");
        await store.ForgetAuthorAsync(forgotten, 1000, default);
        expected[forgotten.ToString()] = 0;

        var export = new RedisSupporterExport(server.Connection, keys, sessions);
        using var csv = new StringWriter();
        var rows = await SupporterCsv.WriteAsync(csv, export.ReadAsync(null, default), default);

        Assert.Equal(260, rows);
        var lines = csv.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var id = Array.IndexOf(header, "id");
        var submissions = Array.IndexOf(header, "submissions");
        var actual = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[id], f => long.Parse(f[submissions], CultureInfo.InvariantCulture));
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    private static Submission Submission(ChatKey chat, int n) => new()
    {
        Id = SubmissionRules.NewId(),
        Chat = chat.ToString(),
        UserId = chat.ChatId,
        FirstName = "Sunita",
        Language = "hi",
        StateCode = "RJ",
        CampaignId = "farmers",
        Hashtag = "#SpeakUpForFarmers",
        Items = [new SubmissionItem { Kind = MediaKind.Photo, FileId = $"f-{chat.ChatId}-{n}", FileUniqueId = $"u-{chat.ChatId}-{n}" }],
        CreatedAt = Now.AddMinutes(n),
    };
}

public sealed class SupporterExportSubmissionsOnRedisServerTests(RedisServerFixture server) : SupporterExportSubmissionsTests(server), IClassFixture<RedisServerFixture>;

public sealed class SupporterExportSubmissionsOnGarnetTests(GarnetFixture server) : SupporterExportSubmissionsTests(server), IClassFixture<GarnetFixture>;
