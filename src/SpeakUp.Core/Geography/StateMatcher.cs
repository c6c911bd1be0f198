using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SpeakUp.Core.Geography;

/// <summary>
/// Turns what a supporter types ("rajsthan", "राजस्थान", "J&amp;K", "Orissa", "यूपी") into a state code.
/// </summary>
/// <remarks>
/// Both sides are reduced to a key first: Unicode-decomposed, lower-cased, Latin accents and the Devanagari nukta
/// dropped, chandrabindu read as anusvara, a nasal half-letter before a consonant read as anusvara (झारखण्ड = झारखंड),
/// and everything but letters and vowel signs removed, along with the words "and"/"और"/"एवं".
/// An exact key or alias wins; otherwise a typo is forgiven by Damerau–Levenshtein distance (1 for keys of 5–8
/// characters, 2 for longer ones, none for shorter), and only when a single state is nearest.
/// Cities are deliberately not aliases: a city is not a state choice.
/// </remarks>
public static partial class StateMatcher
{
    /// <summary>Longer input is not a state name; it is rejected before any work.</summary>
    public const int MaxInputLength = 64;

    // Common spellings, old names, short forms and parts of long names. The official English and Hindi names and the
    // codes (except AS and AN, which are English words) are added automatically.
    private static readonly (string Code, string[] Aliases)[] ExtraAliases =
    [
        ("AP", ["Andhra", "आंध्र", "एपी"]),
        ("AR", ["Arunachal", "अरुणाचल"]),
        ("AS", ["Asom", "आसाम"]),
        ("CG", ["Chattisgarh", "Chhatisgarh", "Chatisgarh", "Chhattisgadh", "Chattisgadh", "छतीसगढ़"]),
        ("GA", ["गोआ"]),
        ("GJ", ["Gujrat", "गुजरात"]),
        ("HR", ["Hariyana", "हरयाणा"]),
        ("HP", ["Himachal", "हिमाचल", "एचपी"]),
        ("JH", ["Jharkand", "झारखण्ड"]),
        ("KA", ["Karnatak", "कर्नाटका"]),
        ("KL", ["Kerela", "Keralam", "केरला", "केरलम"]),
        ("MP", ["एमपी"]),
        ("MH", ["Maharastra", "महाराष्ट्रा"]),
        ("NL", ["नागालैंड"]),
        ("OD", ["Orissa", "Odisa", "Odissa", "उड़ीसा", "ओडिसा", "ओड़िशा"]),
        ("PB", ["Panjab"]),
        ("RJ", ["Rajsthan", "राजस्थान", "राजसथान"]),
        ("TN", ["Tamilnadu", "Tamizh Nadu", "तमिलनाडू"]),
        ("TG", ["TS", "Telengana", "तेलंगना"]),
        ("UP", ["यूपी", "Utter Pradesh"]),
        ("UK", ["Uttaranchal", "Uttrakhand", "उत्तरांचल", "उतराखंड"]),
        ("WB", ["Bengal", "Paschim Banga", "Paschimbanga", "बंगाल", "पश्चिमी बंगाल"]),
        ("AN", ["Andaman", "Nicobar", "Andaman Nicobar", "Andaman and Nicobar", "अंडमान", "निकोबार", "अंडमान निकोबार"]),
        ("DH", ["DD", "DN", "DNH", "Daman", "Diu", "Daman and Diu", "Dadra", "Dadra and Nagar Haveli", "Nagar Haveli", "दमन", "दीव", "दमन दीव", "दादरा", "दादरा नगर हवेली"]),
        ("DL", ["Delhi NCR", "New Delhi", "NCR", "NCT", "NCT of Delhi", "Dilli", "नई दिल्ली", "दिल्ली एनसीआर", "एनसीआर"]),
        ("JK", ["J&K", "Jammu", "Kashmir", "Jammu Kashmir", "जम्मू", "कश्मीर", "जम्मू कश्मीर", "जे एंड के"]),
        ("LA", ["Ladak", "Laddakh", "लदाख"]),
        ("LD", ["Lakshdweep", "Lakshadeep"]),
        ("PY", ["Pondicherry", "Pondichery", "Pondy", "Puducheri", "पांडिचेरी", "पॉन्डिचेरी", "पुदुचेरी", "पुदुच्चेरी"]),
    ];

    private static readonly string[] CodesThatAreWords = ["AS", "AN"];

    private static readonly string[] Connectors = ["and", "और", "एवं"];

    private static readonly FrozenDictionary<string, string> ExactKeys = BuildKeys();

