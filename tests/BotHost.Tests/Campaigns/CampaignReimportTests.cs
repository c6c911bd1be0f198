using System.Collections.Concurrent;
using System.Globalization;
using BotHost.Tests.Broadcasts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests.Campaigns;

/// <summary>config/campaigns.yaml changed while the host runs: picked up, chat edits kept, a broken file refused.</summary>
[Collection(OnGarnet.Name)]
public sealed class CampaignReimportTests(GarnetFixture redis) : IDisposable
{
    private const long Owner = 8_300_001;
    private const long Supporter = 8_300_002;

    private readonly string _directory = Directory.CreateTempSubdirectory("campaigns-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public async Task A_file_changed_while_the_host_runs_is_picked_up_keeping_chat_edits_and_a_broken_file_keeps_the_last_good_calendar()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        var file = Path.Combine(_directory, "campaigns.yaml");
        var shipped = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "config", "campaigns.yaml"));
        await File.WriteAllTextAsync(file, shipped);
        var logs = new LogSignals();
        await using var host = await BotHostHarness.StartAsync(
            redis,
            s =>
            {
                s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
                s["Campaigns:File"] = file;
                s["Campaigns:CheckSeconds"] = "0.2";
                s["Logging:LogLevel:SpeakUp.Redis.Admin.CampaignCalendarSync"] = "Information";
            },
            configure: b => b.Logging.AddProvider(logs));
        await Supporters.SeedAsync(host.App.Services.GetRequiredService<ISessionStore>(), host.App.Services.GetRequiredService<ISupporterDirectory>(), [Supporter]);
        Assert.Contains("सेव हो गया", Assert.Single(await host.SayAsync(Owner, "/campaign edit women-safety-2026-12 hashtag #सुरक्षित_सफ़र")).VisibleText);

        // Today's campaign gets a new Hindi title in the file; the campaign edited in chat changes in the file too.
        var imported = logs.Next("CampaignFileImported");
        var changed = shipped
            .Replace("hi: \"हर फ़सल का सही दाम\"", "hi: \"हर फ़सल का पूरा दाम\"", StringComparison.Ordinal)
            .Replace("hi: \"सुरक्षित सड़कें, सुरक्षित काम की जगह\"", "hi: \"हर महिला सुरक्षित\"", StringComparison.Ordinal);
        Assert.NotEqual(shipped, changed);
        await ReplaceAsync(file, changed);
        await imported.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("हर फ़सल का पूरा दाम", Assert.Single(await host.SayAsync(Supporter, "/today")).VisibleText);
        var list = Assert.Single(await host.SayAsync(Owner, "/campaigns")).VisibleText;
        Assert.Contains("#सुरक्षित_सफ़र (women-safety-2026-12)", list);
        Assert.Contains("चैट वाला रूप रखा गया", list);
        Assert.Contains("women-safety-2026-12", list[list.IndexOf('⚠', StringComparison.Ordinal)..]);

        // A typo: 31 November. The error names the file and the line; the calendar stays as it was.
        var refused = logs.Next("CampaignFileInvalid");
        const string Ends = "\n    ends: 2026-11-30\n";
        var at = changed.IndexOf(Ends, StringComparison.Ordinal);
        var line = changed[..at].Count(c => c == '\n') + 2;
        await ReplaceAsync(file, changed[..at] + "\n    ends: 2026-11-31\n" + changed[(at + Ends.Length)..]);
        var error = await refused.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains($"{file}:{line}: campaign 'farmers-2026-11' has a bad 'ends' date '2026-11-31'", error);
        Assert.Contains("हर फ़सल का पूरा दाम", Assert.Single(await host.SayAsync(Supporter, "/today")).VisibleText);
        Assert.Contains($"{file}:{line}:", Assert.Single(await host.SayAsync(Owner, "/campaigns")).VisibleText);
    }

    /// <summary>Replaces the file in one step (write aside, then rename), as editors and deployments do, so no half-written file is read.</summary>
    private static async Task ReplaceAsync(string path, string content)
    {
        var aside = path + ".new";
        await File.WriteAllTextAsync(aside, content);
        File.Move(aside, path, overwrite: true);
    }

    /// <summary>Completes a task with the message of the next log event of a given name (the event names are a contract).</summary>
    private sealed class LogSignals : ILoggerProvider
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiting = new(StringComparer.Ordinal);

        public Task<string> Next(string eventName) =>
            _waiting.GetOrAdd(eventName, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private void Seen(EventId id, string message)
        {
            if (id.Name is { } name && _waiting.TryRemove(name, out var waiter))
            {
                waiter.TrySetResult(message);
            }
        }

        private sealed class Logger(LogSignals signals) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                signals.Seen(eventId, formatter(state, exception));
        }
    }
}
