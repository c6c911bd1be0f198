using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SpeakUp.Telegram.Tests;

public class TelegramOptionsTests
{
    private static readonly TelegramOptionsValidator Validator = new();

    private static TelegramOptions Webhook() => new()
    {
        BotToken = "123456:ABC-def_ghi",
        Mode = TelegramMode.Webhook,
        WebhookUrl = "https://bot.example.org/telegram/hook",
        WebhookSecret = "s3cret_-X",
    };

    [Fact]
    public void No_token_means_off_and_valid()
    {
        var options = new TelegramOptions { Mode = TelegramMode.Webhook };

        Assert.False(options.Enabled);
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Valid_webhook_settings_pass_and_give_the_path()
    {
        var options = Webhook();

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal("/telegram/hook", options.WebhookPath);
        Assert.Equal("/telegram/webhook", new TelegramOptions().WebhookPath);
    }

    [Theory]
    [InlineData(null, "Telegram:WebhookSecret is required when Telegram:Mode is Webhook")]
    [InlineData("", "Telegram:WebhookSecret is required when Telegram:Mode is Webhook")]
    [InlineData("has space", "Telegram:WebhookSecret must be")]
    [InlineData("ünïcode", "Telegram:WebhookSecret must be")]
    public void Webhook_secret_is_required_and_restricted(string? secret, string message)
    {
        var options = Webhook();
        options.WebhookSecret = secret;

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith(message, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_of_257_chars_is_refused_and_256_accepted()
    {
        var options = Webhook();
        options.WebhookSecret = new string('a', 256);
        Assert.True(Validator.Validate(null, options).Succeeded);

        options.WebhookSecret = new string('a', 257);
        Assert.True(Validator.Validate(null, options).Failed);
    }

    [Theory]
    [InlineData(null, "Telegram:WebhookUrl is required when Telegram:Mode is Webhook")]
    [InlineData("http://bot.example.org/hook", "Telegram:WebhookUrl must be an absolute https URL")]
    [InlineData("/relative", "Telegram:WebhookUrl must be an absolute https URL")]
    public void Webhook_url_must_be_https(string? url, string message)
    {
        var options = Webhook();
        options.WebhookUrl = url;

        Assert.StartsWith(message, Assert.Single(Validator.Validate(null, options).Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Http_webhook_on_loopback_is_allowed_for_tests()
    {
        var options = Webhook();
        options.WebhookUrl = "http://127.0.0.1:5005/telegram/webhook";

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Malformed_token_is_refused_without_echoing_it()
    {
        var options = new TelegramOptions { BotToken = "not-a-token-SECRET" };

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);

        Assert.StartsWith("Telegram:BotToken", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void Polling_timeout_out_of_range_names_the_key(int seconds)
    {
        var options = new TelegramOptions { BotToken = "1:a", PollingTimeoutSeconds = seconds };

        Assert.StartsWith("Telegram:PollingTimeoutSeconds", Assert.Single(Validator.Validate(null, options).Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2000, true)]
    [InlineData(100_000, true)]
    [InlineData(100_001, false)]
    public void Updates_in_flight_must_be_between_1_and_100000(int max, bool valid)
    {
        var options = new TelegramOptions { BotToken = "1:a", MaxUpdatesInFlight = max };

        var result = Validator.Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Telegram:MaxUpdatesInFlight", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bad_setting_stops_the_host_with_the_key_name()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Telegram:BotToken"] = "123:abc",
                ["Telegram:Mode"] = "Webhook",
                ["Telegram:WebhookUrl"] = "https://bot.example.org/telegram/webhook",
            })
            .Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddTelegramChannel(config);
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);

        var ex = Assert.Throws<OptionsValidationException>(() => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<IOptions<TelegramOptions>>(provider).Value);

        Assert.Equal("Telegram:WebhookSecret is required when Telegram:Mode is Webhook", ex.Message);
    }
}
