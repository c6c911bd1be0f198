using System.Diagnostics;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Bench;

/// <summary>One update a supporter sends and how many replies (sendMessage or editMessageText) answer it.</summary>
internal sealed record Step(string Name, string Payload, bool IsButton, int Replies);

/// <summary>One step sent by one chat: when it was queued at the fake server, and when the fake acknowledged the last reply to it.</summary>
internal sealed record SentStep(long Chat, Step Step, DateTimeOffset At)
{
    public DateTimeOffset? AnsweredAt { get; set; }

    public bool Answered => AnsweredAt is not null;
}

/// <summary>A Bot API call the fake answered with success, as the bot saw it: method, chat (sends and edits), when.</summary>
internal delegate void BotCall(string method, long? chat, DateTimeOffset at);

/// <summary>
/// Drives N supporters through the flow the way Telegram would: all of them at once, each one in order (its next update
/// is queued only after the bot's answer to the previous one arrived). With a duration, a supporter who is through starts
/// again as a new person (a new chat), so N people are always mid-flow until the time is up. Whoever runs the bot calls
/// <see cref="OnCall"/> for every Bot API call the fake answered with success. A step's latency runs from queueing its
/// update at the fake server to the fake's answer to the bot's last reply for it (the reply is then delivered).
/// </summary>
internal sealed class SupporterLoad
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeTelegramServer telegram;
    private readonly Supporter[] supporters;
    private readonly long firstChat;
    private readonly double rate;
    private readonly Random random;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);

    public SupporterLoad(FakeTelegramServer telegram, long firstChat, int count, int todays, double rate, int seed)
    {
        this.telegram = telegram;
        this.firstChat = firstChat;
        this.rate = rate;
        random = new Random(seed);
        supporters = new Supporter[count];
        for (var i = 0; i < count; i++)
        {
            // Half in Hindi, half in English.
            var language = i % 2 == 0 ? "hi" : "en";
            supporters[i] = new Supporter(language, Flow(language, todays));
        }
    }

    /// <summary>/start, language, consent, two pages of states (edits of one message), the state (two replies), /today × K.</summary>
    public static IReadOnlyList<Step> Flow(string language, int todays)
    {
        // Rajasthan in Hindi and Uttar Pradesh in English: both on the second page of states.
        var state = language == "hi" ? "RJ" : "UP";
        var steps = new List<Step>
        {
            new("/start", "/start", false, 1),
            new("language", "l:" + language, true, 1),
            new("consent", "c:y", true, 1),
            new("page 1", "p:1", true, 1),
            new("page 2", "p:2", true, 1),
            new("state", "s:" + state, true, 2),
        };
        for (var i = 0; i < todays; i++)
        {
            steps.Add(new Step("/today", "/today", false, 1));
        }

        return steps;
    }

    /// <summary>
    /// Closed-loop rounds of 1,000 fresh supporters until tiered JIT and PGO have settled: two rounds in a row within 5 %
    /// of each other in updates/s (at least 6 rounds, at most <paramref name="maxRounds"/>). Cold, the host needs two to
    /// three times the CPU per update it needs warm, so a short warm-up measures the JIT, not the bot.
    /// </summary>
    public static async Task<List<double>> WarmUpAsync(FakeTelegramServer telegram, Action<SupporterLoad> use, int todays, int maxRounds, int seed, TimeSpan timeout)
    {
        var rates = new List<double>();
        for (var round = 0; round < maxRounds; round++)
        {
            var load = new SupporterLoad(telegram, 1_000_000_000 + (round * 1_000_000L), 1000, todays, 0, seed + round);
            use(load);
            var result = await load.RunAsync(null, timeout);
            rates.Add(result.Sent.Count(s => s.Answered) / (result.Ended - result.Started).TotalSeconds);
            telegram.ClearCalls();
            if (result.Failures.Count > 0 && result.Failures[0] is { } failure)
            {
                throw new InvalidOperationException($"Warm-up round {round + 1}: {failure}");
            }

            if (rates.Count >= 6 && Math.Abs(rates[^1] - rates[^2]) <= 0.05 * rates[^2])
            {
                break;
            }
        }

        return rates;
    }

    /// <summary>Called from the bot's side for every successful Bot API call; cheap.</summary>
    public void OnCall(string method, long? chat, DateTimeOffset at)
    {
        calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        if (method is "sendMessage" or "editMessageText" && chat is { } id && id >= firstChat
            && supporters[(id - firstChat) % supporters.Length] is { } s && Volatile.Read(ref s.Chat) == id)
        {
            s.Replied(at);
        }
    }

    /// <summary>
    /// Runs the load: each supporter walks the flow once (no <paramref name="duration"/>), or walks it again and again as a
    /// new person until the duration is up (no step starts after that). Ends by itself; <paramref name="timeout"/> bounds it.
    /// </summary>
    public async Task<LoadResult> RunAsync(TimeSpan? duration, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var started = DateTimeOffset.UtcNow;
        var end = duration is { } d ? started + d : DateTimeOffset.MaxValue;
        var interval = rate > 0 ? TimeSpan.FromSeconds(supporters.Length / rate) : TimeSpan.Zero;
        var runs = new Task[supporters.Length];
        for (var i = 0; i < supporters.Length; i++)
        {
            // Paced runs start everyone at a random moment within one interval, so arrivals are spread, not a wave.
            var offset = rate > 0 ? interval * random.NextDouble() : TimeSpan.Zero;
            var seed = random.Next();
            var (supporter, index) = (supporters[i], i);
            runs[i] = Task.Run(() => RunSupporterAsync(supporter, index, started + offset, end, interval, new Random(seed), deadline.Token));
        }

        // The fake server records every call; the run reads none of them, so it forgets them as it goes and stays lean.
        var all = Task.WhenAll(runs);
        while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1))) != all)
        {
            telegram.ClearCalls();
        }

        telegram.ClearCalls();
        var sent = supporters.SelectMany(s => s.Sent).ToList();
        return new LoadResult(started, DateTimeOffset.UtcNow, sent, [.. supporters.Select(s => s.Failure).OfType<string>()], new Dictionary<string, int>(calls));
    }

    private async Task RunSupporterAsync(Supporter s, int index, DateTimeOffset firstAt, DateTimeOffset end, TimeSpan interval, Random random, CancellationToken cancellationToken)
    {
        var next = firstAt;
        for (var generation = 0L; ; generation++)
        {
            Volatile.Write(ref s.Chat, firstChat + index + (generation * supporters.Length));
            foreach (var step in s.Steps)
            {
                try
                {
                    var wait = next - DateTimeOffset.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    if (DateTimeOffset.UtcNow >= end)
                    {
                        return;
                    }

                    // A button is pressed under the bot's latest message: the states keyboard for the page and state steps.
                    var messageId = step.IsButton ? telegram.MessagesTo(s.Chat)[^1].MessageId : 0;
                    var sent = new SentStep(s.Chat, step, DateTimeOffset.UtcNow);
                    var answered = s.Expect(sent);
                    s.Sent.Add(sent);
                    if (step.IsButton)
                    {
                        telegram.EnqueueCallback(s.Chat, step.Payload, messageId);
                    }
                    else
                    {
                        telegram.EnqueueText(s.Chat, step.Payload, languageCode: s.Language);
                    }

                    await answered.WaitAsync(StepTimeout, cancellationToken);

                    // Think time: the next step about one interval after this one, give or take half, never before the answer.
                    next = sent.At + (interval * (0.5 + random.NextDouble()));
                }
                catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
                {
                    s.Failure = $"chat {s.Chat} at {step.Name}: {(ex is TimeoutException ? "no answer within " + StepTimeout.TotalSeconds + " s" : "run deadline")}";
                    return;
                }
            }

            // This person is done: the fake forgets their chat, or a long run's heap (and its collections) would grow with
            // every message ever sent and set the latency tail instead of the host.
            telegram.ForgetChat(s.Chat);
            if (end == DateTimeOffset.MaxValue)
            {
                return;
            }
        }
    }

    private sealed class Supporter(string language, IReadOnlyList<Step> steps)
    {
        // The chat it writes from now; a new one each time it starts the flow again.
        public long Chat;

        private int seen;
        private SentStep? current;
        private TaskCompletionSource? answered;

        /// <summary>The Telegram client's language_code, and the language chosen.</summary>
        public string Language { get; } = language;

        public IReadOnlyList<Step> Steps { get; } = steps;

        public List<SentStep> Sent { get; } = [];

        public string? Failure { get; set; }

        /// <summary>Arms the wait for the step's replies; called before its update is queued.</summary>
        public Task Expect(SentStep step)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref seen, 0);
            current = step;
            Volatile.Write(ref answered, tcs);
            return tcs.Task;
        }

        public void Replied(DateTimeOffset at)
        {
            var step = Volatile.Read(ref current);
            if (step is not null && Interlocked.Increment(ref seen) == step.Step.Replies)
            {
                step.AnsweredAt = at;
                Volatile.Read(ref answered)?.TrySetResult();
            }
        }
    }
}

