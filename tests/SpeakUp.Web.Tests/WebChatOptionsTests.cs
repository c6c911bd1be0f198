using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SpeakUp.Web.Tests;

public sealed class WebChatOptionsTests
{
    [Theory]
    [InlineData("https://campaign.example.org", true)]
    [InlineData("http://localhost:3000", true)]
    [InlineData("https://campaign.example.org/", false)]
    [InlineData("https://campaign.example.org/chat", false)]
    [InlineData("https://*.example.org", false)]
    [InlineData("campaign.example.org", false)]
    [InlineData("ftp://campaign.example.org", false)]
    [InlineData("https://a.example.org 'unsafe-inline'", false)]
    [InlineData("", false)]
    public void Allowed_origin_must_be_a_bare_origin(string origin, bool valid)
    {
        var options = new WebChatOptions();
        options.AllowedOrigins.Add(origin);

        var result = new WebChatOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Web:AllowedOrigins", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("HistoryLimit", "5")]
    [InlineData("MaxMessageLength", "5000")]
    [InlineData("MaxMessageLength", "0")]
    [InlineData("MessagesPerMinute", "0")]
    [InlineData("MaxUploadBytes", "10")]
    [InlineData("HeartbeatSeconds", "0")]
    public void Out_of_range_setting_stops_the_host_naming_its_key(string key, string value)
    {
        var services = Services(new() { ["Web:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WebChatOptions>>().Value);

        Assert.Contains("Web:" + key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        var options = Services([]).GetRequiredService<IOptions<WebChatOptions>>().Value;

        Assert.True(options.Enabled);
        Assert.Equal(4096, options.MaxMessageLength);
        Assert.Equal(200, options.HistoryLimit);
        Assert.Equal(20, options.MessagesPerMinute);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("123:abc", null, false)]
    [InlineData("123:abc", "true", true)]
    [InlineData(null, "false", false)]
    public void Simulator_is_on_by_default_only_without_a_bot_token(string? token, string? simulator, bool expected)
    {
        var options = Services(new() { ["Telegram:BotToken"] = token, ["Web:Simulator"] = simulator }).GetRequiredService<IOptions<WebChatOptions>>().Value;

        Assert.Equal(expected, options.Simulator);
    }

    [Fact]
    public void Allowed_origins_bind_from_configuration()
    {
        var options = Services(new() { ["Web:AllowedOrigins:0"] = "https://a.example.org", ["Web:AllowedOrigins:1"] = "https://b.example.org" })
            .GetRequiredService<IOptions<WebChatOptions>>().Value;

        Assert.Equal(["https://a.example.org", "https://b.example.org"], options.AllowedOrigins);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddWebChannel(configuration);
        return services.BuildServiceProvider();
    }
}
