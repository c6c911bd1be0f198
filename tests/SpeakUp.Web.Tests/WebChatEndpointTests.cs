using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis;
using SpeakUp.Web.Tests.Support;

namespace SpeakUp.Web.Tests;

/// <summary>The chat API through a real host (core + Redis storage on Garnet + web channel), driven over HTTP like a browser.</summary>
[Collection(ChatServerDefinition.Name)]
public sealed class WebChatEndpointTests(ChatServerFixture fixture)
{
    private WebChatHost Host => fixture.Host;

    // ---- The conversation ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Start_is_answered_with_the_language_question_before_the_post_returns()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync("/start");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, entries) = await client.HistoryAsync();
        Assert.Equal(2, entries.Count);
        Assert.Equal("me", (string)entries[0]["from"]!);
        Assert.Equal("/start", WebChatClient.TextOf(entries[0]));
        Assert.Equal("bot", (string)entries[1]["from"]!);
        Assert.Contains("अपनी भाषा चुनें", WebChatClient.TextOf(entries[1]), StringComparison.Ordinal);
        var buttons = entries[1]["buttons"]!.AsArray()[0]!.AsArray().Select(b => (string)b!["d"]!);
        Assert.Equal(["l:hi", "l:en"], buttons);
    }

    [Fact]
    public async Task Tapping_buttons_joins_and_today_shows_the_hashtag()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        await Ok(client.SendAsync("/start"));
        await Ok(client.PressAsync("l:hi"));
        await Ok(client.PressAsync("c:y"));
        await Ok(client.PressAsync("s:RJ"));
        var joined = await client.TextsAsync();
        await Ok(client.SendAsync("/today"));
        var afterToday = await client.TextsAsync();

        Assert.Contains(joined, t => t.Contains("राजस्थान", StringComparison.Ordinal) && t.Contains("जुड़ गए", StringComparison.Ordinal));
        Assert.Contains(joined, t => t.Contains(ShiftedTimeProvider.CampaignHashtag, StringComparison.Ordinal));
        Assert.Equal("/today", afterToday[joined.Count]);
        Assert.Contains(ShiftedTimeProvider.CampaignHashtag, afterToday[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_turn_replaces_the_state_keyboard_message()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        await Ok(client.SendAsync("/start"));
        await Ok(client.PressAsync("l:hi"));
        await Ok(client.PressAsync("c:y"));
        var (_, before) = await client.HistoryAsync();
        var keyboard = before[^1];

        await Ok(client.PressAsync("p:1", messageId: ((long)keyboard["seq"]!).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var (_, after) = await client.HistoryAsync();
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Equal((string)keyboard["seq"]!.ToString(), (string?)after[^1]["replaces"]);
    }

    [Fact]
    public async Task Retried_post_is_handled_once()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        await Ok(client.SendAsync("/start", deliveryId: "retry-1"));
        await Ok(client.SendAsync("/start", deliveryId: "retry-1"));

        Assert.Equal(2, (await client.HistoryAsync()).Entries.Count);
    }

    [Fact]
    public async Task Post_answers_with_the_chat_language_once_chosen()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        await Ok(client.SendAsync("/start"));

        using var response = await client.PressAsync("l:en");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("en", (string)body["lang"]!);
        Assert.Equal("en", (string)(await client.SessionAsync("hi"))["lang"]!);
    }

    // ---- Delivery -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Events_deliver_new_entries_live()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        await using var events = await SseReader.OpenAsync(client.Http, "chat/events?after=0");
        Assert.Equal("text/event-stream", events.Response.Content.Headers.ContentType?.MediaType);

        await Ok(client.SendAsync("/start"));

        var mine = await events.NextEntryAsync();
        var reply = await events.NextEntryAsync();
        Assert.Equal((1L, "me"), ((long)mine["seq"]!, (string)mine["from"]!));
        Assert.Equal((2L, "bot"), ((long)reply["seq"]!, (string)reply["from"]!));
    }

    [Fact]
    public async Task Events_replay_what_was_sent_after_last_event_id()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        await Ok(client.SendAsync("/start"));
        await Ok(client.SendAsync("/help"));

        await using var events = await SseReader.OpenAsync(client.Http, "chat/events?after=0", lastEventId: "2");

        var (id, _, _) = await events.NextAsync();
        Assert.Equal("3", id);
        Assert.Equal("bot", (string)(await events.NextEntryAsync())["from"]!);
    }

    [Fact]
    public async Task Events_start_over_when_the_history_is_older_than_the_page()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        await Ok(client.SendAsync("/start"));

        await using var events = await SseReader.OpenAsync(client.Http, "chat/events", lastEventId: "99");

        Assert.Equal("reset", (await events.NextAsync()).Event);
        Assert.Equal(1L, (long)(await events.NextEntryAsync())["seq"]!);
    }

    [Fact]
    public async Task Reload_keeps_history()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        await Ok(client.SendAsync("/start"));
        var before = await client.TextsAsync();

        await client.SessionAsync();

        Assert.Equal(before, await client.TextsAsync());
    }

    [Fact]
    public async Task Entry_that_pub_sub_missed_arrives_at_the_next_heartbeat()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Web:HeartbeatSeconds"] = "1" });
        using var client = host.NewClient();
        await client.SessionAsync();
        await using var events = await SseReader.OpenAsync(client.Http, "chat/events?after=0");

        // Stored but never announced, as when a notice is lost while Redis reconnects.
        await StoreSilentlyAsync(host, client, 1, "missed");

        var entry = await events.NextEntryAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("missed", WebChatClient.TextOf(entry));
    }

    [Fact]
    public async Task Gap_in_sequence_numbers_is_refilled_from_the_history()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        await using var events = await SseReader.OpenAsync(client.Http, "chat/events?after=0");
        await StoreSilentlyAsync(Host, client, 1, "missed");

        await Host.Services.GetServices<IChannelSender>().Single(s => s.Channel == "web")
            .SendAsync(new OutboundMessage(ChatOf(Host, client), MessageText.Plain("announced")), default);

        Assert.Equal("missed", WebChatClient.TextOf(await events.NextEntryAsync()));
        Assert.Equal("announced", WebChatClient.TextOf(await events.NextEntryAsync()));
    }

    // ---- Security --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Session_cookie_is_http_only_and_same_site_strict()
    {
        using var client = Host.NewClient();

        using var response = await client.Http.GetAsync("chat/session");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(WebIdentity.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Post_without_the_csrf_token_is_refused()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync("/start", configure: r => r.Headers.Remove("X-SpeakUp-Csrf"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("csrf", await WebChatClient.CodeOf(response));
        Assert.Empty((await client.HistoryAsync()).Entries);
    }

    [Fact]
    public async Task Csrf_token_of_another_browser_is_refused()
    {
        using var other = Host.NewClient();
        await other.SessionAsync();
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync("/start", configure: r =>
        {
            r.Headers.Remove("X-SpeakUp-Csrf");
            r.Headers.Add("X-SpeakUp-Csrf", other.Csrf);
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_without_a_session_cookie_is_refused()
    {
        using var client = Host.NewClient();

        using var response = await client.SendAsync("/start");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("no_session", await WebChatClient.CodeOf(response));
    }

    [Fact]
    public async Task Post_from_another_site_is_refused()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync("/start", configure: r => r.Headers.Add("Origin", "https://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("origin", await WebChatClient.CodeOf(response));
    }

    [Fact]
    public async Task Post_that_is_not_json_is_refused()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync("/start", configure: r => r.Content = new StringContent("text=/start", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Message_longer_than_4096_characters_gets_a_clear_localized_error()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync(new string('क', 4097));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("too_long", await WebChatClient.CodeOf(response));
        Assert.Equal("आपका संदेश बहुत लंबा है: ज़्यादा से ज़्यादा 4096 अक्षर। कृपया इसे छोटा करें।", await WebChatClient.ErrorOf(response));
        Assert.Empty((await client.HistoryAsync()).Entries);
    }

    [Fact]
    public async Task Message_of_exactly_4096_characters_is_accepted()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync(new string('क', 4096));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_size_limit_is_refused_as_too_long()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.SendAsync(new string('x', WebChatHandlers.MaxJsonBodyBytes + 10));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("too_long", await WebChatClient.CodeOf(response));
    }

    [Fact]
    public async Task Button_data_longer_than_64_bytes_is_refused()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.PressAsync(new string('क', 22));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Rate_limit_answers_please_slow_down_once()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Web:MessagesPerMinute"] = "3" });
        using var client = host.NewClient();
        await client.SessionAsync();
        for (var i = 0; i < 3; i++)
        {
            await Ok(client.SendAsync("/help"));
        }

        using var fourth = await client.SendAsync("/help");
        using var fifth = await client.SendAsync("/help");
        using var button = await client.PressAsync("h");

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal("slow_down", await WebChatClient.CodeOf(fourth));
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, button.StatusCode);
        var texts = await client.TextsAsync();
        Assert.Single(texts, t => t.Contains("कृपया थोड़ा रुककर भेजें", StringComparison.Ordinal));
        Assert.Equal(3, texts.Count(t => t == "/help"));
    }

    [Fact]
    public async Task Impersonation_is_refused_when_the_simulator_is_off()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Web:Simulator"] = "false" });
        using var client = host.NewClient();
        await client.SessionAsync();
        var csrf = client.Csrf;
        client.ActAs = "12345";

        using var session = await client.Http.GetAsync("chat/session?as=12345");
        using var post = await client.SendAsync("/start");
        using var history = await client.Http.GetAsync("chat/history?as=12345");
        using var events = await client.Http.GetAsync("chat/events?as=12345");

        Assert.All([session, post, history, events], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal("impersonation_off", await WebChatClient.CodeOf(post));
        var sessions = host.Services.GetRequiredService<ISessionStore>();
        Assert.Null(await sessions.LoadAsync(new ChatKey("web", WebIdentity.ActedChatPrefix + "12345"), default));
        Assert.NotEmpty(csrf);
    }

    [Fact]
    public async Task Impersonation_is_off_by_default_next_to_a_bot_token()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Telegram:BotToken"] = "123:abc" });
        using var client = host.NewClient();
        client.ActAs = "12345";

        using var session = await client.Http.GetAsync("chat/session?as=12345");

        Assert.Equal(HttpStatusCode.Forbidden, session.StatusCode);
    }

    [Fact]
    public async Task Simulator_acts_as_the_given_user_id_in_a_chat_of_its_own()
    {
        using var client = Host.NewClient();
        client.ActAs = "12345";
        var session = await client.SessionAsync();

        await Ok(client.SendAsync("/start"));

        Assert.Equal("12345", (string?)session["actingAs"]);
        var stored = await Host.Services.GetRequiredService<ISessionStore>().LoadAsync(new ChatKey("web", WebIdentity.ActedChatPrefix + "12345"), default);
        Assert.Equal("12345", stored?.UserId);
        client.ActAs = null;
        Assert.Empty((await client.HistoryAsync()).Entries);
    }

    [Fact]
    public async Task Simulator_next_to_a_bot_token_logs_a_warning()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Telegram:BotToken"] = "123:abc", ["Web:Simulator"] = "true" });

        Assert.Contains(host.Logs.Lines, l => l.Event.Name == "SimulatorWithToken" && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Page_has_a_strict_content_security_policy_and_no_inline_script_or_style()
    {
        using var client = Host.NewClient();

        using var response = await client.Http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", html);
        Assert.DoesNotMatch(@"\sstyle\s*=", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("chat/chat.js", "text/javascript")]
    [InlineData("chat/chat.css", "text/css")]
    [InlineData("widget.js", "text/javascript")]
    public async Task Static_files_are_served_from_the_assembly(string path, string type)
    {
        using var client = Host.NewClient();

        using var response = await client.Http.GetAsync(path);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
        using var cached = await client.Http.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task Page_script_never_puts_text_into_html()
    {
        using var client = Host.NewClient();

        var script = await client.Http.GetStringAsync("chat/chat.js");

        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("outerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", script, StringComparison.Ordinal);
        Assert.DoesNotContain(".style", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stylesheet_names_devanagari_fonts_first_and_nothing_from_outside()
    {
        using var client = Host.NewClient();

        var css = await client.Http.GetStringAsync("chat/chat.css");

        Assert.Matches("font-family: \"Noto Sans Devanagari\", \"Noto Sans\", system-ui", css);
        Assert.DoesNotContain("@import", css, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", css, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_answers_may_not_be_framed_or_sniffed()
    {
        using var client = Host.NewClient();

        using var response = await client.Http.GetAsync("chat/session");

        Assert.Equal(WebSecurity.ApiPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Cors_and_framing_are_limited_to_the_allowed_origins()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Web:AllowedOrigins:0"] = "https://campaign.example.org" });
        using var client = host.NewClient();

        using var listed = await Preflight(client, "https://campaign.example.org");
        using var other = await Preflight(client, "https://evil.example");
        using var page = await client.Http.GetAsync("/chat");

        Assert.Equal(HttpStatusCode.NoContent, listed.StatusCode);
        Assert.Equal("https://campaign.example.org", Assert.Single(listed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(listed.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Contains("X-SpeakUp-Csrf", Assert.Single(listed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.EndsWith("frame-ancestors 'self' https://campaign.example.org", Assert.Single(page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Widget_script_carries_its_labels_in_every_language()
    {
        using var client = Host.NewClient();

        using var response = await client.Http.GetAsync("widget.js");
        var script = await response.Content.ReadAsStringAsync();

        Assert.Contains("हमसे बात करें", script, StringComparison.Ordinal);
        Assert.Contains("Chat with us", script, StringComparison.Ordinal);
        Assert.DoesNotContain("/*LABELS*/", script, StringComparison.Ordinal);
        Assert.Equal("cross-origin", Assert.Single(response.Headers.GetValues("Cross-Origin-Resource-Policy")));
    }

    // ---- Media ------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Photo_is_stored_and_handled_as_media()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4 };

        using var response = await client.UploadAsync(jpeg, "image/jpeg", caption: "मेरी फ़ोटो");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, entries) = await client.HistoryAsync();
        Assert.Equal("photo", (string?)entries[0]["media"]);
        Assert.Equal("मेरी फ़ोटो", WebChatClient.TextOf(entries[0]));
        Assert.Contains("फ़ोटो, वीडियो या वॉइस नोट नहीं ले सकता", WebChatClient.TextOf(entries[1]), StringComparison.Ordinal);
        var stored = Assert.Single(Directory.GetFiles(Path.Combine(Host.Directory, "data", "uploads"), "*.jpg", SearchOption.AllDirectories), f => File.ReadAllBytes(f).SequenceEqual(jpeg));
        Assert.DoesNotContain("upload.bin", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_other_than_photo_video_or_voice_are_refused()
    {
        using var client = Host.NewClient();
        await client.SessionAsync();

        using var response = await client.UploadAsync("<script>alert(1)</script>"u8.ToArray(), "text/html");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("file_type", await WebChatClient.CodeOf(response));
    }

    [Fact]
    public async Task File_over_the_size_limit_is_refused()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Web:MaxUploadBytes"] = "2048" });
        using var client = host.NewClient();
        await client.SessionAsync();

        using var response = await client.UploadAsync(new byte[4096], "video/mp4");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("file_too_big", await WebChatClient.CodeOf(response));
    }

    // ---- Switched off ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Nothing_is_served_when_the_web_chat_is_off()
    {
        await using var host = await WebChatHost.StartAsync(fixture.Garnet, new Dictionary<string, string?> { ["Web:Enabled"] = "false" });
        using var client = host.NewClient();

        using var page = await client.Http.GetAsync("/");
        using var session = await client.Http.GetAsync("chat/session");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
        Assert.DoesNotContain(host.Services.GetServices<IChannelSender>(), s => s.Channel == "web");
    }

    private static ChatKey ChatOf(WebChatHost host, WebChatClient client) =>
        new("web", WebIdentity.ChatIdFor(client.Cookies.GetCookies(host.BaseUrl)[WebIdentity.CookieName]!.Value));

    /// <summary>Writes an entry the way the append script does, but without the pub/sub notice.</summary>
    private async Task StoreSilentlyAsync(WebChatHost host, WebChatClient client, long seq, string text)
    {
        var keys = new WebChatKeys(host.Services.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix);
        var chat = ChatOf(host, client);
        var db = fixture.Garnet.Connection.GetDatabase();
        await db.ListRightPushAsync(keys.History(chat), $$"""{"seq":{{seq}},"from":"bot","at":0,"spans":[{"t":"{{text}}"}]}""");
        await db.StringSetAsync(keys.Sequence(chat), seq);
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static Task<HttpResponseMessage> Preflight(WebChatClient client, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "chat/messages");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-speakup-csrf");
        return client.Http.SendAsync(request);
    }
}
