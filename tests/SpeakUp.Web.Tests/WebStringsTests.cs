using SpeakUp.Core.Localization;
using SpeakUp.Web.Tests.Support;

namespace SpeakUp.Web.Tests;

public sealed class WebStringsTests
{
    private static readonly JsonLocalizer Locales = JsonLocalizer.FromDirectory(Path.Combine(RepoPaths.Root, "config", "locales"), "hi");

    [Theory]
    [InlineData("hi")]
    [InlineData("en")]
    public void Every_page_label_exists_with_its_values_filled_in(string language)
    {
        var strings = WebStrings.ForPage(Locales, language, new WebChatOptions());

        Assert.Equal(WebStrings.PageKeys.Count, strings.Count);
        Assert.All(strings.Values, s => Assert.False(string.IsNullOrWhiteSpace(s)));
        Assert.All(strings.Values, s => Assert.DoesNotContain('{', s));
        Assert.Contains("4096", strings[WebStrings.TooLong], StringComparison.Ordinal);
        Assert.Contains("20 MB", strings[WebStrings.FileTooBig], StringComparison.Ordinal);
    }

    [Fact]
    public void Hindi_labels_are_written_in_devanagari()
    {
        var strings = WebStrings.ForPage(Locales, "hi", new WebChatOptions());

        Assert.All(strings, s => Assert.True(s.Value.Any(c => c is >= '\u0900' and <= '\u097F'), s.Key + ": " + s.Value));
        Assert.Equal("कृपया थोड़ा रुककर भेजें। आप बहुत जल्दी-जल्दी संदेश भेज रहे हैं, एक मिनट बाद फिर भेजें।", strings[WebStrings.SlowDown]);
    }
}