    private static readonly (string Key, string Code)[] FuzzyKeys =
        [.. ExactKeys.Where(k => k.Key.Length >= 5).Select(k => (k.Key, k.Value))];

    /// <summary>The code of the state or union territory the input names (see <see cref="IndianStates"/>), or null if none or more than one fits.</summary>
    public static string? Match(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return null;
        }

        var key = Key(input);
        if (key.Length == 0)
        {
            return null;
        }

        if (ExactKeys.TryGetValue(key, out var exact))
        {
            return exact;
        }

        var allowed = key.Length switch
        {
            < 5 => 0,
            <= 8 => 1,
            _ => 2,
        };
        if (allowed == 0)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        var ambiguous = false;
        foreach (var (candidate, code) in FuzzyKeys)
        {
            if (Math.Abs(candidate.Length - key.Length) > allowed)
            {
                continue;
            }

            var distance = Distance(key, candidate, allowed);
            if (distance > allowed || distance > bestDistance)
            {
                continue;
            }

            if (distance < bestDistance)
            {
                (best, bestDistance, ambiguous) = (code, distance, false);
            }
            else if (code != best)
            {
                ambiguous = true;
            }
        }

        return ambiguous ? null : best;
    }

    /// <summary>The comparison key of a name or an input; exposed for tests.</summary>
    internal static string Key(string text) => Key(text, dropConnectors: true);

    private static string Concatenated(string name) => Key(name, dropConnectors: false);

    private static string Key(string text, bool dropConnectors)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        var token = new StringBuilder();
        foreach (var raw in decomposed)
        {
            var c = raw;
            if (c is '\u093C' or '\u200C' or '\u200D' || c is >= '\u0300' and <= '\u036F')
            {
                continue; // nukta, zero-width (non-)joiner, Latin accents
            }

            if (c == '\u0901')
            {
                c = '\u0902'; // chandrabindu → anusvara
            }

            var category = char.GetUnicodeCategory(c);
            if (char.IsLetter(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                token.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Flush(key, token, dropConnectors);
            }
        }

        Flush(key, token, dropConnectors);
        return NasalBeforeConsonant().Replace(key.ToString(), "\u0902");

        static void Flush(StringBuilder key, StringBuilder token, bool dropConnectors)
        {
            if (token.Length > 0 && !(dropConnectors && Array.IndexOf(Connectors, token.ToString()) >= 0))
            {
                key.Append(token);
            }

            token.Clear();
        }
    }

    // ङ् ञ् ण् न् म् before a consonant is written ं by most people.
    [GeneratedRegex("[\u0919\u091E\u0923\u0928\u092E]\u094D(?=[\u0915-\u0939])")]
    private static partial Regex NasalBeforeConsonant();

    private static FrozenDictionary<string, string> BuildKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var state in IndianStates.All)
        {
            Add(state.English, state.Code);
            Add(state.Hindi, state.Code);

            // "jammuandkashmir", typed without spaces, keeps its "and".
            keys.TryAdd(Concatenated(state.English), state.Code);
            keys.TryAdd(Concatenated(state.Hindi), state.Code);
            if (Array.IndexOf(CodesThatAreWords, state.Code) < 0)
            {
                Add(state.Code, state.Code);
            }
        }

        foreach (var (code, aliases) in ExtraAliases)
        {
            foreach (var alias in aliases)
            {
                Add(alias, code);
            }
        }

        return keys.ToFrozenDictionary(StringComparer.Ordinal);

        void Add(string name, string code)
        {
            var key = Key(name);
            if (keys.TryGetValue(key, out var existing) && existing != code)
            {
                throw new InvalidOperationException($"State alias '{name}' is claimed by both {existing} and {code}.");
            }

            keys[key] = code;
        }
    }

    /// <summary>Optimal-string-alignment distance (Damerau–Levenshtein with adjacent swaps), giving up above <paramref name="limit"/>.</summary>
    private static int Distance(string a, string b, int limit)
    {
        // Three rows: two back (for swaps), previous, current. Inputs are capped at 64 characters.
        Span<int> rows = stackalloc int[3 * (b.Length + 1)];
        var twoBack = rows[..(b.Length + 1)];
        var previous = rows.Slice(b.Length + 1, b.Length + 1);
        var current = rows.Slice(2 * (b.Length + 1), b.Length + 1);
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, twoBack[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            var recycled = twoBack;
            twoBack = previous;
            previous = current;
            current = recycled;
        }

        return previous[b.Length];
    }
}
