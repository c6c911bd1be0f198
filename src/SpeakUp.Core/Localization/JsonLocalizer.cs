using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Localization;

/// <summary>
/// Loads one JSON file per language (a flat object of key → template) and checks at start that every language
/// has every key the default language has, so a missing translation stops the host instead of reaching a supporter.
/// </summary>
public sealed class JsonLocalizer : ILocalizer
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, Template>> _catalogs;

    public JsonLocalizer(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> catalogs, string defaultLanguage)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        if (!catalogs.ContainsKey(defaultLanguage))
        {
            throw new LocalizationException($"Bot:DefaultLanguage '{defaultLanguage}' has no locale file (have: {string.Join(", ", catalogs.Keys.Order(StringComparer.Ordinal))}).");
        }

        var reference = catalogs[defaultLanguage];
        var problems = new List<string>();
        foreach (var (language, catalog) in catalogs)
        {
            foreach (var key in reference.Keys.Except(catalog.Keys).Order(StringComparer.Ordinal))
            {
                problems.Add($"locale '{language}' lacks key '{key}'");
            }

            foreach (var key in catalog.Keys.Except(reference.Keys).Order(StringComparer.Ordinal))
            {
                problems.Add($"locale '{language}' has key '{key}' that '{defaultLanguage}' lacks");
            }

            foreach (var (key, value) in catalog)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"locale '{language}' key '{key}' is empty");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new LocalizationException("Locales are incomplete: " + string.Join("; ", problems));
        }

        DefaultLanguage = defaultLanguage;
        _catalogs = catalogs.ToFrozenDictionary(
            c => c.Key,
            c => c.Value.ToFrozenDictionary(e => e.Key, e => Template.Parse(c.Key, e.Key, e.Value), StringComparer.Ordinal),
            StringComparer.Ordinal);
        Languages = [defaultLanguage, .. catalogs.Keys.Where(l => l != defaultLanguage).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Languages { get; }

    public string DefaultLanguage { get; }

    public bool Supports(string? language) => language is not null && _catalogs.ContainsKey(language);

    /// <summary>
    /// Reads every <c>*.json</c> in a folder. The language is the file name up to the first dot, so a language can be split
    /// by feature (<c>hi.json</c>, <c>hi.submissions.json</c>…); a key defined twice for one language is an error.
    /// </summary>
    public static JsonLocalizer FromDirectory(string directory, string defaultLanguage)
    {
        if (!Directory.Exists(directory))
        {
            throw new LocalizationException($"Locale folder '{directory}' does not exist.");
        }

        var catalogs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var language = name[..name.IndexOf('.', StringComparison.Ordinal)];
            Dictionary<string, string> entries;
            try
            {
                entries = JsonSerializer.Deserialize(File.ReadAllBytes(file), LocaleJsonContext.Default.DictionaryStringString)
                    ?? throw new LocalizationException($"{file}: the file is empty.");
            }
            catch (JsonException ex)
            {
                throw new LocalizationException($"{file}:{(ex.LineNumber ?? 0) + 1}: {ex.Message}", ex);
            }

            if (!catalogs.TryGetValue(language, out var catalog))
            {
                catalogs[language] = catalog = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            foreach (var (key, value) in entries)
            {
                if (!catalog.TryAdd(key, value))
                {
                    throw new LocalizationException($"{file}: key '{key}' is already defined for '{language}' in another file.");
                }
            }
        }

        return new JsonLocalizer(catalogs.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, string>)c.Value, StringComparer.Ordinal), defaultLanguage);
    }

    public MessageText Format(string language, string key, params ReadOnlySpan<(string Name, string Value)> values)
    {
        var template = Find(language, key);
        var spans = new List<TextSpan>(template.Tokens.Length);
        foreach (var token in template.Tokens)
        {
            var text = token.IsPlaceholder ? Lookup(template, token.Text, values) : token.Text;
            if (text.Length > 0)
            {
                spans.Add(new TextSpan(text, token.Style));
            }
        }

        return new MessageText(spans);
    }

    public string Plain(string language, string key, params ReadOnlySpan<(string Name, string Value)> values)
    {
        var template = Find(language, key);
        var sb = new StringBuilder();
        foreach (var token in template.Tokens)
        {
            sb.Append(token.IsPlaceholder ? Lookup(template, token.Text, values) : token.Text);
        }

        return sb.ToString();
    }

    /// <summary>The culture a language formats dates in, from its "format.culture" key.</summary>
    public CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(Plain(language, "format.culture"));

    private Template Find(string language, string key)
    {
        if (!_catalogs.TryGetValue(language, out var catalog))
        {
            catalog = _catalogs[DefaultLanguage];
        }

        return catalog.TryGetValue(key, out var template)
            ? template
            : throw new KeyNotFoundException($"No locale key '{key}'.");
    }

    private static string Lookup(Template template, string name, ReadOnlySpan<(string Name, string Value)> values)
    {
        foreach (var (n, v) in values)
        {
            if (n == name)
            {
                return v;
            }
        }

        throw new InvalidOperationException($"Locale key '{template.Key}' ({template.Language}) needs a value for '{{{name}}}'.");
    }

    private readonly record struct Token(string Text, bool IsPlaceholder, SpanStyle Style);

    /// <summary>A template parsed once: literal runs and placeholders, each with its style (*bold*).</summary>
    private sealed record Template(string Language, string Key, Token[] Tokens)
    {
        public static Template Parse(string language, string key, string text)
        {
            var tokens = new List<Token>();
            var style = SpanStyle.Plain;
            var literal = new StringBuilder();
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '*')
                {
                    Flush();
                    style = style == SpanStyle.Bold ? SpanStyle.Plain : SpanStyle.Bold;
                }
                else if (c == '{')
                {
                    var end = text.IndexOf('}', i + 1);
                    if (end < 0)
                    {
                        throw new LocalizationException($"locale '{language}' key '{key}': '{{' without '}}'.");
                    }

                    Flush();
                    tokens.Add(new Token(text[(i + 1)..end], true, style));
                    i = end;
                }
                else
                {
                    literal.Append(c);
                }
            }

            Flush();
            if (style != SpanStyle.Plain)
            {
                throw new LocalizationException($"locale '{language}' key '{key}': unbalanced '*'.");
            }

            return new Template(language, key, [.. tokens]);

            void Flush()
            {
                if (literal.Length > 0)
                {
                    tokens.Add(new Token(literal.ToString(), false, style));
                    literal.Clear();
                }
            }
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
internal sealed partial class LocaleJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

public sealed class LocalizationException : Exception
{
    public LocalizationException()
    {
    }

    public LocalizationException(string message)
        : base(message)
    {
    }

    public LocalizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
