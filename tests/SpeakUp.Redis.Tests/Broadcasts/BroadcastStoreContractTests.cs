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

    private RedisBroadcastStore Store(double perSecond = 1000, int leaseSeconds = 60, int maxAttempts = 4) =>
        new(server.Connection, keys, Options.Create(new BroadcastOptions { MaxPerSecond = perSecond, PacingFactor = 1, LeaseSeconds = leaseSeconds, MaxAttempts = maxAttempts, AllowAnyRate = true }));

    private static Task<ClaimResult> ClaimAsync(RedisBroadcastStore store, string id, int max = 1, RecipientResults? previous = null, string instance = "test") =>
        store.ClaimAsync(id, instance, max, TimeSpan.FromMilliseconds(50), previous, default);

    private static RecipientResults Results(string id, ClaimResult claim, Func<ChatKey, RecipientOutcome> outcome, TimeSpan delay = default) =>
        new(id, claim.Token, [.. claim.Recipients!.Select(r => new RecipientResult(r.Chat, outcome(r.Chat), delay))]);

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
    public async Task Concurrent_interactive_debits_take_one_slot_each_in_fewer_round_trips()
    {
        SkipUnlessAvailable();
        var store = Store(perSecond: 10);
        var chats = Enumerable.Range(0, 60).Select(i => new ChatKey("tg", (880_000 + i).ToString(CultureInfo.InvariantCulture))).ToArray();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var profiling = new StackExchange.Redis.Profiling.ProfilingSession();
        server.Connection.RegisterProfiler(() => profiling);
        try
        {
            await Task.WhenAll(chats.Select(c => store.DebitInteractiveAsync(c, default)));
        }
        finally
        {
            server.Connection.RegisterProfiler(() => null);
        }

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // 60 sends at 10/s: the shared rate is booked six seconds ahead, every chat is in the one-second window, and the
        // sends went in groups, not one script each.
        var db = server.Connection.GetDatabase();
        var tat = double.Parse((string)(await db.StringGetAsync(keys.Prefix + "{supporters}:bc:tat"))!, CultureInfo.InvariantCulture);
        Assert.InRange(tat, before + 6000 - 50, after + 6000 + 50);
        var recent = await db.SortedSetRangeByRankAsync(keys.Prefix + "{supporters}:bc:recent");
        Assert.Equal(chats.Select(c => c.ToString()).Order(), recent.Select(r => r.ToString()).Order());
        var scripts = profiling.FinishProfiling().Count(c => c.Command is "EVALSHA" or "EVAL");
        Assert.InRange(scripts, 1, 30);
        Assert.InRange((double)(await db.KeyTimeToLiveAsync(keys.Prefix + "{supporters}:bc:recent"))!.Value.TotalMilliseconds, 1, 2000);
    }

    [SkippableFact]
    public async Task Every_recipient_is_claimed_once_and_the_job_completes_with_its_counts()
    {
        SkipUnlessAvailable();
        var chats = await SeedAsync(25);
        var store = Store();
        var id = await StartedAsync(store);
        var claimed = new List<ChatKey>();
        RecipientResults? previous = null;

        // Each claim records the outcomes of the one before: one round trip per batch.
        while (true)
        {
            var claim = await ClaimAsync(store, id, max: 4, previous);
            previous = null;
            if (claim.Kind == ClaimKind.Done)
            {
                break;
            }

            if (claim.Kind == ClaimKind.Claimed)
            {
                claimed.AddRange(claim.Recipients!.Select(r => r.Chat));
                previous = Results(id, claim, chat => Array.IndexOf(chats, chat) % 5 == 0 ? RecipientOutcome.Unreachable : RecipientOutcome.Sent);
            }
        }

        var job = await store.GetAsync(id, default);
        Assert.Equal(chats.Select(c => c.ToString()).Order(), claimed.Select(c => c.ToString()).Order());
        Assert.Equal((BroadcastStatus.Completed, 25L, 20L, 5L, 0L, 0L), (job!.Status, job.Total, job.Sent, job.Unreachable, job.InFlight, job.Remaining));
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
            RecipientResults? previous = null;
            while (true)
            {
                var claim = await ClaimAsync(store, id, max: 4, previous, instance: "w" + w);
                previous = null;
                if (claim.Kind == ClaimKind.Done)
                {
                    return;
                }

                if (claim.Kind == ClaimKind.Claimed)
                {
                    foreach (var r in claim.Recipients!)
                    {
                        claimed.Add(r.Chat);
                    }

                    previous = Results(id, claim, _ => RecipientOutcome.Sent);
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
        var claim = await ClaimAsync(store, id, instance: "dead-instance");
        Assert.Equal(ClaimKind.Claimed, claim.Kind);

        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        var next = await ClaimAsync(store, id, instance: "live-instance");
        var outcomes = await store.OutcomesAsync(id, default);
        var job = await store.GetAsync(id, default);

        Assert.Equal(ClaimKind.Done, next.Kind);
        Assert.Equal("unknown", outcomes[claim.Recipients![0].Chat.ToString()]);
        Assert.Equal((BroadcastStatus.Completed, 1L), (job!.Status, job.Unknown));
    }

    [SkippableFact]
    public async Task A_late_outcome_from_the_claim_that_held_an_expired_recipient_replaces_unknown()
    {
        SkipUnlessAvailable();
        await SeedAsync(1);
        var store = Store(leaseSeconds: 1);
        var id = await StartedAsync(store);
        var claim = await ClaimAsync(store, id, instance: "slow-instance");
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        Assert.Equal(ClaimKind.Done, (await ClaimAsync(store, id, instance: "live-instance")).Kind);

        await store.RecordAsync(Results(id, claim, _ => RecipientOutcome.Sent), default);
        var job = await store.GetAsync(id, default);

        Assert.Equal("sent", (await store.OutcomesAsync(id, default))[claim.Recipients![0].Chat.ToString()]);
        Assert.Equal((1L, 0L), (job!.Sent, job.Unknown));
    }

    [SkippableFact]
    public async Task Outcomes_count_once_and_only_with_the_token_of_the_claim_holding_the_recipient()
    {
        SkipUnlessAvailable();
        await SeedAsync(2);
        var store = Store();
        var id = await StartedAsync(store);
        var claim = await ClaimAsync(store, id, max: 2);
        Assert.Equal(2, claim.Recipients!.Count);

        // A retry of a lost reply records the same outcomes again; a stale or forged token records nothing.
        await store.RecordAsync(Results(id, claim, _ => RecipientOutcome.Sent), default);
        await store.RecordAsync(Results(id, claim, _ => RecipientOutcome.Sent), default);
        await store.RecordAsync(Results(id, claim with { Token = "other-instance/1" }, _ => RecipientOutcome.Failed), default);
        var job = await store.GetAsync(id, default);

        Assert.Equal((2L, 0L, 0L), (job!.Sent, job.Failed, job.InFlight));
    }

    [SkippableFact]
    public async Task A_recipient_put_back_is_due_again_without_counting_an_attempt()
    {
        SkipUnlessAvailable();
        await SeedAsync(1);
        var store = Store(maxAttempts: 1);
        var id = await StartedAsync(store);
        var first = await ClaimAsync(store, id);

        // A 429 or a slot given up: nothing was sent, so even with one attempt allowed it goes out later.
        var second = await ClaimAsync(store, id, previous: Results(id, first, _ => RecipientOutcome.PutBack));
        while (second.Kind == ClaimKind.Idle)
        {
            // One message a second per chat holds it back for its slot's second.
            await Task.Delay(second.Wait);
            second = await ClaimAsync(store, id);
        }

        Assert.Equal(ClaimKind.Claimed, second.Kind);
        Assert.Equal((first.Recipients![0].Chat, 0), (second.Recipients![0].Chat, second.Recipients[0].Attempt));
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
            var claim = await ClaimAsync(store, id);
            Assert.Equal(ClaimKind.Claimed, claim.Kind);
            slots.Add(clock.Elapsed.TotalMilliseconds + claim.Recipients![0].Slot.TotalMilliseconds);
        }

        // The eleventh claim's slot is ten intervals (10 ms at 100/s) after the first one's, which is not before the clock
        // started; 2 ms of slack for rounding to whole milliseconds.
        Assert.True(slots[^1] >= 98, string.Join(", ", slots.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture))));
    }

    [SkippableFact]
    public async Task A_batch_takes_evenly_spaced_slots_and_only_those_due_within_the_horizon()
    {
        SkipUnlessAvailable();
        await SeedAsync(20);
        var store = Store(perSecond: 100);
        var id = await StartedAsync(store);

        var claim = await ClaimAsync(store, id, max: 20);

        // 10 ms apart: 0, 10 … 50 ms fall within the 50 ms horizon, 60 ms does not.
        var gaps = claim.Recipients!.Zip(claim.Recipients!.Skip(1), (a, b) => (b.Slot - a.Slot).TotalMilliseconds).ToList();
        Assert.Equal(6, claim.Recipients!.Count);
        Assert.All(gaps, g => Assert.InRange(g, 9.99, 10.01));
    }

    [SkippableFact]
    public async Task A_claim_says_when_another_instance_holds_slots_of_the_rate()
    {
        SkipUnlessAvailable();
        await SeedAsync(3);
        var store = Store(perSecond: 100);
        var id = await StartedAsync(store);

        var alone = await ClaimAsync(store, id, instance: "a");
        var second = await ClaimAsync(store, id, instance: "b");
        var again = await ClaimAsync(store, id, instance: "a");

        // Shared, a slot that wakes up late is given up: its lateness could bunch it with the other's sends.
        Assert.Equal((false, true, true), (alone.Shared, second.Shared, again.Shared));
    }

    [SkippableFact]
    public async Task A_429_pause_holds_every_claim()
    {
        SkipUnlessAvailable();
        await SeedAsync(2);
        var store = Store();
        var id = await StartedAsync(store);

        await store.PauseAllAsync(TimeSpan.FromSeconds(5), default);
        var claim = await ClaimAsync(store, id);

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

        Assert.Equal(ClaimKind.Done, (await ClaimAsync(store, id)).Kind);
        Assert.Equal((BroadcastStatus.Cancelled, 3L), ((await store.GetAsync(id, default))!.Status, (await store.GetAsync(id, default))!.Total));
        Assert.False(await store.CancelAsync(id, default));
    }

    [SkippableFact]
    public async Task Transient_failures_are_retried_until_max_attempts_then_failed()
    {
        SkipUnlessAvailable();
        await SeedAsync(1);
        var store = Store(maxAttempts: 3);
        var id = await StartedAsync(store);

        for (var attempt = 0; attempt < 3;)
        {
            var claim = await ClaimAsync(store, id);
            if (claim.Kind != ClaimKind.Claimed)
            {
                // One message a second per chat holds the retry back.
                Assert.Equal(ClaimKind.Idle, claim.Kind);
                await Task.Delay(claim.Wait);
                continue;
            }

            Assert.Equal(attempt, claim.Recipients![0].Attempt);
            await store.RecordAsync(Results(id, claim, _ => RecipientOutcome.Retry), default);
            attempt++;
        }

        var job = await store.GetAsync(id, default);
        Assert.Equal((1L, 0L), (job!.Failed, job.Remaining));
    }
}

public sealed class BroadcastStoreOnRedisServerTests(RedisServerFixture server) : BroadcastStoreContractTests(server), IClassFixture<RedisServerFixture>;

public sealed class BroadcastStoreOnGarnetTests(GarnetFixture server) : BroadcastStoreContractTests(server), IClassFixture<GarnetFixture>;
