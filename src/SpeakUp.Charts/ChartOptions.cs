namespace SpeakUp.Charts;

/// <summary>Settings of the /stats chart (section "Charts").</summary>
public sealed class ChartOptions
{
    public const string Section = "Charts";

    /// <summary>
    /// A font file that can draw Devanagari (and digits). Empty = look in the usual places (Debian's fonts-noto-core:
    /// /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf). None found: labels in English, with a warning.
    /// </summary>
    public string FontPath { get; set; } = "";

    /// <summary>A font file for Latin text (English labels, dates). Empty = look in the usual places.</summary>
    public string LatinFontPath { get; set; } = "";

    /// <summary>Also look in the usual font folders when <see cref="FontPath"/> is empty or unusable.</summary>
    public bool SearchSystemFonts { get; set; } = true;

    public int Width { get; set; } = 1200;

    public int Height { get; set; } = 900;
}
