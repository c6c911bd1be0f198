using System.Globalization;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis.Broadcasts;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests.Broadcasts;

/// <summary>The per-campaign supporter index and the "campaign joined" audience filter, on both backends.</summary>
public abstract class CampaignAudienceContractTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Joined = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private IDatabase Db => server.Connection.GetDatabase();

    private RedisSupporterDirectory Directory => new(server.Connection, keys);

    private RedisBroadcastStore Store() =>
        new(server.Connection, keys, Options.Create(new BroadcastOptions { MaxPerSecond = 1000, PacingFactor = 1, AllowAnyRate = true }));

    private static SupporterSnapshot Supporter(string state = "RJ", string language = "hi", bool optedIn = true, DateTimeOffset? joined = null, params string[] campaigns) =>
        new(new ChatKey("tg", Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture)), true, optedIn, state, language, false, joined ?? Joined, null, new CampaignIds(campaigns));

    private async Task<SupporterSnapshot[]> SeedAsync(int count, string state, string[] campaigns, bool optedIn = true, DateTimeOffset? joined = null)
    {
        var seeded = Enumerable.Range(0, count).Select(_ => Supporter(state, optedIn: optedIn, joined: joined, campaigns: campaigns)).ToArray();
        foreach (var s in seeded)
        {
            await Directory.ApplyAsync(null, s, default);
        }

        return seeded;
    }

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    [SkippableFact]
    public async Task Joining_indexes_the_supporter_in_each_campaign_they_joined()
    {
        SkipUnlessAvailable();
        var supporter = Supporter(campaigns: ["farmers-2026-11", "jobs-2026-12"]);

        await Directory.ApplyAsync(null, supporter, default);

        Assert.True(await Db.SetContainsAsync(keys.SupportersInCampaign("farmers-2026-11"), RedisKeys.Member(supporter.Chat)));
        Assert.True(await Db.SetContainsAsync(keys.SupportersInCampaign("jobs-2026-12"), RedisKeys.Member(supporter.Chat)));
    }

    [SkippableFact]
    public async Task Joining_another_campaign_adds_that_index_and_keeps_the_first()
    {
        SkipUnlessAvailable();
        var before = Supporter(campaigns: ["farmers-2026-11"]);
        var after = before with { Campaigns = new CampaignIds(["farmers-2026-11", "jobs-2026-12"]) };
        await Directory.ApplyAsync(null, before, default);

        await Directory.ApplyAsync(before, after, default);

        Assert.Equal(1, await Db.SetLengthAsync(keys.SupportersInCampaign("farmers-2026-11")));
        Assert.Equal(1, await Db.SetLengthAsync(keys.SupportersInCampaign("jobs-2026-12")));
    }

    [SkippableFact]
    public async Task Forgetting_removes_the_supporter_from_every_campaign_index()
    {
        SkipUnlessAvailable();
        var supporter = Supporter(campaigns: ["farmers-2026-11", "jobs-2026-12"]);
        await Directory.ApplyAsync(null, supporter, default);

        await Directory.ApplyAsync(supporter, null, default);

        Assert.False(await Db.KeyExistsAsync(keys.SupportersInCampaign("farmers-2026-11")));
        Assert.False(await Db.KeyExistsAsync(keys.SupportersInCampaign("jobs-2026-12")));
    }

    [SkippableFact]
    public async Task The_campaign_filter_counts_only_opted_in_supporters_who_joined_that_campaign()
    {
        SkipUnlessAvailable();
        await SeedAsync(3, "RJ", ["farmers-2026-11"]);
        await SeedAsync(2, "UP", ["farmers-2026-11", "jobs-2026-12"]);
        await SeedAsync(4, "UP", ["jobs-2026-12"]);
        await SeedAsync(2, "RJ", ["farmers-2026-11"], optedIn: false);
        await SeedAsync(1, "RJ", []);
        var store = Store();

        Assert.Equal(5, await store.CountAudienceAsync(new BroadcastAudience { Campaigns = ["farmers-2026-11"] }, default));
        Assert.Equal(6, await store.CountAudienceAsync(new BroadcastAudience { Campaigns = ["jobs-2026-12"] }, default));
        Assert.Equal(9, await store.CountAudienceAsync(new BroadcastAudience { Campaigns = ["farmers-2026-11", "jobs-2026-12"] }, default));
        Assert.Equal(0, await store.CountAudienceAsync(new BroadcastAudience { Campaigns = ["democracy-2026-12"] }, default));
    }

    [SkippableFact]
    public async Task The_campaign_filter_combines_with_states_and_join_date()
    {
        SkipUnlessAvailable();
        await SeedAsync(3, "RJ", ["farmers-2026-11"]);
        await SeedAsync(2, "UP", ["farmers-2026-11"]);
        await SeedAsync(4, "RJ", ["jobs-2026-12"]);
        await SeedAsync(1, "RJ", ["farmers-2026-11"], joined: Joined.AddDays(10));
        var store = Store();

        Assert.Equal(4, await store.CountAudienceAsync(new BroadcastAudience { Campaigns = ["farmers-2026-11"], States = ["RJ"] }, default));
        Assert.Equal(1, await store.CountAudienceAsync(new BroadcastAudience { Campaigns = ["farmers-2026-11"], JoinedSince = Joined.AddDays(5) }, default));
        Assert.Equal(8, await store.CountAudienceAsync(new BroadcastAudience { Campaigns = ["farmers-2026-11", "jobs-2026-12"], States = ["RJ"] }, default));
    }

    [SkippableFact]
    public async Task A_job_for_a_campaign_snapshots_exactly_that_campaigns_supporters()
    {
        SkipUnlessAvailable();
        var farmers = await SeedAsync(3, "RJ", ["farmers-2026-11"]);
        var both = await SeedAsync(2, "UP", ["farmers-2026-11", "jobs-2026-12"]);
        await SeedAsync(4, "UP", ["jobs-2026-12"]);
        var store = Store();
        var id = "t" + Guid.NewGuid().ToString("N")[..10];
        var definition = new BroadcastDefinition { Content = new BroadcastContent { Text = "hi" }, Audience = new BroadcastAudience { Campaigns = ["farmers-2026-11"] } };
        Assert.True(await store.CreateAsync(id, definition, DateTimeOffset.UtcNow, default));

        await store.StartAsync(id, default);
        var pending = await Db.SortedSetRangeByRankAsync($"{keys.Prefix}{{supporters}}:bc:{id}:pending");

        Assert.Equal(farmers.Concat(both).Select(s => s.Chat.ToString()).Order(StringComparer.Ordinal), pending.Select(p => p.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(5, (await store.GetAsync(id, default))!.Total);
    }
}

public sealed class CampaignAudienceOnRedisServerTests(RedisServerFixture server) : CampaignAudienceContractTests(server), IClassFixture<RedisServerFixture>;

public sealed class CampaignAudienceOnGarnetTests(GarnetFixture server) : CampaignAudienceContractTests(server), IClassFixture<GarnetFixture>;
