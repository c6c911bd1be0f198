using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkiaSharp;
using SkiaSharp.HarfBuzz;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Geography;
using SpeakUp.Core.Localization;

namespace SpeakUp.Charts;

/// <summary>
/// Draws the /stats chart with SkiaSharp: joins per day (bars, 30 days) above, supporters by state (top 10, horizontal
/// bars) below. Text is shaped with HarfBuzz, so Devanagari vowel signs and conjuncts join as they should; labels are in
/// the admin's language when the fonts have every glyph, else in English.
/// </summary>
internal sealed class SkiaStatsChart : IStatsChart, IDisposable
{
    private static readonly SKColor Background = new(0xFF, 0xFF, 0xFF);
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Muted = new(0x75, 0x75, 0x75);
    private static readonly SKColor Grid = new(0xE0, 0xE0, 0xE0);
    private static readonly SKColor Saffron = new(0xF5, 0x7C, 0x00);
    private static readonly SKColor Green = new(0x2E, 0x7D, 0x32);

    private readonly ChartOptions _options;
    private readonly ILocalizer _localizer;
    private readonly ChartFonts _fonts;

    public SkiaStatsChart(IOptions<ChartOptions> options, ILocalizer localizer, ILogger<SkiaStatsChart> logger)
    {
        _options = options.Value;
        _localizer = localizer;
        _fonts = ChartFonts.Load(_options, logger);
    }

    internal ChartFonts Fonts => _fonts;

    /// <summary>The language the labels are drawn in: the one asked for when the fonts can draw its labels, else English.</summary>
    internal string LabelLanguage(string language)
    {
        string[] labels = [_localizer.Plain(language, "admin.chart.joins"), _localizer.Plain(language, "admin.chart.states"), .. IndianStates.All.Select(s => StateName(language, s.Code))];
        return labels.All(l => _fonts.For(l) is not null) ? language : "en";
    }

    public byte[] RenderPng(StatsSnapshot stats, string language)
    {
        ArgumentNullException.ThrowIfNull(stats);
        language = LabelLanguage(language);
        var width = _options.Width;
        var height = _options.Height;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(Background);

        var half = height / 2f;
        DrawJoins(canvas, stats, language, new SKRect(0, 0, width, half));
        DrawStates(canvas, stats, language, new SKRect(0, half, width, height));

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private void DrawJoins(SKCanvas canvas, StatsSnapshot stats, string language, SKRect area)
    {
        const float Margin = 60;
        DrawText(canvas, _localizer.Plain(language, "admin.chart.joins"), area.Left + Margin, area.Top + 50, 30, Ink);
        var plot = new SKRect(area.Left + Margin + 20, area.Top + 80, area.Right - Margin, area.Bottom - 60);
        var max = Math.Max(1, stats.JoinsPerDay.Count == 0 ? 1 : stats.JoinsPerDay.Max(d => d.Count));
        var top = NiceCeiling(max);
        using var gridPaint = new SKPaint { Color = Grid, StrokeWidth = 1, IsAntialias = true };
        for (var i = 0; i <= 4; i++)
        {
            var y = plot.Bottom - (plot.Height * i / 4);
            canvas.DrawLine(plot.Left, y, plot.Right, y, gridPaint);
            DrawText(canvas, (top * i / 4).ToString("N0", CultureInfo.InvariantCulture), plot.Left - 10, y + 7, 18, Muted, SKTextAlign.Right);
        }

        var days = stats.JoinsPerDay;
        if (days.Count == 0)
        {
            return;
        }

        var slot = plot.Width / days.Count;
        using var bar = new SKPaint { Color = Saffron, IsAntialias = true };
        for (var i = 0; i < days.Count; i++)
        {
            var h = plot.Height * days[i].Count / top;
            canvas.DrawRect(plot.Left + (i * slot) + (slot * 0.15f), plot.Bottom - h, slot * 0.7f, h, bar);
            if ((days.Count - 1 - i) % 5 == 0)
            {
                DrawText(canvas, days[i].Day.ToString("dd/MM", CultureInfo.InvariantCulture), plot.Left + (i * slot) + (slot / 2), plot.Bottom + 28, 18, Muted, SKTextAlign.Center);
            }
        }
    }

    private void DrawStates(SKCanvas canvas, StatsSnapshot stats, string language, SKRect area)
    {
        const float Margin = 60;
        DrawText(canvas, _localizer.Plain(language, "admin.chart.states"), area.Left + Margin, area.Top + 50, 30, Ink);
        var states = stats.ByState.Take(10).ToList();
        if (states.Count == 0)
        {
            DrawText(canvas, _localizer.Plain(language, "admin.chart.none"), area.MidX, area.MidY, 24, Muted, SKTextAlign.Center);
            return;
        }

        const float LabelWidth = 320;
        var plot = new SKRect(area.Left + Margin + LabelWidth, area.Top + 80, area.Right - Margin - 80, area.Bottom - 30);
        var rowHeight = plot.Height / 10;
        var max = Math.Max(1, states.Max(s => s.Count));
        using var bar = new SKPaint { Color = Green, IsAntialias = true };
        for (var i = 0; i < states.Count; i++)
        {
            var y = plot.Top + (i * rowHeight);
            var w = plot.Width * states[i].Count / max;
            canvas.DrawRect(plot.Left, y + (rowHeight * 0.15f), Math.Max(2, w), rowHeight * 0.7f, bar);
            DrawText(canvas, StateName(language, states[i].Key), plot.Left - 14, y + (rowHeight / 2) + 8, 22, Ink, SKTextAlign.Right);
            DrawText(canvas, states[i].Count.ToString("N0", CultureInfo.InvariantCulture), plot.Left + Math.Max(2, w) + 10, y + (rowHeight / 2) + 8, 20, Muted);
        }
    }

    /// <summary>Shapes and draws one line of text with the typeface that has its glyphs.</summary>
    private void DrawText(SKCanvas canvas, string text, float x, float y, float size, SKColor color, SKTextAlign align = SKTextAlign.Left)
    {
        var typeface = _fonts.For(text) ?? _fonts.Latin;
        using var font = new SKFont(typeface, size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        using var shaper = new SKShaper(typeface);
        var shaped = shaper.Shape(text, font);
        var dx = align switch
        {
            SKTextAlign.Right => -shaped.Width,
            SKTextAlign.Center => -shaped.Width / 2,
            _ => 0,
        };
        canvas.DrawShapedText(shaper, text, x + dx, y, font, paint);
    }

    private static string StateName(string language, string code) =>
        IndianStates.Find(code) is { } state ? (language == "hi" ? state.Hindi : state.English) : code;

    private static long NiceCeiling(long max)
    {
        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 4, 5, 10 })
        {
            if (step * magnitude >= max && (step * magnitude) % 4 == 0)
            {
                return step * magnitude;
            }
        }

        return Math.Max(4, ((max + 3) / 4) * 4);
    }

    public void Dispose() => _fonts.Dispose();
}
