using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests.Submissions;

/// <summary>A web-chat upload goes through the same submission flow and is published by uploading the file to the channel.</summary>
[Collection(OnGarnet.Name)]
public sealed class WebUploadSubmissionTests(GarnetFixture redis) : IDisposable
{
    private const long Moderator = 5_550_002;
    private const long Channel = -1009876543210;
    private readonly string uploads = Directory.CreateTempSubdirectory("speakup-uploads-").FullName;

    public void Dispose() => Directory.Delete(uploads, recursive: true);

    [SkippableFact]
    public async Task Web_photo_is_submitted_reviewed_on_telegram_and_uploaded_to_the_channel()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await BotHostHarness.StartAsync(redis, s =>
        {
            s["Bot:ModeratorIds:0"] = Moderator.ToString(CultureInfo.InvariantCulture);
            s["Publishing:ChannelId"] = Channel.ToString(CultureInfo.InvariantCulture);
            s["Web:UploadDir"] = uploads;
        });
        using var web = new WebClient(host.BaseAddress);
        await web.SessionAsync();
        await web.PostAsync("chat/messages", new JsonObject { ["text"] = "/start" });
        await web.PostAsync("chat/buttons", new JsonObject { ["data"] = "l:hi" });
        await web.PostAsync("chat/buttons", new JsonObject { ["data"] = "c:y" });
        await web.PostAsync("chat/messages", new JsonObject { ["text"] = "राजस्थान" });

        await web.UploadAsync([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4], "image/jpeg", "खेत से");
        Assert.Contains("आपका फ़ोटो मिल गया", (await web.TextsAsync())[^1], StringComparison.Ordinal);
        await web.PostAsync("chat/buttons", new JsonObject { ["data"] = "sb:a" });
        Assert.Contains("मिल गया, जाँच के लिए भेजा गया", (await web.TextsAsync())[^1], StringComparison.Ordinal);

        var review = await host.SayAsync(Moderator, "/review", replies: 2);
        Assert.Equal("sendPhoto", review[0].Method);
        var card = review[1];
        await host.PressAsync(card, Assert.Single(card.CallbackData, d => d.StartsWith("rv:a:", StringComparison.Ordinal)));

        var post = Assert.Single(host.Telegram.MessagesTo(Channel));
        Assert.Equal("sendPhoto", post.Method);
        Assert.Equal("खेत से\n\n#SpeakUpForFarmers\n\n— एक समर्थक", post.VisibleText);
        var texts = await web.TextsAsync();
        Assert.Contains("प्रकाशित हो गया", texts[^1], StringComparison.Ordinal);
        Assert.Contains("https://t.me/c/9876543210/" + post.MessageId.ToString(CultureInfo.InvariantCulture), texts[^1], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Forgetting_a_web_chat_deletes_its_uploads_and_no_one_elses()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await BotHostHarness.StartAsync(redis, s => s["Web:UploadDir"] = uploads);
        using var leaving = await JoinedAsync(host);
        using var staying = await JoinedAsync(host);
        foreach (var web in new[] { leaving, staying })
        {
            await web.UploadAsync([0xFF, 0xD8, 0xFF, 0xE0, 5, 6, 7], "image/jpeg", "मंडी में");
            await web.PostAsync("chat/buttons", new JsonObject { ["data"] = "sb:a" });
            await web.UploadAsync([0xFF, 0xD8, 0xFF, 0xE0, 8, 9], "image/jpeg", "");
        }

        var before = Directory.GetFiles(uploads, "*", SearchOption.AllDirectories);
        Assert.Equal(4, before.Length);

        await leaving.PostAsync("chat/messages", new JsonObject { ["text"] = "/forgetme" });
        await leaving.PostAsync("chat/buttons", new JsonObject { ["data"] = "ok" });
        Assert.Contains("आपकी जानकारी मिटा दी गई है", (await leaving.TextsAsync())[^1], StringComparison.Ordinal);

        var after = Directory.GetFiles(uploads, "*", SearchOption.AllDirectories);
        Assert.Equal(2, after.Length);
        Assert.All(after, f => Assert.Contains(f, before));
        // The two left are the other chat's: they share its folder, and the leaving chat's folder is gone.
        var folder = Assert.Single(after.Select(Path.GetDirectoryName).Distinct());
        Assert.Equal(2, before.Count(f => Path.GetDirectoryName(f) == folder));
        Assert.Equal(2, before.Select(Path.GetDirectoryName).Distinct().Count());
    }

    private static async Task<WebClient> JoinedAsync(BotHostHarness host)
    {
        var web = new WebClient(host.BaseAddress);
        await web.SessionAsync();
        await web.PostAsync("chat/messages", new JsonObject { ["text"] = "/start" });
        await web.PostAsync("chat/buttons", new JsonObject { ["data"] = "l:hi" });
        await web.PostAsync("chat/buttons", new JsonObject { ["data"] = "c:y" });
        await web.PostAsync("chat/messages", new JsonObject { ["text"] = "राजस्थान" });
        return web;
    }

    /// <summary>Just enough of a browser: the cookie, the CSRF token, posting, uploading and reading the history.</summary>
    private sealed class WebClient(Uri baseUrl) : IDisposable
    {
        private readonly HttpClient http = new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = baseUrl };
        private string csrf = "";

        public async Task SessionAsync()
        {
            var body = await http.GetFromJsonAsync<JsonObject>("chat/session?lang=hi");
            csrf = (string)body!["csrf"]!;
        }

        public async Task PostAsync(string path, JsonObject body)
        {
            body["deliveryId"] = Guid.NewGuid().ToString("N");
            body["lang"] = "hi";
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.Add("X-SpeakUp-Csrf", csrf);
            using var response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }

        public async Task UploadAsync(byte[] content, string contentType, string caption)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(file, "file", "upload.bin");
            form.Add(new StringContent(Guid.NewGuid().ToString("N")), "deliveryId");
            form.Add(new StringContent("hi"), "lang");
            form.Add(new StringContent(caption), "caption");
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/media") { Content = form };
            request.Headers.Add("X-SpeakUp-Csrf", csrf);
            using var response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"upload: {(int)response.StatusCode}");
        }

        public async Task<IReadOnlyList<string>> TextsAsync()
        {
            var body = await http.GetFromJsonAsync<JsonObject>("chat/history?after=0");
            return [.. body!["entries"]!.AsArray().Select(e => string.Concat(e!["spans"]!.AsArray().Select(s => (string)s!["t"]!)))];
        }

        public void Dispose() => http.Dispose();
    }
}
