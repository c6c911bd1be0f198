using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Sessions;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>Registers the Redis storage layer.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers storage: <see cref="RedisOptions"/> (validated at start), one shared <see cref="IConnectionMultiplexer"/>,
    /// <see cref="ISessionStore"/>, <see cref="ISupporterDirectory"/>, the update inbox and <see cref="IRedisHealth"/>.
    /// With an empty Redis:ConnectionString an <see cref="EmbeddedGarnet"/> is started first and reached over TCP like any
    /// Redis, so both setups run the same code; it is checkpointed and stopped when the service provider is disposed.
    /// </summary>
    public static IServiceCollection AddRedisStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();

        services.AddSingleton<RedisServer>();
        services.AddSingleton<IConnectionMultiplexer>(sp => sp.GetRequiredService<RedisServer>().Connect());
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.AddSingleton<ISessionStore, RedisSessionStore>();
        services.AddSingleton<RedisSupporterDirectory>();
        services.AddSingleton<ISupporterDirectory>(sp => sp.GetRequiredService<RedisSupporterDirectory>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<SupporterIndexRepair>();
        services.AddSingleton<IRedisHealth, RedisHealth>();
        services.AddSingleton<SpeakUp.Core.Staff.IAuditLog, RedisAuditLog>();
        services.AddSingleton<SpeakUp.Core.Messaging.IUpdateInbox, RedisUpdateInbox>();

        // Garnet logs some forty lines of sizing details at Information on every start. Keep its warnings; this rule goes
        // first, so a Logging:LogLevel:Garnet setting (added later, equally specific) still wins.
        services.Configure<LoggerFilterOptions>(filters => filters.Rules.Insert(0, new LoggerFilterRule(null, "Garnet", LogLevel.Warning, null)));

        // Connect (and start the embedded server) while the host starts, not on the first message.
        services.AddHostedService<RedisWarmUp>();
        return services;
    }
}

/// <summary>
/// Owns the embedded Garnet when there is one. Disposed by the container after the multiplexer (it is created first),
/// so the clients are gone before the server checkpoints and stops.
/// </summary>
internal sealed class RedisServer(IOptions<RedisOptions> options, ILoggerFactory loggerFactory, IHostEnvironment? environment = null) : IDisposable
{
    private readonly ILogger logger = loggerFactory.CreateLogger<RedisServer>();
    private EmbeddedGarnet? garnet;

    public ConnectionMultiplexer Connect()
    {
        var settings = options.Value;
        ConfigurationOptions configuration;
        if (settings.UsesEmbeddedGarnet)
        {
            var root = environment?.ContentRootPath ?? Directory.GetCurrentDirectory();
            garnet = EmbeddedGarnet.Start(Path.Combine(root, settings.EmbeddedDataDir), settings.EmbeddedMemory, loggerFactory);
            configuration = ConfigurationOptions.Parse(garnet.ConnectionString);
        }
        else
        {
            configuration = ConfigurationOptions.Parse(settings.ConnectionString);
        }

        // Keep retrying in the background instead of failing: a Redis restart (or a slow start) is waited out.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "speakup";
        Log.Connecting(logger, configuration.ToString(includePassword: false));

        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        multiplexer.ConnectionFailed += (_, e) => Log.ConnectionFailed(logger, e.EndPoint?.ToString(), e.FailureType.ToString(), e.Exception);
        multiplexer.ConnectionRestored += (_, e) => Log.ConnectionRestored(logger, e.EndPoint?.ToString());
        return multiplexer;
    }

    public void Dispose() => garnet?.Dispose();
}

internal sealed class RedisWarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IConnectionMultiplexer>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
