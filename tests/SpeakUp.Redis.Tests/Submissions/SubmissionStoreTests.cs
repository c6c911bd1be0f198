using SpeakUp.Core.Messaging;
using SpeakUp.Core.Submissions;
using SpeakUp.Redis.Submissions;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests.Submissions;

/// <summary>The review queue's guarantees, on both backends: one claim per item, one decision per item, idempotent adds.</summary>
public abstract class SubmissionStoreTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private RedisSubmissionStore Store => new(server.Connection, keys);

    private static Submission NewSubmission(string? file = null, int minute = 0, string state = "RJ") => new()
    {
        Id = SubmissionRules.NewId(),
        Chat = "tg:42",
        UserId = "42",
        FirstName = "Sunita",
        CreditName = "Sunita",
        Language = "hi",
        StateCode = state,
        CampaignId = "farmers",
        Hashtag = "#SpeakUpForFarmers",
        Items = [new SubmissionItem { Kind = MediaKind.Video, FileId = "f-" + (file ?? Guid.NewGuid().ToString("N")), FileUniqueId = "u-" + (file ?? Guid.NewGuid().ToString("N")), MessageId = "7", DurationSeconds = 30 }],
        Text = "मेरा वीडियो #SpeakUpForFarmers",
        CreatedAt = Now.AddMinutes(minute),
    };

    [SkippableFact]
    public async Task Added_submission_reads_back_pending_with_every_field()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var s = NewSubmission();

        var added = await Store.AddAsync(s, 20, default);
        var loaded = await Store.GetAsync(s.Id, default);

        Assert.Equal(new AddOutcome(true, 1, false), added);
        Assert.NotNull(loaded);
        Assert.Equal(SubmissionStatus.Pending, loaded.Status);
        Assert.Equal(SubmissionJson.Serialize(s), SubmissionJson.Serialize(loaded));
    }

    [SkippableFact]
    public async Task The_same_submission_or_the_same_file_is_stored_once()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var s = NewSubmission("same");

        await Store.AddAsync(s, 20, default);
        var again = await Store.AddAsync(s, 20, default);
        var sameFile = await Store.AddAsync(NewSubmission("same"), 20, default);

        Assert.False(again.Added);
        Assert.False(sameFile.Added);
        Assert.Equal(1, await Store.QueueLengthAsync(default));
    }

    [SkippableFact]
    public async Task Moderators_are_notified_once_when_the_queue_reaches_the_threshold_and_again_after_it_drained()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var notices = new List<bool>();
        var items = new List<Submission>();
        for (var i = 0; i < 5; i++)
        {
            var s = NewSubmission(minute: i);
            items.Add(s);
            notices.Add((await Store.AddAsync(s, 3, default)).NotifyModerators);
        }

        Assert.Equal([false, false, true, false, false], notices);

        // Drain below the threshold, then cross it again.
        foreach (var s in items.Take(3))
        {
            Assert.Equal(DecisionOutcome.Decided, await Store.DecideAsync(s.Id, "7", SubmissionStatus.Rejected, "1", Now, 3, default));
        }

        Assert.True((await Store.AddAsync(NewSubmission(), 3, default)).NotifyModerators);
    }

    [SkippableFact]
    public async Task Two_moderators_never_hold_the_same_item_and_a_claim_is_renewed_not_doubled()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var first = NewSubmission(minute: 0);
        var second = NewSubmission(minute: 1);
        await Store.AddAsync(first, 20, default);
        await Store.AddAsync(second, 20, default);

        var ravi = await Store.ClaimNextAsync("1", Now, Lease, null, default);
        var raviAgain = await Store.ClaimNextAsync("1", Now, Lease, null, default);
        var arjun = await Store.ClaimNextAsync("2", Now, Lease, null, default);
        var meera = await Store.ClaimNextAsync("3", Now, Lease, null, default);

        Assert.Equal(first.Id, ravi?.Id);
        Assert.Equal(first.Id, raviAgain?.Id);
        Assert.Equal(second.Id, arjun?.Id);
        Assert.Null(meera);
    }

    [SkippableFact]
    public async Task A_state_coordinator_gets_only_items_of_their_states()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var bihar = NewSubmission(minute: 0, state: "BR");
        var rajasthan = NewSubmission(minute: 1, state: "RJ");
        await Store.AddAsync(bihar, 20, default);
        await Store.AddAsync(rajasthan, 20, default);

        var arjun = await Store.ClaimNextAsync("9", Now, Lease, ["RJ", "GJ"], default);
        var arjunAgain = await Store.ClaimNextAsync("9", Now, Lease, ["RJ", "GJ"], default);
        var nothingLeft = await Store.ClaimNextAsync("8", Now, Lease, ["RJ"], default);
        var noStates = await Store.ClaimNextAsync("7", Now, Lease, [], default);
        var moderator = await Store.ClaimNextAsync("1", Now, Lease, null, default);

        Assert.Equal(rajasthan.Id, arjun?.Id);
        Assert.Equal(rajasthan.Id, arjunAgain?.Id);
        Assert.Null(nothingLeft);
        Assert.Null(noStates);
        Assert.Equal(bihar.Id, moderator?.Id);
    }

    [SkippableFact]
    public async Task An_expired_claim_returns_the_item_to_the_queue()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var s = NewSubmission();
        await Store.AddAsync(s, 20, default);

        await Store.ClaimNextAsync("1", Now, Lease, null, default);
        var whileHeld = await Store.ClaimNextAsync("2", Now.AddMinutes(9), Lease, null, default);
        var afterLease = await Store.ClaimNextAsync("2", Now.AddMinutes(11), Lease, null, default);

        Assert.Null(whileHeld);
        Assert.Equal(s.Id, afterLease?.Id);
        Assert.Equal(DecisionOutcome.ClaimedByOther, await Store.DecideAsync(s.Id, "1", SubmissionStatus.Approved, null, Now.AddMinutes(12), 20, default));
    }

    [SkippableFact]
    public async Task A_decision_happens_once_and_publishing_is_marked_once()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var s = NewSubmission();
        await Store.AddAsync(s, 20, default);
        await Store.ClaimNextAsync("1", Now, Lease, null, default);

        var first = await Store.DecideAsync(s.Id, "1", SubmissionStatus.Approved, null, Now, 20, default);
        var doubleTap = await Store.DecideAsync(s.Id, "1", SubmissionStatus.Approved, null, Now, 20, default);
        var otherReject = await Store.DecideAsync(s.Id, "2", SubmissionStatus.Rejected, "2", Now, 20, default);
        var published = await Store.MarkPublishedAsync(s.Id, "https://t.me/c/1/2", default);
        var publishedAgain = await Store.MarkPublishedAsync(s.Id, "https://t.me/c/1/3", default);

        Assert.Equal([DecisionOutcome.Decided, DecisionOutcome.AlreadyDecided, DecisionOutcome.AlreadyDecided], [first, doubleTap, otherReject]);
        Assert.True(published);
        Assert.False(publishedAgain);
        var stored = await Store.GetAsync(s.Id, default);
        Assert.Equal(SubmissionStatus.Published, stored?.Status);
        Assert.Equal("https://t.me/c/1/2", stored?.PostUrl);
        Assert.Equal("1", stored?.DecidedBy);
        Assert.Equal(0, await Store.QueueLengthAsync(default));
        Assert.Equal(DecisionOutcome.NotFound, await Store.DecideAsync("AAAAAAAAAAAA", "1", SubmissionStatus.Approved, null, Now, 20, default));
    }

    [SkippableFact]
    public async Task Only_one_attempt_at_a_time_may_publish_an_approved_item()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var s = NewSubmission();
        await Store.AddAsync(s, 20, default);
        Assert.False(await Store.TryStartPublishingAsync(s.Id, Lease, default));
        await Store.DecideAsync(s.Id, "1", SubmissionStatus.Approved, null, Now, 20, default);

        var first = await Store.TryStartPublishingAsync(s.Id, Lease, default);
        var second = await Store.TryStartPublishingAsync(s.Id, Lease, default);
        await Store.MarkPublishedAsync(s.Id, "https://t.me/c/1/2", default);
        var afterPublished = await Store.TryStartPublishingAsync(s.Id, TimeSpan.FromMilliseconds(1), default);

        Assert.Equal([true, false, false], [first, second, afterPublished]);
    }

    [SkippableFact]
    public async Task Skip_puts_the_item_at_the_end_of_the_queue()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var first = NewSubmission(minute: 0);
        var second = NewSubmission(minute: 1);
        await Store.AddAsync(first, 20, default);
        await Store.AddAsync(second, 20, default);

        await Store.ClaimNextAsync("1", Now, Lease, null, default);
        Assert.False(await Store.ReleaseAsync(first.Id, "2", Now.AddMinutes(2), default));
        Assert.True(await Store.ReleaseAsync(first.Id, "1", Now.AddMinutes(2), default));
        var next = await Store.ClaimNextAsync("1", Now.AddMinutes(2), Lease, null, default);

        Assert.Equal(second.Id, next?.Id);
    }

    [SkippableFact]
    public async Task Two_moderators_racing_over_100_items_decide_each_exactly_once()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var ids = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            var s = NewSubmission(minute: i);
            ids.Add(s.Id);
            await Store.AddAsync(s, 1000, default);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<List<string>> Moderate(string moderator)
        {
            await start.Task;
            var decided = new List<string>();
            while (await Store.ClaimNextAsync(moderator, Now, Lease, null, default) is { } item)
            {
                // Both tap approve on everything they ever saw, twice, as a flaky phone would.
                for (var tap = 0; tap < 2; tap++)
                {
                    if (await Store.DecideAsync(item.Id, moderator, SubmissionStatus.Approved, null, Now, 1000, default) == DecisionOutcome.Decided)
                    {
                        decided.Add(item.Id);
                    }
                }
            }

            return decided;
        }

        var ravi = Task.Run(() => Moderate("1"));
        var arjun = Task.Run(() => Moderate("2"));
        start.SetResult();
        var results = await Task.WhenAll(ravi, arjun);

        var all = results[0].Concat(results[1]).ToList();
        Assert.Equal(100, all.Count);
        Assert.Equal(ids.Order(), all.Order());
        Assert.Equal(0, await Store.QueueLengthAsync(default));
    }

    [SkippableFact]
    public async Task Flood_gate_counts_a_sliding_minute_per_chat_and_notifies_once_per_burst()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var gate = new RedisFloodGate(server.Connection, keys);
        var chat = new ChatKey("tg", "42");
        var at = new DateTimeOffset(2026, 11, 26, 6, 0, 50, TimeSpan.Zero);

        var checks = new List<FloodCheck>();
        for (var i = 0; i < 5; i++)
        {
            // Across a minute boundary on the clock: a sliding window does not reset at :00.
            checks.Add(await gate.HitAsync(chat, at.AddSeconds(i * 5), 2, default));
        }

        var other = await gate.HitAsync(new ChatKey("tg", "43"), at, 2, default);
        var afterQuiet = await gate.HitAsync(chat, at.AddMinutes(3), 2, default);

        Assert.Equal([1L, 2, 3, 4, 5], checks.Select(c => c.Count));
        Assert.Equal([false, false, true, false, false], checks.Select(c => c.Notify));
        Assert.Equal(new FloodCheck(1, false), other);
        Assert.Equal(new FloodCheck(1, false), afterQuiet);
    }
}

public sealed class SubmissionStoreOnRedisServerTests(RedisServerFixture server) : SubmissionStoreTests(server), IClassFixture<RedisServerFixture>;

public sealed class SubmissionStoreOnGarnetTests(GarnetFixture server) : SubmissionStoreTests(server), IClassFixture<GarnetFixture>;
