using Microsoft.Extensions.Options;
using SpeakUp.Admin;
using SpeakUp.Core;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;
using SpeakUp.Redis;
using SpeakUp.Redis.Admin;
using SpeakUp.Charts;
using SpeakUp.Core.Admin;
using SpeakUp.Telegram;
using SpeakUp.Web;

namespace SpeakUp.BotHost;

/// <summary>Settings of the HTTP side (section "Http").</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    public string Urls { get; set; } = "http://127.0.0.1:8080";
}

/// <summary>A setting or file that stops the host, with a message meant for the operator.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The composition root. Tests and the benchmark build the same app with extra configuration.</summary>
public static class SpeakUpApp
{
    /// <summary>
    /// Builds the host. <paramref name="configure"/> lets tests add configuration (in-memory keys) last, before the
    /// services are registered; <paramref name="overrideServices"/> runs after every registration, to wrap one.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrideServices = null)
    {
        var root = FindConfigRoot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = root });

        // config/appsettings.json is the one settings file; environment variables (Section__Key), user-secrets and the
        // command line override it, in that order.
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddJsonFile(Path.Combine(root, "config", "appsettings.json"), optional: false, reloadOnChange: false)
            .AddJsonFile(Path.Combine(root, "config", $"appsettings.{builder.Environment.EnvironmentName}.json"), optional: true, reloadOnChange: false)
            .AddUserSecrets(typeof(SpeakUpApp).Assembly, optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        configure?.Invoke(builder);

        var http = builder.Configuration.GetSection(HttpOptions.Section).Get<HttpOptions>() ?? new HttpOptions();
        builder.WebHost.UseUrls(http.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services
            .AddSpeakUpCore(builder.Configuration, root)
            .AddRedisStorage(builder.Configuration)
            .AddTelegramChannel(builder.Configuration)
            .AddWebChannel(builder.Configuration)
            .AddAdminApi(builder.Configuration)
            .AddRedisAdmin()
            .AddSpeakUpAdmin()
            .AddSpeakUpCharts(builder.Configuration);

        SpeakUp.Redis.Submissions.RedisSubmissionServiceCollectionExtensions.AddRedisSubmissions(builder.Services, builder.Configuration);
        SpeakUp.Redis.Broadcasts.BroadcastServiceCollectionExtensions.AddBroadcasts(builder.Services, builder.Configuration);
        overrideServices?.Invoke(builder.Services);
        var app = builder.Build();
        ValidateAtStart(app.Services);
        app.MapHealth();
        app.MapTelegramWebhook();
        app.MapWebChat();
        var admin = app.MapAdminApi();
        admin.MapBroadcastEndpoints();
        admin.MapExportEndpoints();
        admin.MapGet("/audit", async (SpeakUp.Core.Staff.IAuditLog audit, int? count, CancellationToken ct) => Results.Json(await audit.RecentAsync(Math.Clamp(count ?? 100, 1, 1000), ct)));
        return app;
    }

    /// <summary>
    /// Resolves options and files that must be right before anything starts, turning their errors into one line that
    /// names the key or file. (ValidateOnStart would also catch options, but only once the host runs, wrapped in an aggregate.)
    /// </summary>
    private static void ValidateAtStart(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<BotOptions>>().Value;
            _ = services.GetRequiredService<IOptions<RedisOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TelegramOptions>>().Value;
            _ = services.GetRequiredService<IOptions<WebChatOptions>>().Value;
            _ = services.GetRequiredService<IOptions<AdminApiOptions>>().Value;
            _ = services.GetRequiredService<ILocalizer>();
            _ = services.GetRequiredService<ICampaignCalendar>();
        }
        catch (OptionsValidationException ex)
        {
            throw new StartupException(string.Join("; ", ex.Failures), ex);
        }
        catch (Exception ex) when (ex is CampaignFileException or LocalizationException)
        {
            throw new StartupException(ex.Message, ex);
        }
    }

    /// <summary>
    /// The folder that holds config/: the current directory when run from the repo (dotnet run), else the app's own
    /// folder (published, Docker), where the build copies config/.
    /// </summary>
    private static string FindConfigRoot()
    {
        foreach (var candidate in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            if (File.Exists(Path.Combine(candidate, "config", "appsettings.json")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new StartupException($"config/appsettings.json was found neither in {Directory.GetCurrentDirectory()} nor in {AppContext.BaseDirectory}.");
    }
}
