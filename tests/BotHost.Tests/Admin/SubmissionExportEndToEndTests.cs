using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Submissions;
using SpeakUp.Testing;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests.Admin;

/// <summary>The submissions export through the real host: the admin API (bearer key) and /export in chat.</summary>
[Collection(OnGarnet.Name)]
public sealed class SubmissionExportEndToEndTests(GarnetFixture redis)
{
    private const string ApiKey = "k3y-for-tests-0123456789abcdefghijklmnop";
    private const long Owner = 8_300_001;
    private const string HindiCaption = "हम किसान हैं, \"अन्नदाता\" —\nहमारी बात सुनो #SpeakUpForFarmers";
    private static long _nextChat = 8_400_000;

    private static long NewChat() => Interlocked.Increment(ref _nextChat);

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("Bearer not-the-key-0123456789abcdefghijklmnop")]
    public async Task Without_the_key_the_submissions_csv_is_refused(string? authorization)
    {
        await using var host = await StartAsync();
        await AddAsync(host, "RJ", HindiCaption);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/export/submissions.csv");
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("किसान", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task With_the_key_the_api_streams_a_strict_csv_of_every_submission_with_its_hindi_caption()
    {
        await using var host = await StartAsync();
        var rajasthan = await AddAsync(host, "RJ", HindiCaption);
        var up = await AddAsync(host, "UP", "दूसरा, \"छोटा\" संदेश");
        var store = host.App.Services.GetRequiredService<ISubmissionStore>();
        Assert.Equal(DecisionOutcome.Decided, await store.DecideAsync(up.Id, "777", SubmissionStatus.Rejected, "हैशटैग नहीं, कृपया दोबारा", BotHostHarness.CampaignMorning.AddHours(1), 100, default));
        using var http = Admin(host);

        using var response = await http.GetAsync("/admin/export/submissions.csv");
        response.EnsureSuccessStatusCode();
        var rows = StrictCsv.ReadUtf8(await response.Content.ReadAsByteArrayAsync()).ToDictionary(r => r["id"]);

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("submissions.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(2, rows.Count);
        Assert.Equal((HindiCaption, "RJ", "video", "30", "pending"), (rows[rajasthan.Id]["caption"], rows[rajasthan.Id]["state"], rows[rajasthan.Id]["type"], rows[rajasthan.Id]["duration_seconds"], rows[rajasthan.Id]["status"]));
        Assert.Equal(("rejected", "हैशटैग नहीं, कृपया दोबारा", "777"), (rows[up.Id]["status"], rows[up.Id]["reason"], rows[up.Id]["moderator"]));
    }

    [SkippableFact]
    public async Task The_api_export_of_some_states_holds_only_theirs_and_is_audited()
    {
        await using var host = await StartAsync();
        var rajasthan = await AddAsync(host, "RJ", HindiCaption);
        await AddAsync(host, "UP", "उत्तर प्रदेश से");
        using var http = Admin(host);

        using var response = await http.GetAsync("/admin/export/submissions.csv?states=RJ");
        response.EnsureSuccessStatusCode();
        var rows = StrictCsv.ReadUtf8(await response.Content.ReadAsByteArrayAsync());
        using var bad = await http.GetAsync("/admin/export/submissions.csv?states=XX");
        var audit = await http.GetStringAsync("/admin/audit");

        Assert.Equal(rajasthan.Id, Assert.Single(rows)["id"]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"action\":\"export.submissions\",\"item\":\"RJ\"", audit);
    }

    [SkippableFact]
    public async Task In_chat_a_coordinators_export_sends_both_files_and_the_submissions_file_counts_only_their_state()
    {
        await using var host = await StartAsync();
        var coordinator = NewChat();
        await AddAsync(host, "RJ", HindiCaption);
        await AddAsync(host, "RJ", "जयपुर से दूसरा");
        await AddAsync(host, "UP", "लखनऊ से");
        Assert.Contains("राजस्थान", Assert.Single(await host.SayAsync(Owner, $"/admins add {coordinator} coordinator RJ")).VisibleText);

        host.Telegram.EnqueueText(coordinator, "/export");
        var documents = await host.Telegram.WaitForCallsAsync("sendDocument", 2);
        var audit = Assert.Single(await host.SayAsync(Owner, "/audit"));

        Assert.All(documents, d => Assert.Equal(coordinator, d.ChatId));
        Assert.Equal(new[] { "supporters-2026-11-26.csv", "submissions-2026-11-26.csv" }, documents.Select(UploadedFileName));
        Assert.Contains(": 2 पंक्तियाँ", documents[1].GetString("caption"));
        Assert.Contains("export.submissions · RJ · 2 rows", audit.VisibleText);
    }

    /// <summary>The name of the file a multipart call uploaded (Telegram.Bot names the part, the fake records it).</summary>
    private static string? UploadedFileName(FakeApiCall call) =>
        call.Parameters.Where(p => p.Key.StartsWith("_upload_", StringComparison.Ordinal)).Select(p => (string?)p.Value?["file_name"]).Single();

    private async Task<BotHostHarness> StartAsync()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        return await BotHostHarness.StartAsync(redis, s =>
        {
            s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
            s["Admin:ApiKey"] = ApiKey;
        });
    }

    private static HttpClient Admin(BotHostHarness host)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    /// <summary>Stores a confirmed video submission as the conversation engine does when a supporter confirms one.</summary>
    private static async Task<Submission> AddAsync(BotHostHarness host, string state, string caption)
    {
        var chat = NewChat().ToString(CultureInfo.InvariantCulture);
        var file = Guid.NewGuid().ToString("N");
        var submission = new Submission
        {
            Id = SubmissionRules.NewId(),
            Chat = "tg:" + chat,
            UserId = chat,
            FirstName = "Sunita",
            CreditName = "Sunita",
            Language = "hi",
            StateCode = state,
            CampaignId = "farmers-2026-11",
            Hashtag = "#SpeakUpForFarmers",
            Items = [new SubmissionItem { Kind = MediaKind.Video, FileId = "f-" + file, FileUniqueId = "u-" + file, MessageId = "5", DurationSeconds = 30 }],
            Text = caption,
            CreatedAt = BotHostHarness.CampaignMorning,
        };
        Assert.True((await host.App.Services.GetRequiredService<ISubmissionStore>().AddAsync(submission, 100, default)).Added);
        return submission;
    }
}
