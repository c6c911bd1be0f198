using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Localization;

public sealed class JsonLocalizerTests
{
    private static Dictionary<string, IReadOnlyDictionary<string, string>> Catalogs(params (string Lang, string Key, string Value)[] entries) =>
        entries.GroupBy(e => e.Lang).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(e => e.Key, e => e.Value));

    [Fact]
    public void The_shipped_locales_are_complete_in_hindi_and_english()
    {
        var localizer = JsonLocalizer.FromDirectory(RepoPaths.Locales, "hi");

        Assert.Equal(["hi", "en"], localizer.Languages);
    }

    [Fact]
    public void Hindi_texts_are_written_in_devanagari()
    {
        var hi = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(RepoPaths.Locales, "hi.json")))!;
        var machineKeys = new[] { "format.", "answers.", "language.names", "help.line", "today.point", "today.title" };

        var untranslated = hi.Where(e => !machineKeys.Any(k => e.Key.StartsWith(k, StringComparison.Ordinal)))
            .Where(e => !e.Value.Any(c => c is >= '\u0900' and <= '\u097F'))
            .Select(e => e.Key)
            .ToList();

        Assert.Empty(untranslated);
    }

    [Fact]
    public void A_missing_key_in_one_language_stops_loading_and_names_it()
    {
        var ex = Assert.Throws<LocalizationException>(() => new JsonLocalizer(Catalogs(("en", "a", "A"), ("en", "b", "B"), ("hi", "a", "अ")), "en"));

        Assert.Contains("locale 'hi' lacks key 'b'", ex.Message);
    }

    [Fact]
    public void An_unknown_default_language_is_refused()
    {
        var ex = Assert.Throws<LocalizationException>(() => new JsonLocalizer(Catalogs(("en", "a", "A")), "fr"));

        Assert.Contains("Bot:DefaultLanguage 'fr'", ex.Message);
    }

    [Fact]
    public void Markup_comes_from_the_template_and_values_stay_plain()
    {
        var localizer = new JsonLocalizer(Catalogs(("en", "k", "Hello *{name}*, see {tag}")), "en");

        var text = localizer.Format("en", "k", ("name", "*<i>Sunita</i>*"), ("tag", "#x"));

        Assert.Equal(
            [new TextSpan("Hello "), new TextSpan("*<i>Sunita</i>*", SpanStyle.Bold), new TextSpan(", see "), new TextSpan("#x")],
            text.Spans);
    }

    [Theory]
    [InlineData("unbalanced *bold")]
    [InlineData("open {placeholder")]
    public void Broken_templates_are_refused_at_load(string template)
    {
        Assert.Throws<LocalizationException>(() => new JsonLocalizer(Catalogs(("en", "k", template)), "en"));
    }
}
