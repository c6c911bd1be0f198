using SpeakUp.Core.Messaging;
using SpeakUp.Core.Submissions;
using SpeakUp.Redis.Submissions;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests.Submissions;

/// <summary>
/// /forgetme in the review queue, on both backends: every item of a supporter is indexed under them as it is added, and
/// forgetting them deletes each one (whatever its status) from every structure, leaving other supporters and the decision
/// counters as they were.
/// </summary>
public abstract class SubmissionForgetTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly ChatKey Sunita = new("tg", "4242");
    private static readonly ChatKey Ravi = new("tg", "4343");

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private RedisSubmissionStore Store => new(server.Connection, keys);

    private IDatabase Db => server.Connection.GetDatabase();

    private static Submission From(ChatKey author, string name, int minute, bool text = false) => new()
    {
        Id = SubmissionRules.NewId(),
        Chat = author.ToString(),
        UserId = author.ChatId,
        FirstName = name,
        CreditName = name,
        Language = "hi",
        StateCode = "RJ",
        CampaignId = "farmers",
        Hashtag = "#SpeakUpForFarmers",
        Items = text ? [] : [new SubmissionItem { Kind = MediaKind.Video, FileId = "file-" + Guid.NewGuid().ToString("N"), FileUniqueId = "unique-" + Guid.NewGuid().ToString("N"), MessageId = "7", DurationSeconds = 30 }],
        Text = name + " का संदेश #SpeakUpForFarmers",
        CreatedAt = Now.AddMinutes(minute),
    };

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    [SkippableFact]
    public async Task Every_submission_is_indexed_under_its_author_once()
    {
        SkipUnlessAvailable();
        var first = From(Sunita, "Sunita", 0);
        var second = From(Sunita, "Sunita", 1, text: true);
        var ravis = From(Ravi, "Ravi", 2);

        await Store.AddAsync(first, 20, default);
        await Store.AddAsync(second, 20, default);
        await Store.AddAsync(first, 20, default);
        await Store.AddAsync(ravis, 20, default);

        var sunitas = await Db.SetMembersAsync(RedisSubmissionStore.AuthorKey(keys, Sunita.ToString()));
        Assert.Equal(new[] { first.Id, second.Id }.Order(), sunitas.Select(m => (string)m!).Order());
        Assert.Equal(1, await Db.SetLengthAsync(RedisSubmissionStore.AuthorKey(keys, Ravi.ToString())));
    }

    [SkippableFact]
    public async Task Forgetting_deletes_the_authors_pending_claimed_published_and_rejected_items_and_leaves_everything_else()
    {
        SkipUnlessAvailable();
        var store = Store;
        var published = From(Sunita, "Sunita", 0);
        var rejected = From(Sunita, "Sunita", 1);
        var ravisApproved = From(Ravi, "Ravi", 2);
        var claimed = From(Sunita, "Sunita", 3);
        var pending = From(Sunita, "Sunita", 4, text: true);
        var ravisPending = From(Ravi, "Ravi", 5);
        foreach (var s in new[] { published, rejected, ravisApproved, claimed, pending, ravisPending })
        {
            await store.AddAsync(s, 20, default);
        }

        Assert.Equal(DecisionOutcome.Decided, await store.DecideAsync(published.Id, "1", SubmissionStatus.Approved, null, Now, 20, default));
        Assert.True(await store.TryStartPublishingAsync(published.Id, Lease, default));
        Assert.True(await store.MarkPublishedAsync(published.Id, "https://t.me/c/1/2", default));
        Assert.Equal(DecisionOutcome.Decided, await store.DecideAsync(rejected.Id, "1", SubmissionStatus.Rejected, "2", Now, 20, default));
        Assert.Equal(DecisionOutcome.Decided, await store.DecideAsync(ravisApproved.Id, "1", SubmissionStatus.Approved, null, Now, 20, default));
        Assert.Equal(claimed.Id, (await store.ClaimNextAsync("1", Now, Lease, null, default))?.Id);

        var forgotten = await store.ForgetAuthorAsync(Sunita, 20, default);

        Assert.Equal(4, forgotten);
        foreach (var s in new[] { published, rejected, claimed, pending })
        {
            Assert.Null(await store.GetAsync(s.Id, default));
        }

        Assert.Equal(SubmissionStatus.Approved, (await store.GetAsync(ravisApproved.Id, default))?.Status);
        Assert.Equal(SubmissionStatus.Pending, (await store.GetAsync(ravisPending.Id, default))?.Status);
        Assert.Equal(1, await store.QueueLengthAsync(default));
        Assert.Equal(new SubmissionCounts(Approved: 2, Rejected: 1), await store.CountsAsync(default));

        // The moderator who held Sunita's item: every step on it says "unknown" and writes nothing back.
        Assert.Equal(DecisionOutcome.NotFound, await store.DecideAsync(claimed.Id, "1", SubmissionStatus.Approved, null, Now, 20, default));
        Assert.False(await store.ReleaseAsync(claimed.Id, "1", Now, default));
        Assert.False(await store.TryStartPublishingAsync(claimed.Id, Lease, default));
        Assert.False(await store.MarkPublishedAsync(claimed.Id, "https://t.me/c/1/3", default));
        Assert.Equal(ravisPending.Id, (await store.ClaimNextAsync("1", Now, Lease, null, default))?.Id);

        var left = await RedisDump.DumpAsync(server.Connection, keys.Prefix);
        var traces = new[] { Sunita.ToString(), "Sunita", published.Id, rejected.Id, claimed.Id, pending.Id }
            .Concat(new[] { published, rejected, claimed }.SelectMany(s => s.Items).SelectMany(i => new[] { i.FileId!, i.FileUniqueId! }));
        foreach (var trace in traces)
        {
            Assert.DoesNotContain(left, k => k.Mentions(trace));
        }

        Assert.Contains(left, k => k.Mentions(ravisApproved.Id));
        Assert.Equal(0, await store.ForgetAuthorAsync(Sunita, 20, default));
    }

    [SkippableFact]
    public async Task A_forgotten_file_can_be_submitted_again()
    {
        SkipUnlessAvailable();
        var s = From(Sunita, "Sunita", 0);
        await Store.AddAsync(s, 20, default);

        await Store.ForgetAuthorAsync(Sunita, 20, default);
        var again = await Store.AddAsync(s with { Id = SubmissionRules.NewId() }, 20, default);

        Assert.True(again.Added);
    }

    [SkippableFact]
    public async Task Moderators_are_notified_again_after_forgetting_drained_the_queue_below_the_threshold()
    {
        SkipUnlessAvailable();
        await Store.AddAsync(From(Sunita, "Sunita", 0), 2, default);
        Assert.True((await Store.AddAsync(From(Sunita, "Sunita", 1), 2, default)).NotifyModerators);

        await Store.ForgetAuthorAsync(Sunita, 2, default);
        var first = await Store.AddAsync(From(Ravi, "Ravi", 2), 2, default);
        var second = await Store.AddAsync(From(Ravi, "Ravi", 3), 2, default);

        Assert.Equal([false, true], [first.NotifyModerators, second.NotifyModerators]);
    }

    [SkippableFact]
    public async Task Decisions_are_counted_once_however_often_they_are_tapped()
    {
        SkipUnlessAvailable();
        var approved = From(Ravi, "Ravi", 0);
        var rejected = From(Ravi, "Ravi", 1);
        await Store.AddAsync(approved, 20, default);
        await Store.AddAsync(rejected, 20, default);
        Assert.Equal(new SubmissionCounts(0, 0), await Store.CountsAsync(default));

        for (var tap = 0; tap < 3; tap++)
        {
            await Store.DecideAsync(approved.Id, "1", SubmissionStatus.Approved, null, Now, 20, default);
            await Store.DecideAsync(rejected.Id, "1", SubmissionStatus.Rejected, "1", Now, 20, default);
        }

        Assert.Equal(new SubmissionCounts(Approved: 1, Rejected: 1), await Store.CountsAsync(default));
    }
}

public sealed class SubmissionForgetOnRedisServerTests(RedisServerFixture server) : SubmissionForgetTests(server), IClassFixture<RedisServerFixture>;

public sealed class SubmissionForgetOnGarnetTests(GarnetFixture server) : SubmissionForgetTests(server), IClassFixture<GarnetFixture>;
