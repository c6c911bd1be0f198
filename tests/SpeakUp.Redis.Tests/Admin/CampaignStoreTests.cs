using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;
using SpeakUp.Redis.Admin;
using SpeakUp.Testing;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests.Admin;

/// <summary>
/// The stored calendar and the re-import of campaigns.yaml against a real server: series round trips, conditional writes,
/// chat edits kept, broken files refused, and two instances importing one change once. Every test has its own key prefix
/// and its own copy of the file.
/// </summary>
public abstract class CampaignStoreTests(RedisTestServer server) : IDisposable
{
    private static readonly ILocalizer Localizer = JsonLocalizer.FromDirectory(Path.Combine(RepoPaths.Root, "config", "locales"), "hi");

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2027, 1, 11, 4, 0, 0, TimeSpan.Zero));

    private readonly string directory = Directory.CreateTempSubdirectory("campaigns-").FullName;

    private string FilePath => Path.Combine(directory, "campaigns.yaml");

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task A_series_round_trips_through_the_store_with_its_posts()
    {
        SkipUnlessAvailable();
        var store = Store();
        var series = Assert.Single(CampaignFileParser.Parse(Yaml(heritageDays: 3), "test.yaml", Localizer.Languages), c => c.IsSeries);

        var version = await store.TryWriteAsync(new CampaignWrite(0, [new StoredCampaign(series, CampaignSource.File, "abc")]), default);
        var snapshot = await store.ReadAsync(default);

        Assert.Equal(1, version);
        var stored = Assert.Single(snapshot.Campaigns);
        Assert.Equal((1L, CampaignSource.File, "abc"), (snapshot.Version, stored.Source, stored.FileHash));
        Assert.Equal(CampaignSync.Hash(series), CampaignSync.Hash(stored.Campaign));
        Assert.Equal(series.Series!.Select(p => p.Text["hi"]), stored.Campaign.Series!.Select(p => p.Text["hi"]));
        Assert.Equal(new Uri("https://example.org/konark.jpg"), stored.Campaign.Series![0].Image);
        Assert.Equal(["हम्पी, कर्नाटक #DeshKiDharohar"], stored.Campaign.ForDay(series.Starts.AddDays(1)).Posts["hi"]);
    }

    [SkippableFact]
    public async Task A_write_based_on_an_old_version_is_refused_and_changes_nothing()
    {
        SkipUnlessAvailable();
        var store = Store();
        var campaigns = CampaignFileParser.Parse(Yaml(), "test.yaml", Localizer.Languages);
        var farmers = campaigns.Single(c => c.Id == "farmers");
        Assert.Equal(1, await store.TryWriteAsync(new CampaignWrite(0, [new StoredCampaign(farmers, CampaignSource.File, null)]), default));

        var stale = await store.TryWriteAsync(new CampaignWrite(0, [new StoredCampaign(farmers with { Hashtag = "#Stale" }, CampaignSource.Chat, null)]), default);

        Assert.Null(stale);
        var snapshot = await store.ReadAsync(default);
        Assert.Equal((1L, "#SpeakUpForFarmers"), (snapshot.Version, Assert.Single(snapshot.Campaigns).Campaign.Hashtag));
    }

    [SkippableFact]
    public async Task Two_instances_importing_the_same_file_change_import_it_once_and_agree()
    {
        SkipUnlessAvailable();
        await File.WriteAllTextAsync(FilePath, Yaml());
        using var first = Sync(out var firstCalendar);
        using var second = Sync(out var secondCalendar);
        await first.StartAsync(default);
        await second.StartAsync(default);

        await File.WriteAllTextAsync(FilePath, Yaml(farmersTitle: "Fair prices, now", heritageDays: 3));
        using var go = new SemaphoreSlim(0);
        var checks = new[] { first, second }.Select(async sync =>
        {
            await go.WaitAsync();
            await sync.CheckAsync(default);
        }).ToList();
        go.Release(2);
        await Task.WhenAll(checks);

        var snapshot = await Store().ReadAsync(default);
        var imports = (await Audit().RecentAsync(50, default)).Where(e => e.Action == "campaign.import").ToList();
        Assert.Equal(2, imports.Count);                                   // the first start, then the change: once each
        Assert.Equal(2, snapshot.Version);                                 // no second, competing write
        Assert.Equal(snapshot.Version, firstCalendar.Version);
        Assert.Equal(snapshot.Version, secondCalendar.Version);
        Assert.All(new[] { firstCalendar, secondCalendar }, c => Assert.Equal("Fair prices, now", c.Find("farmers")!.Title["en"]));
        Assert.All(new[] { firstCalendar, secondCalendar }, c => Assert.Equal(3, c.Find("heritage")!.Series!.Count));
        await first.StopAsync(default);
        await second.StopAsync(default);
    }

    [SkippableFact]
    public async Task A_reimport_keeps_an_edit_made_in_chat_takes_the_rest_and_records_the_conflict()
    {
        SkipUnlessAvailable();
        await File.WriteAllTextAsync(FilePath, Yaml());
        using var sync = Sync(out var calendar);
        await sync.StartAsync(default);
        var store = Store();
        var before = await store.ReadAsync(default);
        var farmers = before.Campaigns.Single(s => s.Campaign.Id == "farmers");
        var chatVersion = await store.TryWriteAsync(new CampaignWrite(before.Version, [farmers with { Campaign = farmers.Campaign with { Hashtag = "#किसान_के_साथ" }, Source = CampaignSource.Chat }]), default);
        Assert.NotNull(chatVersion);

        await File.WriteAllTextAsync(FilePath, Yaml(farmersTitle: "Fair prices, now", heritageDays: 3));
        await sync.CheckAsync(default);

        var after = await store.ReadAsync(default);
        Assert.Equal("#किसान_के_साथ", calendar.Find("farmers")!.Hashtag);
        Assert.Equal("A fair price", calendar.Find("farmers")!.Title["en"]);
        Assert.Equal(3, calendar.Find("heritage")!.Series!.Count);
        Assert.Equal(["farmers"], after.Import.Conflicts);
        Assert.Null(after.Import.Error);
        Assert.Contains(await Audit().RecentAsync(10, default), e => e.Action == "campaign.conflict" && e.Item == "farmers");
        await sync.StopAsync(default);
    }

    [SkippableFact]
    public async Task A_broken_file_keeps_the_last_good_calendar_and_records_the_error_with_its_line_until_fixed()
    {
        SkipUnlessAvailable();
        await File.WriteAllTextAsync(FilePath, Yaml());
        using var sync = Sync(out var calendar);
        await sync.StartAsync(default);
        var good = calendar.Version;

        // Line 5 of the file: a date that does not exist.
        await File.WriteAllTextAsync(FilePath, Yaml().Replace("ends: 2026-11-30", "ends: 2026-11-31 # a typo", StringComparison.Ordinal));
        await sync.CheckAsync(default);

        var broken = await Store().ReadAsync(default);
        Assert.Equal(good, calendar.Version);
        Assert.Equal(new DateOnly(2026, 11, 30), calendar.Find("farmers")!.Ends);
        Assert.StartsWith($"{FilePath}:5: campaign 'farmers' has a bad 'ends' date '2026-11-31'", broken.Import.Error, StringComparison.Ordinal);
        Assert.Equal(good, broken.Version);

        await File.WriteAllTextAsync(FilePath, Yaml(farmersTitle: "Fixed"));
        await sync.CheckAsync(default);

        var fixedUp = await Store().ReadAsync(default);
        Assert.Null(fixedUp.Import.Error);
        Assert.Equal("Fixed", calendar.Find("farmers")!.Title["en"]);
        await sync.StopAsync(default);
    }

    [SkippableFact]
    public async Task A_file_that_would_overlap_a_campaign_created_in_chat_is_not_imported()
    {
        SkipUnlessAvailable();
        await File.WriteAllTextAsync(FilePath, Yaml());
        using var sync = Sync(out var calendar);
        await sync.StartAsync(default);
        var store = Store();
        var before = await store.ReadAsync(default);
        var chatOnly = before.Campaigns.Single(s => s.Campaign.Id == "farmers").Campaign with { Id = "chat-only", Starts = new DateOnly(2027, 2, 1), Ends = new DateOnly(2027, 2, 3) };
        Assert.NotNull(await store.TryWriteAsync(new CampaignWrite(before.Version, [new StoredCampaign(chatOnly, CampaignSource.Chat, null)]), default));
        await sync.CheckAsync(default);

        // The series now runs into February, over the campaign made in chat.
        await File.WriteAllTextAsync(FilePath, Yaml(heritageDays: 30));
        await sync.CheckAsync(default);

        var after = await store.ReadAsync(default);
        Assert.Equal(2, calendar.Find("heritage")!.Series!.Count);
        Assert.NotNull(calendar.Find("chat-only"));
        Assert.Contains("overlap", after.Import.Error, StringComparison.Ordinal);
        await sync.StopAsync(default);
    }

    private RedisCampaignStore Store() => new(server.Connection, keys);

    private RedisAuditLog Audit() => new(server.Connection, keys, Options.Create(new RedisOptions()));

    private CampaignCalendarSync Sync(out LiveCampaignCalendar calendar)
    {
        calendar = new LiveCampaignCalendar([]);
        var store = Store();
        return new CampaignCalendarSync(
            store,
            new CampaignImporter(store, Audit(), time),
            new CampaignFileLocation(FilePath, TimeSpan.Zero),
            calendar,
            Localizer,
            server.Connection,
            time,
            NullLogger<CampaignCalendarSync>.Instance);
    }

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    /// <summary>A farmers campaign (lines 2-9) and a heritage series of <paramref name="heritageDays"/> posts from 11 January 2027.</summary>
    private static string Yaml(string farmersTitle = "A fair price", int heritageDays = 2)
    {
        var yaml = new System.Text.StringBuilder($$"""
            campaigns:
              - id: farmers
                hashtag: "#SpeakUpForFarmers"
                starts: 2026-11-24
                ends: 2026-11-30
                title: { en: "{{farmersTitle}}", hi: "सही दाम" }
                points: { en: ["One", "Two"], hi: ["एक", "दो"] }
                posts: { en: ["Post #SpeakUpForFarmers"], hi: ["पोस्ट #SpeakUpForFarmers"] }
              - id: heritage
                type: series
                hashtag: "#DeshKiDharohar"
                starts: 2027-01-11
                title: { en: "One heritage site a day", hi: "रोज़ एक धरोहर" }
                points: { en: ["Know it", "Visit it"], hi: ["जानें", "देखने जाएँ"] }
                series:
                  - { text: { en: "Konark, Odisha", hi: "कोणार्क, ओडिशा" }, image: "https://example.org/konark.jpg" }
                  - text: { en: "Hampi, Karnataka", hi: "हम्पी, कर्नाटक" }

            """);
        for (var day = 3; day <= heritageDays; day++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      - text: {{ en: \"Site {day}\", hi: \"धरोहर {day}\" }}\n");
        }

        return yaml.ToString();
    }
}

public sealed class CampaignStoreOnRedisServerTests(RedisServerFixture server) : CampaignStoreTests(server), IClassFixture<RedisServerFixture>;

public sealed class CampaignStoreOnGarnetTests(GarnetFixture server) : CampaignStoreTests(server), IClassFixture<GarnetFixture>;
