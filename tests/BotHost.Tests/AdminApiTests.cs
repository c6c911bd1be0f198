using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Staff;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests;

[Collection(OnGarnet.Name)]
public sealed class AdminApiTests(GarnetFixture redis)
{
    private const string Key = "k3y-for-tests-0123456789abcdefghijklmnop";

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer wrong", HttpStatusCode.Unauthorized)]
    [InlineData("Basic " + Key, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer " + Key, HttpStatusCode.OK)]
    public async Task The_admin_api_needs_the_bearer_key(string? authorization, HttpStatusCode expected)
    {
        await using var host = await BotHostHarness.StartAsync(redis, s => s["Admin:ApiKey"] = Key);
        await host.App.Services.GetRequiredService<IAuditLog>().RecordAsync(new AuditEntry(DateTimeOffset.UnixEpoch, "tg", "1", "test.action", "item-1"), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/audit");
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Contains("\"action\":\"test.action\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Without_a_key_the_admin_api_does_not_exist()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/audit");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void A_short_key_stops_the_host()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["Redis:KeyPrefix"] = RedisTestServer.NewKeyPrefix(),
            ["Admin:ApiKey"] = "short",
        };

        var ex = Assert.ThrowsAny<Exception>(() => BotHostHarness.BuildApp(settings));

        Assert.Contains("Admin:ApiKey", ex.Message);
    }
}
