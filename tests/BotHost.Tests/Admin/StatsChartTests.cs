using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkiaSharp;
using SpeakUp.Charts;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Localization;
using SpeakUp.Testing;

namespace BotHost.Tests.Admin;

public sealed class StatsChartTests
{
    private const string NotoDevanagari = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf";
    private const string NotoLatin = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";

    private static readonly ILocalizer Localizer = JsonLocalizer.FromDirectory(Path.Combine(RepoPaths.Root, "config", "locales"), "hi");

    private static readonly StatsSnapshot Sample = new(
        new DateOnly(2026, 11, 26),
        12_480,
        11_020,
        310,
        [.. Enumerable.Range(0, 30).Select(i => new DayCount(new DateOnly(2026, 10, 28).AddDays(i), 120 + (i * 37 % 260) + (i > 24 ? 400 : 0)))],
        [new("RJ", 4210), new("UP", 2980), new("BR", 1460), new("MH", 1120), new("DL", 840), new("MP", 700), new("HR", 410), new("JH", 330), new("CG", 240), new("UK", 170)],
        [new("hi", 9800), new("en", 2680)]);

    [SkippableFact]
    public void Chart_is_a_png_of_the_configured_size_with_hindi_labels_in_a_font_that_has_the_glyphs()
    {
        Skip.IfNot(File.Exists(NotoDevanagari) || IsCi, "fonts-noto-core is not installed");
        var logs = new ListLogger();
        using var chart = Chart(new ChartOptions(), logs);

        var png = chart.RenderPng(Sample, "hi");

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((1200, 900), (bitmap.Width, bitmap.Height));
        Assert.NotNull(chart.Fonts.Devanagari);
        Assert.Equal("hi", chart.LabelLanguage("hi"));
        foreach (var label in new[] { Localizer.Plain("hi", "admin.chart.joins"), Localizer.Plain("hi", "admin.chart.states"), "राजस्थान", "उत्तर प्रदेश", "छत्तीसगढ़" })
        {
            Assert.True(ChartFonts.Covers(chart.Fonts.Devanagari!, label), label);
        }

        Assert.Empty(logs.Warnings);
        if (Environment.GetEnvironmentVariable("SPEAKUP_UPDATE_DOCS") == "1")
        {
            File.WriteAllBytes(Path.Combine(RepoPaths.Root, "docs", "stats-chart.png"), png);
        }
    }

    [SkippableFact]
    public void Without_a_devanagari_font_the_chart_falls_back_to_english_labels_with_a_warning()
    {
        Skip.IfNot(File.Exists(NotoLatin) || IsCi, "fonts-noto-core is not installed");
        var logs = new ListLogger();
        using var chart = Chart(new ChartOptions { FontPath = NotoLatin, LatinFontPath = NotoLatin, SearchSystemFonts = false }, logs);

        var png = chart.RenderPng(Sample, "hi");

        Assert.Null(chart.Fonts.Devanagari);
        Assert.Equal("en", chart.LabelLanguage("hi"));
        Assert.NotNull(SKBitmap.Decode(png));
        Assert.Contains(logs.Warnings, w => w.Contains("Devanagari", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_latin_only_font_does_not_count_as_covering_hindi()
    {
        Skip.IfNot(File.Exists(NotoLatin));
        using var latin = SKTypeface.FromFile(NotoLatin);

        Assert.True(ChartFonts.Covers(latin, "Rajasthan 2026"));
        Assert.False(ChartFonts.Covers(latin, "राजस्थान"));
    }

    private static bool IsCi => Environment.GetEnvironmentVariable("CI") == "true";

    private static SkiaStatsChart Chart(ChartOptions options, ListLogger logs) =>
        new(Options.Create(options), Localizer, new ListLoggerOf<SkiaStatsChart>(logs));

    internal sealed class ListLogger
    {
        public List<string> Warnings { get; } = [];
    }

    private sealed class ListLoggerOf<T>(ListLogger sink) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                lock (sink.Warnings)
                {
                    sink.Warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
