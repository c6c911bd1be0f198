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

    private RedisSubmissionExport Paged(int pageSize) => new(server.Connection, keys) { PageSize = pageSize };

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

    [SkippableFact]
    public async Task Export_lists_exactly_the_added_items_oldest_first_and_a_coordinator_only_their_states()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);

        // Added out of creation order (a retried confirmation can land late), one of them from a state outside the filter.
        var rj3 = NewSubmission("RJ", caption: "तीन") with { CreatedAt = Now.AddMinutes(3) };
        var up1 = NewSubmission("UP", caption: "एक") with { CreatedAt = Now.AddMinutes(1) };
        var br4 = NewSubmission("BR", caption: "चार") with { CreatedAt = Now.AddMinutes(4) };
        var rj0 = NewSubmission("RJ", caption: "शून्य") with { CreatedAt = Now };
        var rj2 = NewSubmission("RJ", caption: "दो") with { CreatedAt = Now.AddMinutes(2) };
        foreach (var s in new[] { rj3, up1, br4, rj0, rj2 })
        {
            Assert.True((await Store.AddAsync(s, 100, default)).Added);
        }

        var everything = await ReadIdsAsync(Paged(2), null);
        var coordinator = await ReadIdsAsync(Paged(2), ["RJ", "BR"]);

        Assert.Equal([rj0.Id, up1.Id, rj2.Id, rj3.Id, br4.Id], everything);
        Assert.Equal([rj0.Id, rj2.Id, rj3.Id, br4.Id], coordinator);
    }

    [SkippableFact]
    public async Task Export_reads_the_index_not_the_keyspace()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var indexed = NewSubmission("RJ", caption: "सूची में");
        var unindexed = NewSubmission("RJ", caption: "सूची से बाहर") with { CreatedAt = Now.AddMinutes(1) };
        await Store.AddAsync(indexed, 100, default);
        await Store.AddAsync(unindexed, 100, default);

        // Its hash stays; only its index entry goes. A keyspace walk would still find it.
        Assert.True(await server.Connection.GetDatabase().SortedSetRemoveAsync(RedisSubmissionStore.IndexKey(keys), unindexed.Id));

        Assert.NotNull(await Store.GetAsync(unindexed.Id, default));
        Assert.Equal([indexed.Id], await ReadIdsAsync(Export, null));
    }

    [SkippableFact]
    public async Task Forgetting_an_author_takes_their_items_out_of_the_index_and_the_export()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);
        var sunitas = new[] { By("4242", 0), By("4242", 2) };
        var ravis = new[] { By("4343", 1), By("4343", 3) };
        foreach (var s in new[] { sunitas[0], ravis[0], sunitas[1], ravis[1] })
        {
            await Store.AddAsync(s, 100, default);
        }

        Assert.Equal(2, await Store.ForgetAuthorAsync(new ChatKey("tg", "4242"), 100, default));

        var index = await server.Connection.GetDatabase().SortedSetRangeByRankAsync(RedisSubmissionStore.IndexKey(keys));
        Assert.Equal([ravis[0].Id, ravis[1].Id], index.Select(m => (string)m!));
        Assert.Equal([ravis[0].Id, ravis[1].Id], await ReadIdsAsync(Export, null));
    }

    [SkippableFact]
    public async Task Forgetting_the_last_item_read_mid_walk_neither_skips_nor_repeats_an_item()
    {
        Skip.IfNot(server.IsAvailable, server.UnavailableReason);

        // All created in the same millisecond, each by a different supporter: the walk resumes inside a tie.
        var all = Enumerable.Range(0, 7).Select(i => By((5000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), 0)).ToList();
        foreach (var s in all)
        {
            await Store.AddAsync(s, 100, default);
        }

        var read = new List<Submission>();
        await foreach (var row in Paged(3).ReadAsync(null, default))
        {
            read.Add(row.Submission);
            if (read.Count == 3)
            {
                // The cursor's own item is forgotten between two pages.
                Assert.Equal(1, await Store.ForgetAuthorAsync(new ChatKey("tg", row.Submission.UserId!), 100, default));
            }
        }

        var forgotten = read[2].Id;
        Assert.Equal(read.Select(s => s.Id).Distinct(StringComparer.Ordinal), read.Select(s => s.Id));
        Assert.Equal(all.Select(s => s.Id).Order(StringComparer.Ordinal), read.Select(s => s.Id).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.DoesNotContain(forgotten, await ReadIdsAsync(Export, null));
    }

    private static async Task<List<string>> ReadIdsAsync(RedisSubmissionExport export, IReadOnlyCollection<string>? states)
    {
        var ids = new List<string>();
        await foreach (var row in export.ReadAsync(states, default))
        {
            ids.Add(row.Submission.Id);
        }

        return ids;
    }

    private static Submission By(string userId, int minute) => NewSubmission("RJ", caption: "मेरी बात") with
    {
        Chat = "tg:" + userId,
        UserId = userId,
        CreatedAt = Now.AddMinutes(minute),
    };

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
