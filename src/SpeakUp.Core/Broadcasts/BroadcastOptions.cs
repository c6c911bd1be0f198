using Microsoft.Extensions.Options;

namespace SpeakUp.Core.Broadcasts;

/// <summary>Settings of broadcasts (section "Broadcast").</summary>
public sealed class BroadcastOptions
{
    public const string Section = "Broadcast";

    /// <summary>Messages per second for the whole bot, shared by every instance. Telegram's free bulk rate is about 30.</summary>
    public double MaxPerSecond { get; set; } = 30;

    /// <summary>Sets allow_paid_broadcast (up to 1000/s, paid in Stars); MaxPerSecond may then go above 30.</summary>
    public bool PaidBroadcast { get; set; }

    /// <summary>Tries per recipient on timeouts and 5xx before it counts as failed.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Above this many recipients the composer asks for a second confirmation.</summary>
    public int ConfirmAbove { get; set; } = 10_000;

    /// <summary>Claim loops per instance; each holds at most <see cref="BatchSize"/> recipients at a time.</summary>
    public int Workers { get; set; } = 16;

    /// <summary>
    /// Most recipients one claim takes (one store round trip for all of them, sent concurrently, each at its own slot).
    /// Slots after a claim's first are only taken while due within 50 ms, so at 30/s a claim holds one or two. Workers ×
    /// BatchSize is the most recipients one instance holds, and so the most "unknown" a crash of it can leave.
    /// </summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>How long a claimed recipient belongs to its instance; after that a dead instance's recipient is "unknown".</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often an idle instance looks for jobs.</summary>
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>How often the admin's progress message is edited (at least 3 s).</summary>
    public int ProgressSeconds { get; set; } = 3;

    /// <summary>First retry delay after a timeout or 5xx; doubles per attempt.</summary>
    public int RetryBaseMilliseconds { get; set; } = 1000;

    /// <summary>Run the sending workers in this instance (off: it only serves the API and composing).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The share of <see cref="MaxPerSecond"/> broadcasts pace at. What it leaves free of each second (0.99: 10 ms) is how
    /// late a send slot may be taken; a later one is given up, and the instance's send window keeps any second from
    /// holding more than MaxPerSecond however late a send arrives (see BroadcastSendWindow).
    /// </summary>
    public double PacingFactor { get; set; } = 0.99;

    /// <summary>Send the daily prompt and the "post now" reminder (Bot:DailyPromptTime, the campaign's post_time).</summary>
    public bool DailyPrompts { get; set; } = true;

    /// <summary>Lifts the 30 / 1000 cap on MaxPerSecond: only for measuring the engine against a fake Bot API.</summary>
    public bool AllowAnyRate { get; set; }

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}

public sealed class BroadcastOptionsValidator : IValidateOptions<BroadcastOptions>
{
    public ValidateOptionsResult Validate(string? name, BroadcastOptions options)
    {
        var failures = new List<string>();
        var max = options.PaidBroadcast ? 1000 : 30;
        if (options.MaxPerSecond <= 0 || (options.MaxPerSecond > max && !options.AllowAnyRate))
        {
            failures.Add($"Broadcast:MaxPerSecond must be above 0 and at most {max} (30 unless Broadcast:PaidBroadcast is true); got {options.MaxPerSecond}.");
        }

        if (options.MaxAttempts is < 1 or > 20)
        {
            failures.Add("Broadcast:MaxAttempts must be between 1 and 20.");
        }

        if (options.ConfirmAbove < 1)
        {
            failures.Add("Broadcast:ConfirmAbove must be at least 1.");
        }

        if (options.Workers is < 1 or > 1024)
        {
            failures.Add("Broadcast:Workers must be between 1 and 1024.");
        }

        if (options.BatchSize is < 1 or > 64)
        {
            failures.Add("Broadcast:BatchSize must be between 1 and 64.");
        }

        if (options.LeaseSeconds is < 1 or > 3600)
        {
            failures.Add("Broadcast:LeaseSeconds must be between 1 and 3600.");
        }

        if (options.PollMilliseconds is < 10 or > 60_000)
        {
            failures.Add("Broadcast:PollMilliseconds must be between 10 and 60000.");
        }

        if (options.ProgressSeconds is < 3 or > 3600)
        {
            failures.Add("Broadcast:ProgressSeconds must be between 3 and 3600.");
        }

        if (options.PacingFactor is <= 0.5 or > 1)
        {
            failures.Add("Broadcast:PacingFactor must be above 0.5 and at most 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