/// <summary>What the supporters did, and the Bot API calls the bot made meanwhile (by method).</summary>
internal sealed record LoadResult(DateTimeOffset Started, DateTimeOffset Ended, IReadOnlyList<SentStep> Sent, IReadOnlyList<string> Failures, IReadOnlyDictionary<string, int> Calls)
{
    public Latencies Measure()
    {
        var result = new Latencies();
        foreach (var step in Sent)
        {
            if (step.AnsweredAt is { } at)
            {
                result.Add(step.Step.Name, (at - step.At).TotalMilliseconds, at);
            }
        }

        return result;
    }
}

/// <summary>Latencies of answered steps, and when each answer came.</summary>
internal sealed class Latencies
{
    public List<double> All { get; } = [];

    public Dictionary<string, List<double>> ByStep { get; } = new(StringComparer.Ordinal);

    public List<DateTimeOffset> AnsweredAt { get; } = [];

    public void Add(string step, double milliseconds, DateTimeOffset at)
    {
        All.Add(milliseconds);
        if (!ByStep.TryGetValue(step, out var list))
        {
            ByStep[step] = list = [];
        }

        list.Add(milliseconds);
        AnsweredAt.Add(at);
    }

    /// <summary>Answers per second over the middle 80 % of the time between the first and the last answer: no ramp-up or tail.</summary>
    public double SteadyRate()
    {
        if (AnsweredAt.Count < 10)
        {
            return 0;
        }

        var sorted = AnsweredAt.Order().ToList();
        var span = sorted[^1] - sorted[0];
        var from = sorted[0] + (span * 0.1);
        var to = sorted[0] + (span * 0.9);
        return sorted.Count(t => t >= from && t <= to) / (to - from).TotalSeconds;
    }
}
