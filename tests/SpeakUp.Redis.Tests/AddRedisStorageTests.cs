using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests;

/// <summary>What <see cref="RedisServiceCollectionExtensions.AddRedisStorage"/> wires up, end to end against real servers.</summary>
public sealed class AddRedisStorageTests
{
    [Fact]
    public async Task Empty_connection_string_runs_embedded_garnet_that_checkpoints_when_the_provider_is_disposed()
    {
        var dataDirectory = GarnetFixture.NewDataDirectory();
        try
        {
            var chat = new ChatKey("tg", "42");
            await using (var provider = RedisOptionsTests.Provider(new() { ["Redis:EmbeddedDataDir"] = dataDirectory, ["Redis:EmbeddedMemory"] = GarnetFixture.TestMemory }))
            {
                var sessions = provider.GetRequiredService<ISessionStore>();
                Assert.True(await sessions.TrySaveAsync(Session.New(chat, DateTimeOffset.UnixEpoch), null, default));
                Assert.True(await provider.GetRequiredService<IRedisHealth>().PingAsync(default));
                Assert.Equal(new SupporterCounts(0, 0, 0), await provider.GetRequiredService<ISupporterDirectory>().CountAsync(default));
            }

            Assert.True(Directory.Exists(Path.Combine(dataDirectory, "checkpoints", "Store")), "disposing the provider took no checkpoint");
            await using (var provider = RedisOptionsTests.Provider(new() { ["Redis:EmbeddedDataDir"] = dataDirectory, ["Redis:EmbeddedMemory"] = GarnetFixture.TestMemory }))
            {
                Assert.NotNull(await provider.GetRequiredService<ISessionStore>().LoadAsync(chat, default));
            }
        }
        finally
        {
            GarnetFixture.DeleteDataDirectory(dataDirectory);
        }
    }

    [Fact]
    public async Task Health_is_down_not_throwing_when_redis_is_unreachable()
    {
        await using var provider = RedisOptionsTests.Provider(new() { ["Redis:ConnectionString"] = "127.0.0.1:1,connectTimeout=200,asyncTimeout=200,syncTimeout=200" });

        Assert.False(await provider.GetRequiredService<IRedisHealth>().PingAsync(default));
    }

    [Fact]
    public async Task Store_reports_an_unreachable_redis_as_storage_unavailable()
    {
        await using var provider = RedisOptionsTests.Provider(new() { ["Redis:ConnectionString"] = "127.0.0.1:1,connectTimeout=200,asyncTimeout=200,syncTimeout=200" });
        var sessions = provider.GetRequiredService<ISessionStore>();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => sessions.LoadAsync(new ChatKey("tg", "1"), default));
    }

    [SkippableFact]
    public async Task Store_is_unavailable_while_redis_is_down_and_works_again_after_it_restarts()
    {
        using var redis = new RedisServerFixture();
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var provider = RedisOptionsTests.Provider(new() { ["Redis:ConnectionString"] = redis.ConnectionString + ",connectTimeout=500,asyncTimeout=500,syncTimeout=500" });
        var sessions = provider.GetRequiredService<ISessionStore>();
        var multiplexer = provider.GetRequiredService<IConnectionMultiplexer>();
        Assert.True(await sessions.TrySaveAsync(Session.New(new ChatKey("tg", "1"), DateTimeOffset.UnixEpoch), null, default));
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                restored.TrySetResult();
            }
        };

        redis.Kill();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => sessions.LoadAsync(new ChatKey("tg", "1"), default));
        Assert.False(await provider.GetRequiredService<IRedisHealth>().PingAsync(default));
        redis.StartAgain();
        await restored.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await sessions.TrySaveAsync(Session.New(new ChatKey("tg", "2"), DateTimeOffset.UnixEpoch), null, default));
        Assert.True(await provider.GetRequiredService<IRedisHealth>().PingAsync(default));
    }
}
