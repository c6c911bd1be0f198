using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace SpeakUp.Charts;

/// <summary>
/// Finds the chart's typefaces at run time: a Devanagari-capable one (configured path, then the usual Debian and other
/// locations) and a Latin one. A typeface counts only if it really has the glyphs, checked with a Hindi sample.
/// </summary>
internal sealed partial class ChartFonts : IDisposable
{
    /// <summary>Letters, vowel signs, a conjunct, nukta and digits that the chart's Hindi labels use.</summary>
    public const string DevanagariSample = "आँकड़े समर्थक राज्य हर दिन जुड़े लोग पिछले राजस्थान उत्तर प्रदेश महाराष्ट्र 0123456789";

    internal static readonly string[] DevanagariCandidates =
    [
        "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
        "/usr/share/fonts/opentype/noto/NotoSansDevanagari-Regular.ttf",
        "/usr/share/fonts/noto/NotoSansDevanagari-Regular.ttf",
        "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
        "/System/Library/Fonts/Supplemental/DevanagariMT.ttc",
        "C:\\Windows\\Fonts\\Nirmala.ttf",
        "C:\\Windows\\Fonts\\mangal.ttf",
    ];

    internal static readonly string[] LatinCandidates =
    [
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
    ];

    private ChartFonts(SKTypeface? devanagari, string? devanagariPath, SKTypeface latin)
    {
        Devanagari = devanagari;
        DevanagariPath = devanagariPath;
        Latin = latin;
    }

    /// <summary>A typeface with every glyph of <see cref="DevanagariSample"/>, or null when none was found.</summary>
    public SKTypeface? Devanagari { get; }

    public string? DevanagariPath { get; }

    public SKTypeface Latin { get; }

    public static ChartFonts Load(ChartOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        SKTypeface? devanagari = null;
        string? devanagariPath = null;
        foreach (var path in Candidates(options.FontPath, options.SearchSystemFonts ? DevanagariCandidates : []))
        {
            var typeface = TryLoad(path);
            if (typeface is not null && Covers(typeface, DevanagariSample))
            {
                (devanagari, devanagariPath) = (typeface, path);
                break;
            }

            if (typeface is not null && path == options.FontPath)
            {
                LogNoGlyphs(logger, path);
            }

            typeface?.Dispose();
        }

        if (devanagari is null)
        {
            LogNoDevanagari(logger, string.IsNullOrEmpty(options.FontPath) ? "(not set)" : options.FontPath);
        }

        var latin = Candidates(options.LatinFontPath, options.SearchSystemFonts ? LatinCandidates : []).Select(TryLoad).FirstOrDefault(t => t is not null && Covers(t, "Supporters 0123456789"))
            ?? devanagari
            ?? SKTypeface.Default;
        return new ChartFonts(devanagari, devanagariPath, latin);
    }

    /// <summary>True when the typeface has a glyph for every character of <paramref name="text"/> (spaces aside).</summary>
    public static bool Covers(SKTypeface typeface, string text)
    {
        ArgumentNullException.ThrowIfNull(typeface);
        ArgumentNullException.ThrowIfNull(text);
        var glyphs = typeface.GetGlyphs(text.Replace(" ", string.Empty, StringComparison.Ordinal));
        return glyphs.Length > 0 && glyphs.All(g => g != 0);
    }

    /// <summary>The typeface to draw <paramref name="text"/> with, or null when neither has all its glyphs.</summary>
    public SKTypeface? For(string text) =>
        Covers(Latin, text) ? Latin : Devanagari is { } d && Covers(d, text) ? d : null;

    private static string[] Candidates(string configured, string[] defaults) =>
        string.IsNullOrWhiteSpace(configured) ? defaults : [configured, .. defaults];

    private static SKTypeface? TryLoad(string path) => File.Exists(path) ? SKTypeface.FromFile(path) : null;

    public void Dispose()
    {
        Devanagari?.Dispose();
        if (!ReferenceEquals(Latin, Devanagari))
        {
            Latin.Dispose();
        }
    }

    [LoggerMessage(EventId = 700, EventName = "ChartFontMissing", Level = LogLevel.Warning, Message = "No Devanagari-capable font found (Charts:FontPath {Configured}; install fonts-noto-core): charts use English labels")]
    private static partial void LogNoDevanagari(ILogger logger, string configured);

    [LoggerMessage(EventId = 701, EventName = "ChartFontLacksGlyphs", Level = LogLevel.Warning, Message = "Charts:FontPath {Path} lacks Devanagari glyphs; looking elsewhere")]
    private static partial void LogNoGlyphs(ILogger logger, string path);
}
