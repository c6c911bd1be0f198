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

    /// <summary>The inbox to give the polling service: the real one, observed, so tests wait on a signal.</summary>
    public ObservedUpdateInbox Inbox { get; } = new(services.GetRequiredService<IUpdateInbox>());

    /// <summary>The stream the polling service writes for the fake's bot.</summary>
    public string Source => "tg:" + server.BotId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What storage holds, read past the observer.</summary>
    public Task<IReadOnlyList<InboxUpdate>> PendingAsync() => Inbox.Inner.PendingAsync(Source, default);

    /// <summary>
    /// Waits until the service has put and removed so that exactly <paramref name="ids"/> are left (none: every update
    /// was handled and removed), on the observer's signal, and then checks that storage says the same.
    /// </summary>
    public async Task WaitUntilPendingAsync(params long[] ids)
    {
        await Inbox.WaitUntilAsync(pending => pending.SequenceEqual(ids), TimeSpan.FromSeconds(15));
        Assert.Equal(ids, (await PendingAsync()).Select(u => u.Id));
    }

    public Task WaitUntilEmptyAsync() => WaitUntilPendingAsync();
}
