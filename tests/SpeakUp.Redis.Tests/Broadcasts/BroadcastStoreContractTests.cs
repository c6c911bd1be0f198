using System.Globalization;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis.Broadcasts;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests.Broadcasts;

/// <summary>The job store's scripts, on both backends: snapshot, claims, outcomes, leases, pacing, cancel.</summary>
public abstract class BroadcastStoreContractTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Joined = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private RedisBroadcastStore Store(double perSecond = 1000, int leaseSeconds = 60) =>
        new(server.Connection, keys, Options.Create(new BroadcastOptions { MaxPerSecond = perSecond, PacingFactor = 1, LeaseSeconds = leaseSeconds, AllowAnyRate = true }));

    private async Task<ChatKey[]> SeedAsync(int count, string state = "RJ", string language = "hi", DateTimeOffset? joined = null, bool optedIn = true)
    {
        var directory = new RedisSupporterDirectory(server.Connection, keys);
        var chats = Enumerable.Range(0, count).Select(_ => new ChatKey("tg", Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture))).ToArray();
        foreach (var chat in chats)
        {
            await directory.ApplyAsync(null, new SupporterSnapshot(chat, true, optedIn, state, language, false, joined ?? Joined), default);
        }

        return chats;
    }

    private static BroadcastDefinition Message(BroadcastAudience? audience = null) => new() { Content = new BroadcastContent { Text = "hi" }, Audience = audience ?? new BroadcastAudience() };

    private async Task<string> StartedAsync(RedisBroadcastStore store, BroadcastAudience? audience = null)
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..10];
        Assert.True(await store.CreateAsync(id, Message(audience), DateTimeOffset.UtcNow, default));
        await store.StartAsync(id, default);
        return id;
    }

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    [SkippableFact]
    public async Task Every_recipient_is_claimed_once_and_the_job_completes_with_its_counts()
    {
        SkipUnlessAvailable();
        var chats = await SeedAsync(25);
        var store = Store();
        var id = await StartedAsync(store);
        var claimed = new List<ChatKey>();

        while (true)
        {
            var claim = await store.ClaimAsync(id, "test", default);
            if (claim.Kind == ClaimKind.Done)
            {
                break;
            }

            if (claim.Kind == ClaimKind.Claimed)
            {
                claimed.Add(claim.Recipient!.Value);
                await store.CompleteAsync(id, claim.Recipient.Value, claimed.Count % 5 == 0 ? RecipientOutcome.Unreachable : RecipientOutcome.Sent, default);
            }
        }

        var job = await store.GetAsync(id, default);
        Assert.Equal(chats.Select(c => c.ToString()).Order(), claimed.Select(c => c.ToString()).Order());
        Assert.Equal((BroadcastStatus.Completed, 25L, 20L, 5L, 0L), (job!.Status, job.Total, job.Sent, job.Unreachable, job.Remaining));
    }

    [SkippableFact]
    public async Task Concurrent_claimers_never_get_the_same_recipient()
    {
        SkipUnlessAvailable();
        await SeedAsync(200);
        var store = Store();
        var id = await StartedAsync(store);
        var claimed = new System.Collections.Concurrent.ConcurrentBag<ChatKey>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            while (true)
            {
                var claim = await store.ClaimAsync(id, "w" + w, default);
                if (claim.Kind == ClaimKind.Done)
                {
                    return;
                }

                if (claim.Kind == ClaimKind.Claimed)
                {
                    claimed.Add(claim.Recipient!.Value);
                    await store.CompleteAsync(id, claim.Recipient.Value, RecipientOutcome.Sent, default);
                }
            }
        }));

        Assert.Equal(200, claimed.Count);
        Assert.Equal(200, claimed.Distinct().Count());
    }

    [SkippableFact]
    public async Task A_recipient_whose_lease_ran_out_is_unknown_and_never_claimed_again()
    {
        SkipUnlessAvailable();
        await SeedAsync(1);
        var store = Store(leaseSeconds: 1);
        var id = await StartedAsync(store);
        var claim = await store.ClaimAsync(id, "dead-instance", default);
        Assert.Equal(ClaimKind.Claimed, claim.Kind);

        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        var next = await store.ClaimAsync(id, "live-instance", default);
        var outcomes = await store.OutcomesAsync(id, default);
        var job = await store.GetAsync(id, default);

        Assert.Equal(ClaimKind.Done, next.Kind);
        Assert.Equal("unknown", outcomes[claim.Recipient!.Value.ToString()]);
        Assert.Equal((BroadcastStatus.Completed, 1L), (job!.Status, job.Unknown));
    }

    [SkippableFact]
    public async Task The_audience_is_filtered_by_state_language_and_join_date_and_leaves_out_those_without_prompts()
    {
        SkipUnlessAvailable();
        var rajasthan = await SeedAsync(3, "RJ", "hi");
        var upEnglish = await SeedAsync(2, "UP", "en");
        var upNew = await SeedAsync(2, "UP", "hi", joined: Joined.AddDays(10));
        await SeedAsync(2, "RJ", "hi", optedIn: false);
        var store = Store();

        Assert.Equal(7, await store.CountAudienceAsync(new BroadcastAudience(), default));
        Assert.Equal(3, await store.CountAudienceAsync(new BroadcastAudience { States = ["RJ"] }, default));
        Assert.Equal(7, await store.CountAudienceAsync(new BroadcastAudience { States = ["RJ", "UP"] }, default));
        Assert.Equal(5, await store.CountAudienceAsync(new BroadcastAudience { Languages = ["hi"] }, default));
        Assert.Equal(2, await store.CountAudienceAsync(new BroadcastAudience { States = ["UP"], Languages = ["hi"] }, default));
        Assert.Equal(2, await store.CountAudienceAsync(new BroadcastAudience { JoinedSince = Joined.AddDays(5) }, default));
        Assert.NotEmpty(rajasthan.Concat(upEnglish).Concat(upNew));
    }

    [SkippableFact]
    public async Task Claims_are_paced_by_one_shared_rate()
    {
        SkipUnlessAvailable();
        await SeedAsync(11);
        var store = Store(perSecond: 100);
        var id = await StartedAsync(store);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var slots = new List<double>();

        for (var i = 0; i < 11; i++)
        {
            var claim = await store.ClaimAsync(id, "test", default);
            Assert.Equal(ClaimKind.Claimed, claim.Kind);
            slots.Add(clock.Elapsed.TotalMilliseconds + claim.Wait.TotalMilliseconds);
        }

        // The eleventh claim's slot is ten intervals (10 ms at 100/s) after the first one's, which is not before the clock
        // started; 2 ms of slack for rounding to whole milliseconds.
        Assert.True(slots[^1] >= 98, string.Join(", ", slots.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture))));
    }

    [SkippableFact]
    public async Task A_429_pause_holds_every_claim()
    {
        SkipUnlessAvailable();
        await SeedAsync(2);
        var store = Store();
        var id = await StartedAsync(store);

        await store.PauseAllAsync(TimeSpan.FromSeconds(5), default);
        var claim = await store.ClaimAsync(id, "test", default);

        Assert.Equal(ClaimKind.Wait, claim.Kind);
        Assert.InRange(claim.Wait.TotalSeconds, 4, 5);
    }

    [SkippableFact]
    public async Task Creating_the_same_id_twice_makes_one_job_and_cancel_stops_claims()
    {
        SkipUnlessAvailable();
        await SeedAsync(3);
        var store = Store();
        var id = "daily-" + Guid.NewGuid().ToString("N")[..8];

        Assert.True(await store.CreateAsync(id, Message(), DateTimeOffset.UtcNow, default));
        Assert.False(await store.CreateAsync(id, Message(), DateTimeOffset.UtcNow, default));
        await store.StartAsync(id, default);
        await store.StartAsync(id, default);
        Assert.True(await store.CancelAsync(id, default));

        Assert.Equal(ClaimKind.Done, (await store.ClaimAsync(id, "test", default)).Kind);
        Assert.Equal((BroadcastStatus.Cancelled, 3L), ((await store.GetAsync(id, default))!.Status, (await store.GetAsync(id, default))!.Total));
        Assert.False(await store.CancelAsync(id, default));
    }

    [SkippableFact]
    public async Task Transient_failures_are_retried_until_max_attempts_then_failed()
    {
        SkipUnlessAvailable();
        await SeedAsync(1);
        var store = Store();
        var id = await StartedAsync(store);

        for (var attempt = 0; attempt < 3;)
        {
            var claim = await store.ClaimAsync(id, "test", default);
            if (claim.Kind != ClaimKind.Claimed)
            {
                // One message a second per chat holds the retry back.
                Assert.Equal(ClaimKind.Idle, claim.Kind);
                await Task.Delay(claim.Wait);
                continue;
            }

            Assert.Equal(attempt, claim.Attempt);
            await store.RetryAsync(id, claim.Recipient!.Value, TimeSpan.Zero, 3, default);
            attempt++;
        }

        var job = await store.GetAsync(id, default);
        Assert.Equal((1L, 0L), (job!.Failed, job.Remaining));
    }
}

public sealed class BroadcastStoreOnRedisServerTests(RedisServerFixture server) : BroadcastStoreContractTests(server), IClassFixture<RedisServerFixture>;

public sealed class BroadcastStoreOnGarnetTests(GarnetFixture server) : BroadcastStoreContractTests(server), IClassFixture<GarnetFixture>;
