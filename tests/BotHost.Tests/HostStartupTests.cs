using System.Net;
using System.Net.Http.Json;
using SpeakUp.BotHost;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests;

/// <summary>Starting up: health, Telegram switched off, and settings that must stop the host with a clear line.</summary>
[Collection(OnGarnet.Name)]
public sealed class HostStartupTests(GarnetFixture redis)
{
    private static Dictionary<string, string?> Settings(GarnetFixture redis) => new()
    {
        ["Redis:ConnectionString"] = redis.ConnectionString,
        ["Redis:KeyPrefix"] = RedisTestServer.NewKeyPrefix(),
        ["Http:Urls"] = "http://127.0.0.1:0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    [Fact]
    public async Task Without_a_token_the_host_serves_health_and_reports_telegram_off()
    {
        await using var app = BotHostHarness.BuildApp(Settings(redis));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        using var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal("up", report!["redis"]);
        Assert.Equal("off", report["telegram"]);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("Bot:TimeZone", "Mars/Olympus", "Bot:TimeZone")]
    [InlineData("Bot:DefaultLanguage", "fr", "Bot:DefaultLanguage")]
    [InlineData("Bot:AdminIds:0", "meera", "Bot:AdminIds")]
    [InlineData("Telegram:Mode", "Webhook", "Telegram:Web")]
    [InlineData("Campaigns:File", "config/no-such-file.yaml", "no-such-file.yaml")]
    public void A_bad_setting_stops_the_host_naming_the_key(string key, string value, string named)
    {
        var settings = Settings(redis);
        settings["Telegram:BotToken"] = "123:abc";
        settings[key] = value;

        var ex = Assert.ThrowsAny<Exception>(() => BotHostHarness.BuildApp(settings));

        Assert.True(ex is StartupException or Microsoft.Extensions.Options.OptionsValidationException, ex.GetType().Name + ": " + ex.Message);
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public void A_broken_campaign_file_stops_the_host_with_file_and_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"campaigns-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "campaigns:\n  - id: x\n    hashtag: \"#SpeakUpForX\"\n    starts: 2026-13-01\n");
        try
        {
            var settings = Settings(redis);
            settings["Campaigns:File"] = file;

            var ex = Assert.Throws<StartupException>(() => BotHostHarness.BuildApp(settings));

            Assert.StartsWith(file + ":", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
