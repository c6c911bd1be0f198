using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests;

public sealed class RedisOptionsTests
{
    [Theory]
    [InlineData("KeyPrefix", "", "Redis:KeyPrefix must")]
    [InlineData("KeyPrefix", "bot{1}:", "Redis:KeyPrefix must")]
    [InlineData("KeyPrefix", "my bot:", "Redis:KeyPrefix must")]
    [InlineData("EmbeddedMemory", "lots", "Redis:EmbeddedMemory must")]
    [InlineData("EmbeddedMemory", "1m", "Redis:EmbeddedMemory must")]
    [InlineData("EmbeddedDataDir", " ", "Redis:EmbeddedDataDir must")]
    [InlineData("ConnectionString", "localhost,nosuchoption=1", "Redis:ConnectionString is not")]
    public void Bad_setting_is_reported_with_its_key(string key, string value, string expected)
    {
        using var provider = Provider(new() { [$"Redis:{key}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisOptions>>().Value);

        Assert.Contains(error.Failures, failure => failure.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("64m", 64L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("512mb", 512L << 20)]
    [InlineData("1073741824", 1L << 30)]
    public void Memory_sizes_are_read_like_garnet_reads_them(string value, long bytes)
    {
        Assert.True(RedisOptionsValidator.TryParseMemorySize(value, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Fact]
    public void Defaults_are_valid_and_embedded()
    {
        using var provider = Provider([]);

        var options = provider.GetRequiredService<IOptions<RedisOptions>>().Value;

        Assert.True(options.UsesEmbeddedGarnet);
        Assert.Equal("speakup:", options.KeyPrefix);
        Assert.Equal("./data", options.EmbeddedDataDir);
        Assert.Equal("1g", options.EmbeddedMemory);
    }

    internal static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddRedisStorage(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

public sealed class RedisKeysTests
{
    [Fact]
    public void Chat_keys_carry_the_chat_as_hash_tag()
    {
        var keys = new RedisKeys("speakup:");

        Assert.Equal("speakup:{tg:123}:session", (string?)keys.Session(new ChatKey("tg", "123")));
        Assert.All(keys.ChatKeys(new ChatKey("tg", "123")), key => Assert.StartsWith("speakup:{tg:123}:", (string?)key));
    }

    [Fact]
    public void Index_keys_share_the_supporters_hash_tag()
    {
        var keys = new RedisKeys("speakup:");

        Assert.Equal("speakup:{supporters}:joined", (string?)keys.SupportersJoined);
        Assert.Equal("speakup:{supporters}:prompts", (string?)keys.SupportersReceivingPrompts);
        Assert.Equal("speakup:{supporters}:unreachable", (string?)keys.SupportersUnreachable);
        Assert.Equal("speakup:{supporters}:state:RJ", (string?)keys.SupportersInState("RJ"));
        Assert.Equal("speakup:{supporters}:lang:hi", (string?)keys.SupportersWithLanguage("hi"));
    }

    [Fact]
    public void A_prefix_with_braces_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RedisKeys("a{b}:"));
    }
}
