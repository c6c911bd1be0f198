using SpeakUp.Core.Campaigns;

namespace SpeakUp.Core.Tests.Campaigns;

/// <summary>Series campaigns in the calendar file: one post a day, dates and post count in agreement, every language.</summary>
public sealed class SeriesFileTests
{
    private const string File = "config/campaigns.yaml";

    private static readonly string[] Languages = ["en", "hi"];

    // Line numbers matter: the tests below edit this text line by line.
    private const string Valid = """
        campaigns:
          - id: heritage
            type: series
            hashtag: "#DeshKiDharohar"
            starts: 2027-01-11
            ends: 2027-01-13
            post_time: "11:00"
            title: { en: "One heritage site a day", hi: "रोज़ एक धरोहर" }
            points: { en: ["Know it", "Visit it"], hi: ["जानें", "देखने जाएँ"] }
            series:
              - title: { en: "Konark", hi: "कोणार्क" }
                text: { en: "Konark, Odisha", hi: "कोणार्क, ओडिशा #DeshKiDharohar" }
                points: { en: ["24 wheels", "Since 1984"], hi: ["24 पहिए", "1984 से"] }
                image: "https://example.org/konark.jpg"
              - title: { en: "Hampi", hi: "हम्पी" }
                text: { en: "Hampi, Karnataka #DeshKiDharohar", hi: "हम्पी, कर्नाटक" }
              - text: { en: "Rani ki Vav, Patan", hi: "रानी की वाव, पाटन" }
        """;

    [Fact]
    public void A_valid_series_has_one_post_a_day_in_order()
    {
        var series = Assert.Single(CampaignFileParser.Parse(Valid, File, Languages));

        Assert.True(series.IsSeries);
        Assert.Equal((new DateOnly(2027, 1, 11), new DateOnly(2027, 1, 13)), (series.Starts, series.Ends));
        Assert.Equal(3, series.Series!.Count);
        Assert.Equal("हम्पी, कर्नाटक #DeshKiDharohar", series.Series[1].Text["hi"]); // the hashtag is appended where it is missing
        Assert.Equal("Hampi", series.Series[1].Title!["en"]);
        Assert.Null(series.Series[2].Title);
        Assert.Equal(new Uri("https://example.org/konark.jpg"), series.Series[0].Image);
        Assert.Empty(series.Posts);
    }

    [Fact]
    public void Each_day_shows_its_own_post_and_its_points_or_else_the_campaigns()
    {
        var series = Assert.Single(CampaignFileParser.Parse(Valid, File, Languages));

        var first = series.ForDay(new DateOnly(2027, 1, 11));
        var second = series.ForDay(new DateOnly(2027, 1, 12));

        Assert.Equal(["Konark, Odisha #DeshKiDharohar"], first.Posts["en"]);
        Assert.Equal(["24 पहिए", "1984 से"], first.Points["hi"]);
        Assert.Equal(["Hampi, Karnataka #DeshKiDharohar"], second.Posts["en"]);
        Assert.Equal(["जानें", "देखने जाएँ"], second.Points["hi"]);
        Assert.Equal(2, series.SeriesDayOn(new DateOnly(2027, 1, 12)));
        Assert.Null(series.SeriesDayOn(new DateOnly(2027, 1, 14)));
    }

    [Fact]
    public void A_series_without_ends_runs_one_day_per_post() =>
        Assert.Equal(new DateOnly(2027, 1, 13), Assert.Single(CampaignFileParser.Parse(Edit(Valid, 6, null), File, Languages)).Ends);

    [Fact]
    public void A_series_whose_dates_and_post_count_disagree_is_reported_at_ends() =>
        AssertFails(
            Edit(Valid, 6, "    ends: 2027-01-14"),
            6,
            "campaign 'heritage' runs 4 days (2027-01-11 to 2027-01-14) but has 3 posts in 'series'; one post a day: end it on 2027-01-13 (or leave 'ends' out), or give 4 posts");

    [Fact]
    public void A_series_too_short_for_its_dates_is_reported_too() =>
        AssertFails(Edit(Valid, 6, "    ends: 2027-01-12"), 6, "campaign 'heritage' runs 2 days (2027-01-11 to 2027-01-12) but has 3 posts");

    [Fact]
    public void A_post_missing_a_translation_names_the_day_and_its_line() =>
        AssertFails(
            Edit(Valid, 17, "      - text: { en: \"Rani ki Vav, Patan\" }"),
            17,
            "campaign 'heritage' day 3 has no 'hi' text");

