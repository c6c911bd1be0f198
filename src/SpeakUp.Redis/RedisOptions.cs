using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>Where sessions and indexes live (section "Redis").</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration ("host:6379,password=…"). Empty runs an embedded Garnet server in-process.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Where the embedded Garnet keeps its checkpoints and append-only file. Relative paths start at the content root.</summary>
    public string EmbeddedDataDir { get; set; } = "./data";

    /// <summary>Prepended to every key, so several bots (or tests) can share one server.</summary>
    public string KeyPrefix { get; set; } = "speakup:";

    /// <summary>
    /// Log memory of the embedded Garnet ("512m", "2g"). Without a storage tier Garnet drops the oldest records when this is
    /// full, without an error, so it must hold every session with room to spare.
    /// </summary>
    public string EmbeddedMemory { get; set; } = "1g";

    /// <summary>How many audit entries are kept (newest first); older ones are dropped.</summary>
    public int AuditMaxEntries { get; set; } = 100_000;

    internal bool UsesEmbeddedGarnet => string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary>Checks <see cref="RedisOptions"/> at start; every message names the key to fix.</summary>
internal sealed partial class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    /// <summary>Below this Garnet's default 16 MB pages leave too few pages to be useful.</summary>
    internal const long MinimumEmbeddedMemory = 64L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0 || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            failures.Add($"{RedisOptions.Section}:{nameof(RedisOptions.KeyPrefix)} must be non-empty, without spaces, '{{' or '}}' (braces would change the keys' hash tags); got '{options.KeyPrefix}'.");
        }

        if (options.UsesEmbeddedGarnet)
        {
            if (string.IsNullOrWhiteSpace(options.EmbeddedDataDir))
            {
                failures.Add($"{RedisOptions.Section}:{nameof(RedisOptions.EmbeddedDataDir)} must be set when {RedisOptions.Section}:{nameof(RedisOptions.ConnectionString)} is empty (embedded Garnet).");
            }

            if (!TryParseMemorySize(options.EmbeddedMemory, out var bytes) || bytes < MinimumEmbeddedMemory)
            {
                failures.Add($"{RedisOptions.Section}:{nameof(RedisOptions.EmbeddedMemory)} must be a size of at least 64m, like 512m or 2g; got '{options.EmbeddedMemory}'.");
            }
        }
        else
        {
            try
            {
                var parsed = ConfigurationOptions.Parse(options.ConnectionString);
                if (parsed.EndPoints.Count == 0)
                {
                    failures.Add($"{RedisOptions.Section}:{nameof(RedisOptions.ConnectionString)} names no server; use host:port, or leave it empty for embedded Garnet.");
                }
            }
            catch (ArgumentException ex)
            {
                // The message can quote the offending option, never the whole string: it may hold a password.
                failures.Add($"{RedisOptions.Section}:{nameof(RedisOptions.ConnectionString)} is not a valid StackExchange.Redis configuration: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Reads sizes the way Garnet does: a number with an optional k, m, g or t and an optional b.</summary>
    internal static bool TryParseMemorySize(string? value, out long bytes)
    {
        bytes = 0;
        var match = value is null ? Match.Empty : MemorySize().Match(value);
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var shift = char.ToLowerInvariant(match.Groups["unit"].Value.FirstOrDefault()) switch
        {
            'k' => 10,
            'm' => 20,
            'g' => 30,
            't' => 40,
            _ => 0,
        };
        if (number > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = number << shift;
        return true;
    }

    [GeneratedRegex(@"^\s*(?<n>\d{1,15})\s*(?<unit>[kmgt])?b?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MemorySize();
}
