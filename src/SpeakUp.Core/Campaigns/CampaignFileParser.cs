using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SpeakUp.Core.Campaigns;

/// <summary>
/// Reads the campaign calendar (config/campaigns.yaml). The schema is documented at the top of that file.
/// Every problem is reported as a <see cref="CampaignFileException"/> naming the file, the line and what is wrong;
/// the first problem found stops the parse, so an admin fixes one thing at a time, top to bottom.
/// </summary>
/// <remarks>
/// The representation model (not the object deserializer) is used on purpose: it keeps the line of every node,
/// and it lets unknown keys be reported as typos instead of being silently ignored.
/// </remarks>
public static partial class CampaignFileParser
{
    /// <summary>Campaign ids travel in <c>/start c_&lt;id&gt;</c> deep links (at most 64 of A-Za-z0-9_-).</summary>
    public const int MaxIdLength = 40;

    public const int MaxHashtagLength = 100;

    /// <summary>X's limit, counted the way X counts (see <see cref="XLength"/>).</summary>
    public const int MaxPostLength = 280;

    public const int MinPoints = 2;

    public const int MaxPoints = 4;

    /// <summary>A series runs at most a year, one post a day.</summary>
    public const int MaxSeriesPosts = 366;

    private const string DateFormat = "yyyy-MM-dd";

    private const string TimeFormat = "HH:mm";

    private static readonly string[] CampaignKeys = ["id", "type", "hashtag", "starts", "ends", "post_time", "title", "points", "posts", "series"];

    private static readonly string[] SeriesPostKeys = ["title", "text", "points", "image"];

    /// <summary>Reads and parses a campaign file; a missing or unreadable file is a <see cref="CampaignFileException"/> too.</summary>
    public static IReadOnlyList<Campaign> LoadFile(string path, IReadOnlyCollection<string> languages) =>
        Parse(ReadBytes(path), path, languages).Campaigns;

