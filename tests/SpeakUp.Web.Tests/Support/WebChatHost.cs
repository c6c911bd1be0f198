using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpeakUp.Core;
using SpeakUp.Redis;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Web.Tests.Support;

/// <summary>
/// A real host with the core, the Redis storage and the web channel, on 127.0.0.1 and a free port: what BotHost runs,
/// minus Telegram. Each host has its own key prefix and upload folder, so tests on one Redis server run in parallel.
/// </summary>
internal sealed class WebChatHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebChatHost(WebApplication app, string directory, LogRecorder logs)
    {
        this.app = app;
        Directory = directory;
        Logs = logs;
        BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    public Uri BaseUrl { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>The content root: uploads land under data/uploads here.</summary>
    public string Directory { get; }

    public LogRecorder Logs { get; }

    public static async Task<WebChatHost> StartAsync(RedisTestServer redis, IDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var directory = Path.Combine(Path.GetTempPath(), "speakup-web-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var configuration = new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["Redis:KeyPrefix"] = RedisTestServer.NewKeyPrefix(),
            ["Bot:DefaultLanguage"] = "hi",
            ["Campaigns:File"] = "config/campaigns.yaml",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory, EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new LogRecorder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(ShiftedTimeProvider.CampaignDay));
        builder.Services
            .AddSpeakUpCore(builder.Configuration, RepoPaths.Root)
            .AddRedisStorage(builder.Configuration)
            .AddWebChannel(builder.Configuration);

        var app = builder.Build();
        app.MapWebChat();
        await app.StartAsync();
        return new WebChatHost(app, directory, logs);
    }

    public WebChatClient NewClient() => new(BaseUrl);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Keeps every log line of a host, for tests that check what was logged.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    private readonly List<(string Category, LogLevel Level, EventId Event, string Message)> lines = [];

    public IReadOnlyList<(string Category, LogLevel Level, EventId Event, string Message)> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.lines)
            {
                owner.lines.Add((category, logLevel, eventId, formatter(state, exception)));
            }
        }
    }
}
