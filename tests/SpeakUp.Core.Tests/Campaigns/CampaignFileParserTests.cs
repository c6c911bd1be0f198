using SpeakUp.Core.Campaigns;

namespace SpeakUp.Core.Tests.Campaigns;

public sealed class CampaignFileParserTests
{
    private const string File = "test.yaml";

    private static readonly string[] Languages = ["en", "hi"];

    // Line numbers matter: the tests below edit this text line by line.
    private const string Valid = """
        campaigns:
          - id: farmers
            hashtag: "#SpeakUpForFarmers"
            starts: 2026-11-24
            ends: 2026-11-30
            post_time: "11:00"
            title:
              en: "Fair prices"
              hi: "सही दाम"
            points:
              en: ["One", "Two"]
              hi: ["एक", "दो"]
            posts:
              en: ["Post this #SpeakUpForFarmers"]
              hi: ["यह पोस्ट करें"]
        """;

    // A second campaign, to append to Valid: its "- id:" is line 16.
    private const string Jobs = """

          - id: jobs
            hashtag: "#SpeakUpForJobs"
            starts: 2026-12-01
            ends: 2026-12-05
            title: { en: "Jobs", hi: "रोज़गार" }
            points: { en: ["One", "Two"], hi: ["एक", "दो"] }
            posts: { en: ["Post #SpeakUpForJobs"], hi: ["पोस्ट #SpeakUpForJobs"] }
        """;

    [Fact]
    public void A_valid_campaign_is_read_with_every_field()
    {
        var campaign = Assert.Single(CampaignFileParser.Parse(Valid, File, Languages));

        Assert.Equivalent(
            new
            {
                Id = "farmers",
                Hashtag = "#SpeakUpForFarmers",
                Starts = new DateOnly(2026, 11, 24),
                Ends = new DateOnly(2026, 11, 30),
                PostTime = (TimeOnly?)new TimeOnly(11, 0),
                Title = new Dictionary<string, string> { ["en"] = "Fair prices", ["hi"] = "सही दाम" },
                Points = new Dictionary<string, string[]> { ["en"] = ["One", "Two"], ["hi"] = ["एक", "दो"] },
                Posts = new Dictionary<string, string[]>
                {
                    ["en"] = ["Post this #SpeakUpForFarmers"],
                    ["hi"] = ["यह पोस्ट करें #SpeakUpForFarmers"], // the hashtag is appended where it is missing
                },
            },
            campaign,
            strict: false);
    }

    [Fact]
    public void Post_time_is_optional() =>
        Assert.Null(Assert.Single(CampaignFileParser.Parse(Edit(Valid, 6, null), File, Languages)).PostTime);

    [Theory]
    [InlineData("Post #speakupforfarmers", "Post #speakupforfarmers")]
    [InlineData("Post #SpeakUpForFarmersNow", "Post #SpeakUpForFarmersNow #SpeakUpForFarmers")]
    [InlineData("#SpeakUpForFarmers first", "#SpeakUpForFarmers first")]
    public void The_hashtag_is_appended_only_when_missing(string post, string expected)
    {
        var yaml = Edit(Valid, 14, $"      en: [\"{post}\"]");

        Assert.Equal(expected, Assert.Single(CampaignFileParser.Parse(yaml, File, Languages)).Posts["en"][0]);
    }

