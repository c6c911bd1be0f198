using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpeakUp.Web.Tests.Support;

/// <summary>One browser, seen from HTTP: its own cookie jar (so its own chat), the CSRF token, and the chat API.</summary>
internal sealed class WebChatClient : IDisposable
{
    private readonly HttpClient http;

    public WebChatClient(Uri baseUrl)
    {
        Cookies = new CookieContainer();
        http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => http;

    public string Csrf { get; private set; } = "";

    public string? ActAs { get; set; }

    /// <summary>GET /chat/session: sets the cookie and remembers the CSRF token.</summary>
    public async Task<JsonObject> SessionAsync(string lang = "hi")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WithActAs("chat/session?lang=" + lang));
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, $"session: {(int)response.StatusCode} {body}");
        Csrf = (string)body["csrf"]!;
        return body;
    }

    public Task<HttpResponseMessage> SendAsync(string text, string? deliveryId = null, Action<HttpRequestMessage>? configure = null) =>
        PostJsonAsync("chat/messages", new JsonObject { ["text"] = text, ["deliveryId"] = deliveryId ?? NewDeliveryId(), ["lang"] = "hi" }, configure);

    public Task<HttpResponseMessage> PressAsync(string data, string? messageId = null, string? deliveryId = null) =>
        PostJsonAsync("chat/buttons", new JsonObject { ["data"] = data, ["messageId"] = messageId, ["deliveryId"] = deliveryId ?? NewDeliveryId(), ["lang"] = "hi" });

    public async Task<HttpResponseMessage> PostJsonAsync(string path, JsonObject body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, WithActAs(path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-SpeakUp-Csrf", Csrf);
        if (ActAs is not null)
        {
            request.Headers.Add("X-SpeakUp-Act-As", ActAs);
        }

        configure?.Invoke(request);
        return await http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> UploadAsync(byte[] content, string contentType, string? caption = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", "upload.bin");
        form.Add(new StringContent(NewDeliveryId()), "deliveryId");
        form.Add(new StringContent("hi"), "lang");
        if (caption is not null)
        {
            form.Add(new StringContent(caption), "caption");
        }

        var request = new HttpRequestMessage(HttpMethod.Post, WithActAs("chat/media")) { Content = form };
        request.Headers.Add("X-SpeakUp-Csrf", Csrf);
        return await http.SendAsync(request);
    }

    /// <summary>GET /chat/history: every stored entry after <paramref name="after"/>.</summary>
    public async Task<(long Last, IReadOnlyList<JsonObject> Entries)> HistoryAsync(long after = 0)
    {
        var body = await http.GetFromJsonAsync<JsonObject>(WithActAs("chat/history?after=" + after));
        var entries = body!["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        return ((long)body["last"]!, entries);
    }

    /// <summary>The plain text of each entry (spans joined), oldest first.</summary>
    public async Task<IReadOnlyList<string>> TextsAsync()
    {
        var (_, entries) = await HistoryAsync();
        return entries.Select(TextOf).ToList();
    }

    public static string TextOf(JsonObject entry) =>
        string.Concat(entry["spans"]!.AsArray().Select(s => (string)s!["t"]!));

    public static string NewDeliveryId() => Guid.NewGuid().ToString("N");

    public static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (string)body["error"]!;
    }

    public static async Task<string> CodeOf(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (string)body["code"]!;
    }

    public void Dispose() => http.Dispose();

    private string WithActAs(string path) =>
        ActAs is null ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "as=" + Uri.EscapeDataString(ActAs);
}

/// <summary>Reads a Server-Sent Events stream one event at a time.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseReader(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public HttpResponseMessage Response => response;

    public static async Task<SseReader> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        return new SseReader(response, new StreamReader(stream, Encoding.UTF8));
    }

    /// <summary>The next event with data (comments and retry lines skipped).</summary>
    public async Task<(string? Id, string Event, string Data)> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        string? id = null;
        var name = "message";
        var data = new StringBuilder();
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return (id, name, data.ToString());
                }

                id = null;
                name = "message";
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(value);
                    break;
            }
        }
    }

    public async Task<JsonObject> NextEntryAsync(TimeSpan? timeout = null)
    {
        var (_, name, data) = await NextAsync(timeout);
        Assert.Equal("message", name);
        return JsonNode.Parse(data)!.AsObject();
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
