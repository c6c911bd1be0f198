using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

public sealed class TelegramWebhookTests : IAsyncLifetime
{
    private const string Secret = "webhook_Secret-123";
    private FakeTelegramServer _server = null!;
    private WebApplication _app = null!;
    private readonly RecordingDispatcher _dispatcher = new();
    private readonly HttpClient _http = new();
    private Uri _webhook = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeTelegramServer.StartAsync();

        // The webhook URL is registered at start, so the port is chosen before the host binds it.
        var port = FreePort();
        _webhook = new Uri($"http://127.0.0.1:{port}/hooks/tg");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = _server.Token,
            ["Telegram:ApiBaseUrl"] = _server.BaseUrl.ToString(),
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookUrl"] = _webhook.ToString(),
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:WebhookMaxBodyBytes"] = "4096",
        });
        builder.Services.AddTelegramChannel(builder.Configuration);
        builder.Services.AddSingleton<IInboundDispatcher>(_dispatcher);
        builder.Services.AddSingleton<ILocalizer, FakeLocalizer>();
        _app = builder.Build();
        _app.MapTelegramWebhook();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<HttpStatusCode> PostAsync(string body, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _webhook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Right_secret_is_accepted_and_the_update_dispatched()
    {
        var status = await PostAsync(FakeUpdates.Text(201, "/start xyz", updateId: 9001).ToJsonString(), Secret);

        Assert.Equal(HttpStatusCode.OK, status);
        var e = Assert.Single(_dispatcher.Events);
        Assert.Equal(new ChatKey("tg", "201"), e.Chat);
        Assert.Equal(("start", "xyz", "9001"), (e.Command, e.Argument, e.DeliveryId));
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("webhook_Secret-12")]
    [InlineData("webhook_Secret-1234")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Missing_or_wrong_secret_is_refused_and_nothing_dispatched(string? secret)
    {
        var status = await PostAsync(FakeUpdates.Text(202, "hello", updateId: 9002).ToJsonString(), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(_dispatcher.Events);
    }

    [Fact]
    public async Task Body_that_is_not_json_is_a_bad_request()
    {
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("<html>", Secret));
        Assert.Empty(_dispatcher.Events);
    }

    [Theory]
    [InlineData("{\"update_id\":9003,\"some_future_kind\":{\"x\":1}}")]
    [InlineData("{\"update_id\":9004,\"message\":{\"message_id\":1,\"date\":\"soon\",\"chat\":{\"id\":{},\"type\":\"private\"}}}")]
    [InlineData("[1,2,3]")]
    public async Task Json_the_bot_cannot_use_is_answered_ok_so_telegram_does_not_retry_it(string body)
    {
        Assert.Equal(HttpStatusCode.OK, await PostAsync(body, Secret));
        Assert.Empty(_dispatcher.Events);
    }

    [Fact]
    public async Task Oversized_body_is_refused()
    {
        var update = FakeUpdates.Text(203, new string('x', 5000), updateId: 9005).ToJsonString();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(update, Secret));
        Assert.Empty(_dispatcher.Events);
    }

    [Fact]
    public async Task Start_registers_the_webhook_with_secret_and_update_kinds()
    {
        var call = await _server.WaitForCallAsync("setWebhook");

        Assert.Equal(_webhook.ToString(), call.GetString("url"));
        Assert.Equal(Secret, call.GetString("secret_token"));
        Assert.Equal(["message", "callback_query", "my_chat_member"], call["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()));
        await _server.WaitForCallsAsync("setMyCommands", 3);
    }

    [Fact]
    public async Task Updates_pushed_by_telegram_reach_the_dispatcher_and_are_confirmed()
    {
        await _server.WaitForCallAsync("setWebhook");

        var id = _server.EnqueueUpdate(FakeUpdates.BlockedBot(204));
        await _server.WaitForOffsetAsync(id + 1);

        var e = Assert.Single(_dispatcher.Events);
        Assert.Equal(InboundKind.Blocked, e.Kind);
        Assert.Equal(200, Assert.Single(_server.WebhookDeliveries).StatusCode);
    }

    [Fact]
    public async Task Get_and_other_paths_are_not_the_webhook()
    {
        using var get = await _http.GetAsync(_webhook);
        using var other = await _http.PostAsync(new Uri(_webhook, "/telegram/webhook"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