    [Theory]
    [InlineData(3, null, 2, "campaign 'farmers' has no 'hashtag'")]
    [InlineData(2, "  - hashtag_: x", 2, "campaign #1 has no 'id'")]
    [InlineData(2, "  - id: Farmers 2026", 2, "campaign #1 has a bad id 'Farmers 2026': use 1 to 40 of a-z, 0-9, '-' and '_'")]
    [InlineData(2, "  - id: farmers-and-their-fair-prices-2026-november", 2, "campaign #1 has a bad id 'farmers-and-their-fair-prices-2026-november'")]
    [InlineData(2, "  - id: [farmers]", 2, "campaign #1: 'id' should be a single value, not a list or a mapping")]
    [InlineData(6, "    post_tme: \"11:00\"", 6, "campaign 'farmers' has an unknown key 'post_tme' (allowed: id, type, hashtag, starts, ends, post_time, title, points, posts, series)")]
    [InlineData(3, "    hashtag: \"SpeakUpForFarmers\"", 3, "campaign 'farmers' has a bad hashtag 'SpeakUpForFarmers'")]
    [InlineData(3, "    hashtag: \"#Speak Up\"", 3, "campaign 'farmers' has a bad hashtag '#Speak Up'")]
    [InlineData(3, "    hashtag: \"#SpeakUp!\"", 3, "campaign 'farmers' has a bad hashtag '#SpeakUp!'")]
    [InlineData(3, "    hashtag: \"#2026\"", 3, "campaign 'farmers' has a bad hashtag '#2026'")]
    [InlineData(3, "    hashtag: #SpeakUpForFarmers", 3, "campaign 'farmers' has an empty 'hashtag' (quote it: an unquoted '#' starts a YAML comment)")]
    [InlineData(4, "    starts: 24/11/2026", 4, "campaign 'farmers' has a bad 'starts' date '24/11/2026': use yyyy-MM-dd")]
    [InlineData(5, "    ends: 2026-02-30", 5, "campaign 'farmers' has a bad 'ends' date '2026-02-30'")]
    [InlineData(5, "    ends: 2026-11-20", 5, "campaign 'farmers' ends on 2026-11-20, before it starts on 2026-11-24")]
    [InlineData(6, "    post_time: \"25:00\"", 6, "campaign 'farmers' has a bad 'post_time' '25:00': use HH:mm")]
    [InlineData(6, "    post_time: 11am", 6, "campaign 'farmers' has a bad 'post_time' '11am'")]
    [InlineData(9, null, 7, "campaign 'farmers' has no 'hi' title")]
    [InlineData(9, "      fr: \"Prix justes\"", 9, "campaign 'farmers' has title in 'fr', which is not one of the bot's languages (en, hi)")]
    [InlineData(8, "      en: \"\"", 8, "campaign 'farmers': the 'en' title is empty")]
    [InlineData(12, null, 10, "campaign 'farmers' has no 'hi' points")]
    [InlineData(11, "      en: [\"One\"]", 11, "campaign 'farmers' has 1 'en' points; give 2 to 4")]
    [InlineData(12, "      hi: [\"1\", \"2\", \"3\", \"4\", \"5\"]", 12, "campaign 'farmers' has 5 'hi' points; give 2 to 4")]
    [InlineData(12, "      hi: \"एक, दो\"", 12, "campaign 'farmers': the 'hi' points should be a list")]
    [InlineData(15, null, 13, "campaign 'farmers' has no 'hi' posts")]
    [InlineData(14, "      en: []", 14, "campaign 'farmers' has no 'en' posts; give at least 1")]
    public void Each_mistake_is_reported_with_its_line(int line, string? replacement, int expectedLine, string expected) =>
        AssertFails(Edit(Valid, line, replacement), expectedLine, expected);

    [Fact]
    public void Per_language_text_must_be_a_mapping() =>
        AssertFails(
            Valid.Replace("""
                    posts:
                      en: ["Post this #SpeakUpForFarmers"]
                      hi: ["यह पोस्ट करें"]
                """, "    posts: [\"Post this\"]", StringComparison.Ordinal),
            13,
            "campaign 'farmers': 'posts' should map each language to its text (en: ..., hi: ...)");

    [Fact]
    public void A_post_longer_than_x_allows_is_reported_with_its_length()
    {
        // 262 + space + 18-character hashtag = 281.
        var yaml = Edit(Valid, 15, $"      hi: [\"{new string('क', 262)}\"]");

        AssertFails(yaml, 15, "campaign 'farmers': 'hi' post 1 is 281 characters with the hashtag; X allows 280");
    }

    [Fact]
    public void A_post_of_exactly_280_characters_is_fine()
    {
        var yaml = Edit(Valid, 15, $"      hi: [\"{new string('क', 261)}\"]");

        Assert.Equal(280, CampaignFileParser.XLength(CampaignFileParser.Parse(yaml, File, Languages)[0].Posts["hi"][0]));
    }

    [Theory]
    [InlineData("#SpeakUp", 8)]
    [InlineData("आज का हैशटैग", 12)]
    [InlineData("😀", 2)]
    [InlineData("“quotes” – dash", 15)]
    [InlineData("see https://example.org/a/very/long/path/that/is/long", 27)]
    public void X_length_counts_like_x(string text, int expected) =>
        Assert.Equal(expected, CampaignFileParser.XLength(text));

    [Fact]
    public void A_repeated_id_names_the_first_line() =>
        AssertFails(Valid + Jobs.Replace("id: jobs", "id: farmers", StringComparison.Ordinal), 16, "campaign id 'farmers' is used twice (first at line 2)");

