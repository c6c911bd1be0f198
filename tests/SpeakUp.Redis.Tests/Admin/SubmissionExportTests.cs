using System.Text;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Submissions;
using SpeakUp.Redis.Admin;
using SpeakUp.Redis.Submissions;
using SpeakUp.Testing;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests.Admin;

/// <summary>
/// The submissions export against a real server: what the review queue stored comes back out as strict RFC 4180 CSV,
/// Hindi and punctuation intact, each item once, coordinators limited to their states. Every test has its own key prefix.
/// </summary>
public abstract class SubmissionExportTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private RedisSubmissionStore Store => new(server.Connection, keys);

    private RedisSubmissionExport Export => new(server.Connection, keys);

    [SkippableFact]
    public async Task Submissions_csv_round_trips_hindi_captions_with_commas_quotes_and_newlines()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var video = NewSubmission("RJ", caption: "किसान, मज़दूर और \"युवा\" —\r\nसब साथ हैं #SpeakUpForFarmers", credit: "सुनीता \"दीदी\", जयपुर") with
        {
            Items = [Video(45)],
        };
        var album = NewSubmission("UP", caption: "खेत की दो तस्वीरें,\nएक वीडियो", credit: null) with
        {
            Items = [Video(20), Video(12), new SubmissionItem { Kind = MediaKind.Photo, FileId = "p-" + Guid.NewGuid().ToString("N"), FileUniqueId = "pu-" + Guid.NewGuid().ToString("N") }],
        };
        var text = NewSubmission("RJ", caption: "=1+1 हमारी माँग, \"साफ़\" है", credit: "Ravi");
        foreach (var s in new[] { video, album, text })
        {
            Assert.True((await Store.AddAsync(s, 100, default)).Added);
        }

        Assert.Equal(DecisionOutcome.Decided, await Store.DecideAsync(video.Id, "901", SubmissionStatus.Approved, null, Now.AddMinutes(5), 100, default));
        Assert.True(await Store.TryStartPublishingAsync(video.Id, TimeSpan.FromMinutes(1), default));
        Assert.True(await Store.MarkPublishedAsync(video.Id, "https://t.me/speakup_channel/42", default));
        Assert.Equal(DecisionOutcome.Decided, await Store.DecideAsync(album.Id, "902", SubmissionStatus.Rejected, "धुंधला है, \"आवाज़\" नहीं", Now.AddMinutes(7), 100, default));

        var bytes = await WriteCsvAsync(null);
        var rows = StrictCsv.ReadUtf8(bytes).ToDictionary(r => r["id"]);

        Assert.Equal(SubmissionCsv.Header, StrictCsv.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3))[0]);
        Assert.Equal(3, rows.Count);
        var v = rows[video.Id];
        Assert.Equal(
            ["tg:42", "RJ", "hi", "farmers", "#SpeakUpForFarmers", "video", "1", "45", video.Text, "सुनीता \"दीदी\", जयपुर", "published", "", "901", "2026-11-26T06:00:00Z", "2026-11-26T06:05:00Z", "https://t.me/speakup_channel/42"],
            SubmissionCsv.Header.Skip(1).Select(h => v[h]));
        var a = rows[album.Id];
        Assert.Equal(("album", "3", "32", "खेत की दो तस्वीरें,\nएक वीडियो", "", "rejected", "धुंधला है, \"आवाज़\" नहीं", "902", "2026-11-26T06:07:00Z"), (a["type"], a["files"], a["duration_seconds"], a["caption"], a["credit"], a["status"], a["reason"], a["moderator"], a["decided"]));
        var t = rows[text.Id];
        Assert.Equal(("text", "0", "", "pending", "", "", ""), (t["type"], t["files"], t["duration_seconds"], t["status"], t["moderator"], t["decided"], t["post_url"]));

        // A cell a spreadsheet would run as a formula is kept as text.
        Assert.Equal("'" + text.Text, t["caption"]);
    }

    [SkippableFact]
    public async Task A_coordinators_export_holds_only_their_states_submissions()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var byState = new Dictionary<string, List<string>>();
        foreach (var state in new[] { "RJ", "UP", "BR", "RJ", "DL", "UP", "RJ" })
        {
            var s = NewSubmission(state, caption: "मेरी बात, " + state);
            await Store.AddAsync(s, 100, default);
            (byState.TryGetValue(state, out var ids) ? ids : byState[state] = []).Add(s.Id);
        }

        var rows = StrictCsv.ReadUtf8(await WriteCsvAsync(["RJ", "BR"]));

        Assert.Equal(byState["RJ"].Concat(byState["BR"]).Order(StringComparer.Ordinal), rows.Select(r => r["id"]).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.All(rows, r => Assert.Contains(r["state"], new[] { "RJ", "BR" }));
        Assert.Empty(StrictCsv.ReadUtf8(await WriteCsvAsync(["KL"])));
    }

    [SkippableFact]
    public async Task Export_walks_many_pages_and_yields_each_item_once_without_publish_leases_or_other_prefixes()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var all = Enumerable.Range(0, 1_234).Select(i => NewSubmission(i % 2 == 0 ? "RJ" : "MH", caption: "नंबर " + i)).ToList();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, ct) => await Store.AddAsync(s, 10_000, ct));

        // An item being published has a lease key under item:<id>:publishing; another deployment's items share the server.
        Assert.Equal(DecisionOutcome.Decided, await Store.DecideAsync(all[0].Id, "901", SubmissionStatus.Approved, null, Now, 10_000, default));
        Assert.True(await Store.TryStartPublishingAsync(all[0].Id, TimeSpan.FromMinutes(5), default));
        var other = new RedisSubmissionStore(server.Connection, new RedisKeys(RedisTestServer.NewKeyPrefix()));
        await other.AddAsync(NewSubmission("RJ", caption: "दूसरी जगह"), 100, default);

        var ids = new List<string>();
        await foreach (var row in Export.ReadAsync(null, default))
        {
            ids.Add(row.Submission.Id);
        }

        Assert.Equal(all.Select(s => s.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(SubmissionStatus.Approved, (await Store.GetAsync(all[0].Id, default))!.Status);
    }

    private async Task<byte[]> WriteCsvAsync(IReadOnlyCollection<string>? states)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, Csv.Utf8WithBom, 4096, leaveOpen: true))
        {
            await SubmissionCsv.WriteAsync(writer, Export.ReadAsync(states, default), default);
        }

        return buffer.ToArray();
    }

    private static SubmissionItem Video(int seconds)
    {
        var file = Guid.NewGuid().ToString("N");
        return new SubmissionItem { Kind = MediaKind.Video, FileId = "f-" + file, FileUniqueId = "u-" + file, MessageId = "7", DurationSeconds = seconds };
    }

    private static Submission NewSubmission(string state, string caption, string? credit = "Sunita") => new()
    {
        Id = SubmissionRules.NewId(),
        Chat = "tg:42",
        UserId = "42",
        FirstName = "Sunita",
        CreditName = credit,
        Language = "hi",
        StateCode = state,
        CampaignId = "farmers",
        Hashtag = "#SpeakUpForFarmers",
        Text = caption,
        CreatedAt = Now,
    };
}

public sealed class SubmissionExportOnRedisServerTests(RedisServerFixture server) : SubmissionExportTests(server), IClassFixture<RedisServerFixture>;

public sealed class SubmissionExportOnGarnetTests(GarnetFixture server) : SubmissionExportTests(server), IClassFixture<GarnetFixture>;
