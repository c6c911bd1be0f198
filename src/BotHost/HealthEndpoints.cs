using Microsoft.Extensions.Options;
using SpeakUp.Redis;
using SpeakUp.Telegram;

namespace SpeakUp.BotHost;

internal static class HealthEndpoints
{
    /// <summary>/healthz: the process is alive. /readyz: Redis answers; says whether Telegram is configured.</summary>
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (IRedisHealth redis, IOptions<TelegramOptions> telegram, CancellationToken ct) =>
        {
            var redisUp = await redis.PingAsync(ct);
            var body = new ReadyReport(redisUp ? "up" : "down", telegram.Value.Enabled ? telegram.Value.Mode.ToString().ToLowerInvariant() : "off");
            return redisUp ? Results.Json(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }

    internal sealed record ReadyReport(string Redis, string Telegram);
}