    [Fact]
    public void Overlapping_campaigns_name_both_ids() =>
        AssertFails(
            Valid + Jobs.Replace("2026-12-01", "2026-11-30", StringComparison.Ordinal),
            16,
            "campaign 'jobs' (2026-11-30 to 2026-12-05) overlaps campaign 'farmers' (2026-11-24 to 2026-11-30, line 2); only one campaign can run on a day");

    [Fact]
    public void Overlap_is_reported_at_the_later_line_even_when_it_starts_earlier() =>
        AssertFails(
            Valid + Jobs.Replace("2026-12-01", "2026-11-01", StringComparison.Ordinal).Replace("2026-12-05", "2026-11-24", StringComparison.Ordinal),
            16,
            "campaign 'jobs' (2026-11-01 to 2026-11-24) overlaps campaign 'farmers' (2026-11-24 to 2026-11-30, line 2)");

    [Fact]
    public void Campaigns_are_returned_by_start_date() =>
        Assert.Equal(
            ["jobs", "farmers"],
            CampaignFileParser.Parse(Valid + Jobs.Replace("2026-12-0", "2026-11-0", StringComparison.Ordinal), File, Languages).Select(c => c.Id));

    [Fact]
    public void Languages_come_from_the_caller() =>
        AssertFails(Valid, 9, "campaign 'farmers' has title in 'hi', which is not one of the bot's languages (en)", ["en"]);

    [Theory]
    [InlineData("", 1, "the file is empty; it should start with 'campaigns:'")]
    [InlineData("# only a comment\n", 1, "the file is empty")]
    [InlineData("- id: farmers\n", 1, "the file should be a mapping with one key, 'campaigns:'")]
    [InlineData("campaigns: []\nextra: 1\n", 2, "unknown top-level key 'extra'; only 'campaigns' is allowed")]
    [InlineData("campaigns:\n", 1, "'campaigns' should be a list of campaigns")]
    [InlineData("campaign: []\n", 1, "unknown top-level key 'campaign'")]
    [InlineData("campaigns: []\n---\ncampaigns: []\n", 3, "only one YAML document is allowed")]
    [InlineData("campaigns:\n  - just text\n", 2, "campaign #1 should be a mapping of keys")]
    public void The_file_shape_is_checked(string yaml, int expectedLine, string expected) =>
        AssertFails(yaml, expectedLine, expected);

    [Fact]
    public void An_empty_list_is_an_empty_calendar() =>
        Assert.Empty(CampaignFileParser.Parse("campaigns: []\n", File, Languages));

    [Theory]
    [InlineData(4, "\tstarts: 2026-11-24", 4)]
    [InlineData(4, "    starts: 2026-11-24\n    starts: 2026-11-25", 5)]       // a repeated key
    [InlineData(9, "      hi: \"सही दाम", 9)]                                   // an unclosed quote
    [InlineData(11, "      en: [\"One\", \"Two\"", 12)]                        // an unclosed '[' is noticed on the next line
    [InlineData(3, "   hashtag: \"#SpeakUpForFarmers\"", 3)]                     // wrong indentation
    public void Yaml_syntax_errors_are_reported_with_their_line(int line, string replacement, int expectedLine) =>
        AssertFails(Edit(Valid, line, replacement), expectedLine, "YAML syntax error: ");

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "campaigns.yaml");

        var error = Assert.Throws<CampaignFileException>(() => CampaignFileParser.LoadFile(path, Languages));

        Assert.Equal((path, 0), (error.FileName, error.Line));
        Assert.StartsWith($"{path}: campaign file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_reads_file_line_problem() =>
        Assert.Equal(
            "config/campaigns.yaml:7: campaign 'farmers' has no 'hi' title",
            Assert.Throws<CampaignFileException>(() => CampaignFileParser.Parse(Edit(Valid, 9, null), "config/campaigns.yaml", Languages)).Message);

    private static void AssertFails(string yaml, int expectedLine, string expected, string[]? languages = null)
    {
        var error = Assert.Throws<CampaignFileException>(() => CampaignFileParser.Parse(yaml, File, languages ?? Languages));

        Assert.Equal($"{File}:{expectedLine}", $"{error.FileName}:{error.Line}");
        Assert.StartsWith($"{File}:{expectedLine}: {expected}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Replaces (or, with null, deletes) one 1-based line.</summary>
    private static string Edit(string yaml, int line, string? replacement)
    {
        var lines = yaml.Split('\n').ToList();
        if (replacement is null)
        {
            lines.RemoveAt(line - 1);
        }
        else
        {
            lines[line - 1] = replacement;
        }

        return string.Join('\n', lines);
    }
}