    [Theory]
    [InlineData(3, "    type: serial", 3, "campaign 'heritage' has a bad type 'serial': use 'campaign' (the default) or 'series' (one post a day)")]
    [InlineData(7, "    posts: { en: [\"x\"], hi: [\"y\"] }", 7, "campaign 'heritage' is a series: give one post a day under 'series', not 'posts'")]
    [InlineData(14, "        image: \"http://example.org/konark.jpg\"", 14, "campaign 'heritage' day 1 has a bad 'image' 'http://example.org/konark.jpg': give an https:// link")]
    [InlineData(14, "        picture: \"https://example.org/konark.jpg\"", 14, "campaign 'heritage' day 1 has an unknown key 'picture' (allowed: title, text, points, image)")]
    [InlineData(16, "        text: { en: \"Hampi\", hi: \"हम्पी\", fr: \"Hampi\" }", 16, "campaign 'heritage' day 2 has text in 'fr', which is not one of the bot's languages")]
    [InlineData(13, "        points: { en: [\"Only one\"], hi: [\"एक\", \"दो\"] }", 13, "campaign 'heritage' day 1 has 1 'en' points; give 2 to 4")]
    [InlineData(15, "      - title: { en: \"Hampi\" }", 15, "campaign 'heritage' day 2 has no 'hi' title")]
    public void Each_series_mistake_is_reported_with_its_line(int line, string replacement, int expectedLine, string expected) =>
        AssertFails(Edit(Valid, line, replacement), expectedLine, expected);

    [Theory]
    [InlineData("    series: []", "campaign 'heritage' has no posts in 'series'; give at least 1")]
    [InlineData("    series: \"every day\"", "campaign 'heritage': 'series' should be a list")]
    [InlineData("    serie: []", "campaign 'heritage' has an unknown key 'serie'")]
    public void A_series_needs_a_list_of_posts(string replacement, string expected) =>
        AssertFails(string.Join('\n', Valid.Split('\n')[..9]) + "\n" + replacement, 10, expected);

    [Fact]
    public void A_series_without_its_list_is_reported_at_the_campaign() =>
        AssertFails(string.Join('\n', Valid.Split('\n')[..9]), 2, "campaign 'heritage' is a series but has no 'series' list of posts");

    [Fact]
    public void A_day_without_points_needs_the_campaigns() =>
        AssertFails(Edit(Valid, 9, null), 14, "campaign 'heritage' day 2 has no 'points', and the campaign has none for such days");

    [Fact]
    public void Series_posts_under_a_campaign_that_is_not_a_series_are_reported() =>
        AssertFails(Edit(Valid, 3, null), 9, "campaign 'heritage' has a 'series' list but is not a series; add 'type: series'");

    [Fact]
    public void A_series_post_longer_than_x_allows_is_reported_with_its_length()
    {
        // 264 + space + 15-character hashtag = 280 fits; one more does not.
        var fits = Edit(Valid, 17, $"      - text: {{ en: \"Rani ki Vav\", hi: \"{new string('क', 264)}\" }}");
        var tooLong = Edit(Valid, 17, $"      - text: {{ en: \"Rani ki Vav\", hi: \"{new string('क', 265)}\" }}");

        Assert.Equal(280, CampaignFileParser.XLength(CampaignFileParser.Parse(fits, File, Languages)[0].Series![2].Text["hi"]));
        AssertFails(tooLong, 17, "campaign 'heritage' day 3: 'hi' text is 281 characters with the hashtag; X allows 280");
    }

    [Fact]
    public void A_series_overlapping_a_campaign_is_reported_like_any_overlap()
    {
        const string Jobs = """

              - id: jobs
                hashtag: "#SpeakUpForJobs"
                starts: 2027-01-13
                ends: 2027-01-20
                title: { en: "Jobs", hi: "रोज़गार" }
                points: { en: ["One", "Two"], hi: ["एक", "दो"] }
                posts: { en: ["Post"], hi: ["पोस्ट"] }
            """;

        AssertFails(Valid + Jobs, 18, "campaign 'jobs' (2027-01-13 to 2027-01-20) overlaps campaign 'heritage' (2027-01-11 to 2027-01-13, line 2)");
    }

    [Fact]
    public void The_same_bytes_give_the_same_hash_and_a_byte_order_mark_is_read_but_counted()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Valid);
        byte[] withBom = [.. System.Text.Encoding.UTF8.Preamble, .. bytes];

        var plain = CampaignFileParser.Parse(bytes, File, Languages);
        var bom = CampaignFileParser.Parse(withBom, File, Languages);

        Assert.Equal(CampaignFileParser.Parse(bytes, File, Languages).Hash, plain.Hash);
        Assert.NotEqual(plain.Hash, bom.Hash);
        Assert.Equal(plain.Campaigns[0].Series![1].Text["hi"], bom.Campaigns[0].Series![1].Text["hi"]);
    }

    private static void AssertFails(string yaml, int expectedLine, string expected)
    {
        var error = Assert.Throws<CampaignFileException>(() => CampaignFileParser.Parse(yaml, File, Languages));

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