    /// <summary>The file's bytes; a missing or unreadable file is a <see cref="CampaignFileException"/> (line 0).</summary>
    public static byte[] ReadBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CampaignFileException(path, 0, $"campaign file not found (full path: {Path.GetFullPath(path)})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CampaignFileException(path, 0, $"campaign file cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Parses a file's bytes (UTF-8, with or without a BOM) and hashes them, so a change is recognised by content.</summary>
    public static CampaignFileVersion Parse(ReadOnlySpan<byte> content, string fileName, IReadOnlyCollection<string> languages)
    {
        var preamble = Encoding.UTF8.Preamble;
        var body = content.StartsWith(preamble) ? content[preamble.Length..] : content;
        return new CampaignFileVersion(HashOf(content), Parse(Encoding.UTF8.GetString(body), fileName, languages));
    }

    /// <summary>SHA-256 of the file's bytes, in hex: the same content gives the same hash on every instance.</summary>
    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexString(SHA256.HashData(content));

    /// <summary>Parses and validates a campaign file. The result is sorted by start date.</summary>
    /// <param name="yamlText">The file's content.</param>
    /// <param name="fileName">Used in error messages only.</param>
    /// <param name="languages">The bot's languages (from the locale files); every campaign must have text in each.</param>
    public static IReadOnlyList<Campaign> Parse(string yamlText, string fileName, IReadOnlyCollection<string> languages)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(languages);
        if (languages.Count == 0 || languages.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("At least one language code is needed, and none may be blank.", nameof(languages));
        }

        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yamlText));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            // Some YamlDotNet errors (a tab used as indentation, an unknown alias) carry no position: the scanner's is near enough.
            var line = e.Start.Index > 0 ? LineOf(e.Start) : LineOf(scanner.CurrentPosition);
            throw new CampaignFileException(fileName, line, $"YAML syntax error: {StripYamlPosition(e.Message)}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18 throws this, without a position, for a flow list or mapping that is never closed.
            throw new CampaignFileException(fileName, LineOf(scanner.CurrentPosition), "YAML syntax error: the text could not be read here; is a '[', '{' or quote above left open?", e);
        }

        return new Reader(fileName, [.. languages]).Read(stream);
    }

    /// <summary>
    /// Length of a post as X counts it (twitter-text v3): one per code point in Latin, Devanagari and most other
    /// scripts up to U+10FF and in common punctuation, two for everything else (CJK, emoji), 23 for a link.
    /// Emoji sequences are counted per code point, so the result can only over-estimate.
    /// </summary>
    public static int XLength(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Normalize(NormalizationForm.FormC);
        var length = 0;
        var last = 0;
        foreach (var url in UrlPattern().EnumerateMatches(normalized))
        {
            length += WeightOf(normalized.AsSpan(last, url.Index - last)) + 23;
            last = url.Index + url.Length;
        }

        return length + WeightOf(normalized.AsSpan(last));

        static int WeightOf(ReadOnlySpan<char> span)
        {
            var weight = 0;
            foreach (var rune in span.EnumerateRunes())
            {
                var v = rune.Value;
                var light = v <= 0x10FF || (v >= 0x2000 && v <= 0x200D) || (v >= 0x2010 && v <= 0x201F) || (v >= 0x2032 && v <= 0x2037);
                weight += light ? 1 : 2;
            }

            return weight;
        }
    }

    /// <summary>True when <paramref name="text"/> contains <paramref name="hashtag"/> as a whole hashtag (case-insensitive, as on X).</summary>
    public static bool ContainsHashtag(string text, string hashtag)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(hashtag);
        var from = 0;
        while (from < text.Length)
        {
            var at = text.IndexOf(hashtag, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            var end = at + hashtag.Length;
            if (end == text.Length || !IsHashtagChar(text[end]))
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    private static bool IsHashtagChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'
        || (c >= '\u0900' && c <= '\u097F' && c is not '\u0964' and not '\u0965');

    private static int LineOf(Mark mark) => checked((int)mark.Line);

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 9, Idx: 24): "; the line is reported separately.
    private static string StripYamlPosition(string message) => YamlPositionPrefix().Replace(message, string.Empty);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex YamlPositionPrefix();

    [GeneratedRegex(@"^[a-z0-9_-]{1,40}$")]
    private static partial Regex IdPattern();

    // '#', then Latin or Devanagari letters and signs, digits, '_' (not the danda punctuation U+0964/U+0965).
    [GeneratedRegex(@"^#[A-Za-z0-9_\u0900-\u0963\u0966-\u097F]+$")]
    private static partial Regex HashtagPattern();

    [GeneratedRegex(@"https?://\S+", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    private sealed class Reader(string fileName, string[] languages)
    {
        private readonly Dictionary<string, int> _idLines = new(StringComparer.Ordinal);

        public List<Campaign> Read(YamlStream stream)
        {
            if (stream.Documents.Count == 0)
            {
                throw Fail(1, "the file is empty; it should start with 'campaigns:'");
            }

            if (stream.Documents.Count > 1)
            {
                throw Fail(stream.Documents[1].RootNode, "only one YAML document is allowed; remove the second '---'");
            }

            var root = stream.Documents[0].RootNode as YamlMappingNode
                ?? throw Fail(stream.Documents[0].RootNode, "the file should be a mapping with one key, 'campaigns:'");

            YamlNode? list = null;
            foreach (var (keyNode, value) in root.Children)
            {
                var key = KeyName(keyNode);
                if (key != "campaigns")
                {
                    throw Fail(keyNode, $"unknown top-level key '{key}'; only 'campaigns' is allowed");
                }

                list = value;
            }

            if (list is null)
            {
                throw Fail(root, "no 'campaigns:' list");
            }

            if (list is not YamlSequenceNode sequence)
            {
                throw Fail(list, "'campaigns' should be a list of campaigns, each starting with '- id:'");
            }

            var campaigns = new List<(Campaign Campaign, int Line)>(sequence.Children.Count);
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var node = sequence.Children[i];
                campaigns.Add((ReadCampaign(node, i + 1), LineOf(node.Start)));
            }

            campaigns.Sort((a, b) => a.Campaign.Starts != b.Campaign.Starts
                ? a.Campaign.Starts.CompareTo(b.Campaign.Starts)
                : a.Line.CompareTo(b.Line));

            // Sorted by start, any overlap shows up between neighbours.
            for (var i = 1; i < campaigns.Count; i++)
            {
                var (a, lineA) = campaigns[i - 1];
                var (b, lineB) = campaigns[i];
                if (b.Starts <= a.Ends)
                {
                    var (later, laterLine, earlier, earlierLine) = lineB > lineA ? (b, lineB, a, lineA) : (a, lineA, b, lineB);
                    throw Fail(
                        laterLine,
                        $"campaign '{later.Id}' ({Range(later)}) overlaps campaign '{earlier.Id}' ({Range(earlier)}, line {earlierLine}); only one campaign can run on a day");
                }
            }

            return campaigns.ConvertAll(c => c.Campaign);
        }

        private Campaign ReadCampaign(YamlNode node, int number)
        {
            var map = node as YamlMappingNode
                ?? throw Fail(node, $"campaign #{number} should be a mapping of keys ({string.Join(", ", CampaignKeys)})");

            var fields = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                fields[KeyName(keyNode)] = (keyNode, value);
            }

            // The id first, so every later message can name the campaign.
            var label = $"campaign #{number}";
            var id = Text(fields, map, label, "id");
            if (!IdPattern().IsMatch(id))
            {
                throw Fail(fields["id"].Key, $"{label} has a bad id '{id}': use 1 to {MaxIdLength} of a-z, 0-9, '-' and '_'");
            }

            label = $"campaign '{id}'";
            var idLine = LineOf(fields["id"].Key.Start);
            if (_idLines.TryGetValue(id, out var firstLine))
            {
                throw Fail(idLine, $"campaign id '{id}' is used twice (first at line {firstLine})");
            }

            _idLines.Add(id, idLine);

            foreach (var (name, (keyNode, _)) in fields)
            {
                if (Array.IndexOf(CampaignKeys, name) < 0)
                {
                    throw Fail(keyNode, $"{label} has an unknown key '{name}' (allowed: {string.Join(", ", CampaignKeys)})");
                }
            }

            var hashtag = Text(fields, map, label, "hashtag");
            if (hashtag.Length > MaxHashtagLength || !HashtagPattern().IsMatch(hashtag) || hashtag.Skip(1).All(char.IsAsciiDigit))
            {
                throw Fail(
                    fields["hashtag"].Key,
                    $"{label} has a bad hashtag '{hashtag}': '#' then letters, digits or '_' (no spaces or punctuation, not only digits), at most {MaxHashtagLength} characters");
            }

            var isSeries = IsSeries(fields, label);
            var starts = Date(fields, map, label, "starts");

            // A series may leave out 'ends': it runs one day per post.
            DateOnly? givenEnds = isSeries && !fields.ContainsKey("ends") ? null : Date(fields, map, label, "ends");
            if (givenEnds is { } last && last < starts)
            {
                throw Fail(fields["ends"].Key, $"{label} ends on {Iso(last)}, before it starts on {Iso(starts)}");
            }

            if (isSeries)
            {
                return ReadSeries(fields, map, label, id, hashtag, starts, givenEnds);
            }

            if (fields.TryGetValue("series", out var stray))
            {
                throw Fail(stray.Key, $"{label} has a 'series' list but is not a series; add 'type: series' (and drop 'posts')");
            }

            var ends = givenEnds!.Value;
            return new Campaign
            {
                Id = id,
                Hashtag = hashtag,
                Starts = starts,
                Ends = ends,
                PostTime = PostTime(fields, label),
                Title = PerLanguage(fields, map, label, "title", "title", (lang, value) => SingleText(value, $"{label}: the '{lang}' title")),
                Points = PerLanguage<IReadOnlyList<string>>(fields, map, label, "points", "points", (lang, value) => Points(value, label, lang)),
                Posts = PerLanguage<IReadOnlyList<string>>(fields, map, label, "posts", "posts", (lang, value) => Posts(value, label, lang, hashtag)),
            };
        }

        private bool IsSeries(Dictionary<string, (YamlNode Key, YamlNode Value)> fields, string label)
        {
            if (!fields.TryGetValue("type", out var field))
            {
                return false;
            }

            var type = field.Value is YamlScalarNode scalar ? scalar.Value?.Trim() ?? string.Empty : string.Empty;
            return type switch
            {
                "campaign" => false,
                "series" => true,
                _ => throw Fail(field.Key, $"{label} has a bad type '{type}': use 'campaign' (the default) or 'series' (one post a day)"),
            };
        }

        private Campaign ReadSeries(
            Dictionary<string, (YamlNode Key, YamlNode Value)> fields,
            YamlMappingNode map,
            string label,
            string id,
            string hashtag,
            DateOnly starts,
            DateOnly? givenEnds)
        {
            if (fields.TryGetValue("posts", out var variants))
            {
                throw Fail(variants.Key, $"{label} is a series: give one post a day under 'series', not 'posts'");
            }

            // Read in the file's order (title and points come before the posts), so the first problem reported is the topmost.
            var postTime = PostTime(fields, label);
            var title = PerLanguage(fields, map, label, "title", "title", (lang, value) => SingleText(value, $"{label}: the '{lang}' title"));

            // The campaign's points are optional for a series: they stand in for any day that has none of its own.
            var points = fields.ContainsKey("points")
                ? PerLanguage<IReadOnlyList<string>>(fields, map, label, "points", "points", (lang, value) => Points(value, label, lang))
                : null;

            if (!fields.TryGetValue("series", out var field))
            {
                throw Fail(map, $"{label} is a series but has no 'series' list of posts (one a day)");
            }

            var items = List(field.Value, $"{label}: 'series'");
            if (items.Count == 0)
            {
                throw Fail(field.Key, $"{label} has no posts in 'series'; give at least 1");
            }

            if (items.Count > MaxSeriesPosts)
            {
                throw Fail(field.Key, $"{label} has {items.Count} posts in 'series'; a series runs at most {MaxSeriesPosts} days");
            }

            var posts = new SeriesPost[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                posts[i] = ReadSeriesPost(items[i], $"{label} day {i + 1}", hashtag, points is not null);
            }

            var lastDay = starts.AddDays(posts.Length - 1);
            if (givenEnds is { } ends && ends != lastDay)
            {
                var days = ends.DayNumber - starts.DayNumber + 1;
                throw Fail(
                    fields["ends"].Key,
                    $"{label} runs {days} days ({Iso(starts)} to {Iso(ends)}) but has {posts.Length} posts in 'series'; one post a day: end it on {Iso(lastDay)} (or leave 'ends' out), or give {days} posts");
            }

            return new Campaign
            {
                Id = id,
                Hashtag = hashtag,
                Starts = starts,
                Ends = lastDay,
                PostTime = postTime,
                Title = title,
                Points = points ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal),
                Posts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal),
                Series = posts,
            };
        }

        private SeriesPost ReadSeriesPost(YamlNode node, string label, string hashtag, bool campaignHasPoints)
        {
            var map = node as YamlMappingNode
                ?? throw Fail(node, $"{label} should be a mapping of keys ({string.Join(", ", SeriesPostKeys)})");

            var fields = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var name = KeyName(keyNode);
                if (Array.IndexOf(SeriesPostKeys, name) < 0)
                {
                    throw Fail(keyNode, $"{label} has an unknown key '{name}' (allowed: {string.Join(", ", SeriesPostKeys)})");
                }

                fields[name] = (keyNode, value);
            }

            var title = fields.ContainsKey("title")
                ? PerLanguage(fields, map, label, "title", "title", (lang, value) => SingleText(value, $"{label}: the '{lang}' title"))
                : null;
            var text = PerLanguage(fields, map, label, "text", "text", (lang, value) => PostText(value, $"{label}: '{lang}' text", hashtag));
            var points = fields.ContainsKey("points")
                ? PerLanguage<IReadOnlyList<string>>(fields, map, label, "points", "points", (lang, value) => Points(value, label, lang))
                : null;
            if (points is null && !campaignHasPoints)
            {
                throw Fail(map, $"{label} has no 'points', and the campaign has none for such days; give {MinPoints} to {MaxPoints} per language to the day or to the campaign");
            }

            return new SeriesPost { Title = title, Text = text, Points = points, Image = Image(fields, label) };
        }

        private Uri? Image(Dictionary<string, (YamlNode Key, YamlNode Value)> fields, string label)
        {
            if (!fields.TryGetValue("image", out var field))
            {
                return null;
            }

            var text = field.Value is YamlScalarNode scalar ? scalar.Value?.Trim() ?? string.Empty : string.Empty;
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
                ? uri
                : throw Fail(field.Key, $"{label} has a bad 'image' '{text}': give an https:// link to a picture");
        }

        private string Text(Dictionary<string, (YamlNode Key, YamlNode Value)> fields, YamlMappingNode map, string label, string name)
        {
            if (!fields.TryGetValue(name, out var field))
            {
                throw Fail(map, $"{label} has no '{name}'");
            }

            if (field.Value is not YamlScalarNode scalar)
            {
                throw Fail(field.Key, $"{label}: '{name}' should be a single value, not a list or a mapping");
            }

            var text = scalar.Value?.Trim() ?? string.Empty;
            if (text.Length == 0)
            {
                // An unquoted "#SpeakUp..." is a YAML comment, which leaves the value empty.
                var hint = name == "hashtag" ? " (quote it: an unquoted '#' starts a YAML comment)" : string.Empty;
                throw Fail(field.Key, $"{label} has an empty '{name}'{hint}");
            }

            return text;
        }

        private DateOnly Date(Dictionary<string, (YamlNode Key, YamlNode Value)> fields, YamlMappingNode map, string label, string name)
        {
            var text = Text(fields, map, label, name);
            if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw Fail(fields[name].Key, $"{label} has a bad '{name}' date '{text}': use {DateFormat}, e.g. 2026-11-24");
            }

            return date;
        }

        private TimeOnly? PostTime(Dictionary<string, (YamlNode Key, YamlNode Value)> fields, string label)
        {
            if (!fields.TryGetValue("post_time", out var field))
            {
                return null;
            }

            if (field.Value is not YamlScalarNode scalar)
            {
                throw Fail(field.Key, $"{label}: 'post_time' should be a single value like \"11:00\"");
            }

            var text = scalar.Value?.Trim() ?? string.Empty;
            if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && text is "" or "~" or "null")
            {
                return null;
            }

            if (!TimeOnly.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                throw Fail(field.Key, $"{label} has a bad 'post_time' '{text}': use HH:mm, e.g. \"11:00\"");
            }

            return time;
        }

        private Dictionary<string, T> PerLanguage<T>(
            Dictionary<string, (YamlNode Key, YamlNode Value)> fields,
            YamlMappingNode map,
            string label,
            string name,
            string noun,
            Func<string, YamlNode, T> read)
        {
            if (!fields.TryGetValue(name, out var field))
            {
                throw Fail(map, $"{label} has no '{name}'");
            }

            if (field.Value is not YamlMappingNode perLanguage)
            {
                throw Fail(field.Key, $"{label}: '{name}' should map each language to its text ({string.Join(", ", languages.Select(l => l + ": ..."))})");
            }

            var found = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in perLanguage.Children)
            {
                var lang = KeyName(keyNode);
                if (Array.IndexOf(languages, lang) < 0)
                {
                    throw Fail(keyNode, $"{label} has {noun} in '{lang}', which is not one of the bot's languages ({string.Join(", ", languages)})");
                }

                found[lang] = value;
            }

            var result = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var lang in languages)
            {
                if (!found.TryGetValue(lang, out var value))
                {
                    throw Fail(field.Key, $"{label} has no '{lang}' {noun}");
                }

                result[lang] = read(lang, value);
            }

            return result;
        }

        private string[] Points(YamlNode node, string label, string lang)
        {
            var items = List(node, $"{label}: the '{lang}' points");
            if (items.Count is < MinPoints or > MaxPoints)
            {
                throw Fail(node, $"{label} has {items.Count} '{lang}' points; give {MinPoints} to {MaxPoints}");
            }

            return [.. items.Select((item, i) => SingleText(item, $"{label}: '{lang}' point {i + 1}"))];
        }

        private string[] Posts(YamlNode node, string label, string lang, string hashtag)
        {
            var items = List(node, $"{label}: the '{lang}' posts");
            if (items.Count == 0)
            {
                throw Fail(node, $"{label} has no '{lang}' posts; give at least 1");
            }

            var posts = new string[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                posts[i] = PostText(items[i], $"{label}: '{lang}' post {i + 1}", hashtag);
            }

            return posts;
        }

        /// <summary>A ready-to-post text: the hashtag appended when missing, at most <see cref="MaxPostLength"/> as X counts.</summary>
        private string PostText(YamlNode node, string what, string hashtag)
        {
            var text = SingleText(node, what);
            if (!ContainsHashtag(text, hashtag))
            {
                text = $"{text} {hashtag}";
            }

            var length = XLength(text);
            return length <= MaxPostLength
                ? text
                : throw Fail(node, $"{what} is {length} characters with the hashtag; X allows {MaxPostLength}");
        }

        private IList<YamlNode> List(YamlNode node, string what) =>
            node is YamlSequenceNode sequence
                ? sequence.Children
                : throw Fail(node, $"{what} should be a list ('- ...' lines)");

        private string SingleText(YamlNode node, string what)
        {
            if (node is not YamlScalarNode scalar)
            {
                throw Fail(node, $"{what} should be text, not a list or a mapping");
            }

            var text = scalar.Value?.Trim() ?? string.Empty;
            return text.Length > 0 ? text : throw Fail(node, $"{what} is empty");
        }

        private string KeyName(YamlNode key) =>
            key is YamlScalarNode { Value: { Length: > 0 } name }
                ? name
                : throw Fail(key, "a key should be a plain name");

        private static string Range(Campaign c) => $"{Iso(c.Starts)} to {Iso(c.Ends)}";

        private static string Iso(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

        private CampaignFileException Fail(YamlNode node, string problem) => Fail(LineOf(node.Start), problem);

        private CampaignFileException Fail(int line, string problem) => new(fileName, line, problem);
    }
}
