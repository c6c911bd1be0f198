using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Messaging;
using SpeakUp.Redis;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

/// <summary>
/// The real update inbox the polling service uses, as the host wires it (<c>AddRedisStorage</c>), on a test server under
/// a key prefix of its own, seen from the test: what is pending for the fake bot.
/// </summary>
internal sealed class PollingInbox(IServiceProvider services, FakeTelegramServer server)
{
    /// <summary>Redis storage on <paramref name="connectionString"/> with a new key prefix.</summary>
    public static IServiceCollection Services(string connectionString) =>
        new ServiceCollection().AddLogging().AddRedisStorage(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = connectionString,
            ["Redis:KeyPrefix"] = RedisTestServer.NewKeyPrefix(),
        }).Build());

    public IUpdateInbox Inbox => services.GetRequiredService<IUpdateInbox>();

    /// <summary>The stream the polling service writes for the fake's bot.</summary>
    public string Source => "tg:" + server.BotId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task<IReadOnlyList<InboxUpdate>> PendingAsync() => Inbox.PendingAsync(Source, default);

    /// <summary>
    /// Waits until the inbox holds exactly <paramref name="ids"/> (none: every update was handled and removed). Removal
    /// follows the handler's end inside the service, with nothing outside to signal it, so this reads the inbox (every
    /// 20 ms, bounded) the way the host's own tests read a broadcast's status.
    /// </summary>
    public async Task WaitUntilPendingAsync(params long[] ids)
    {
        var limit = TimeSpan.FromSeconds(15);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var pending = await PendingAsync();
            if (pending.Select(u => u.Id).SequenceEqual(ids))
            {
                return;
            }

            Assert.True(watch.Elapsed < limit, $"the inbox holds [{string.Join(", ", pending.Select(u => u.Id))}], not [{string.Join(", ", ids)}], after {limit}");
            await Task.Delay(20);
        }
    }

    public Task WaitUntilEmptyAsync() => WaitUntilPendingAsync();
}
