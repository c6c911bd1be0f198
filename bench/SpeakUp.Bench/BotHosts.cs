using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.BotHost;
using SpeakUp.Testing.Telegram;
using StackExchange.Redis;
using Telegram.Bot;
using Telegram.Bot.Requests;

namespace SpeakUp.Bench;

/// <summary>
/// The real host under load: built by <see cref="SpeakUpApp.Build"/> exactly as Program.cs builds it, plus test settings
/// and a clock set to a campaign day. Either in this process, or (--host-process) in a child process of its own, so its
/// CPU can be told apart from the fake Bot API's and the driver's.
/// </summary>
internal abstract class BotUnderTest : IAsyncDisposable
{
    /// <summary>The host's own process, when it has one.</summary>
    public virtual int? ProcessId => null;

    /// <summary>CPU, GC and JIT of the host's own process, when it has one.</summary>
    public virtual Task<ProcessSnapshot?> SnapshotAsync() => Task.FromResult<ProcessSnapshot?>(null);

    /// <summary>The host's Redis connection, when it runs in this process.</summary>
    public virtual IConnectionMultiplexer? Multiplexer => null;

    public abstract ValueTask DisposeAsync();

    private static async Task StopAsync(WebApplication app)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }

    public static async Task<BotUnderTest> StartAsync(Uri apiBaseUrl, string token, string redis, string keyPrefix, BotCall onCall, BenchOptions options) =>
        options.HostProcess
            ? await ChildProcessHost.StartAsync(apiBaseUrl, token, redis, keyPrefix, onCall, options.HostCpus)
            : await InProcessHost.StartAsync(apiBaseUrl, token, redis, keyPrefix, onCall);

    /// <summary>
    /// Builds the host. The bot's own Telegram client reports every Bot API call the fake answered with success (method,
    /// chat, when the answer came): a sendMessage/editMessageText tells a supporter that the answer to its step has arrived.
    /// No change to src/ is needed for that.
    /// </summary>
    public static WebApplication Build(Uri apiBaseUrl, string token, string redis, string keyPrefix, BotCall onCall)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = apiBaseUrl.ToString(),
            ["Telegram:PollingTimeoutSeconds"] = "10",
            ["Redis:ConnectionString"] = redis,
            ["Redis:KeyPrefix"] = keyPrefix,
            ["Http:Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        var app = SpeakUpApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(ShiftedTimeProvider.CampaignMorning));
        });
        app.Services.GetRequiredService<ITelegramBotClient>().OnApiResponseReceived += (_, e, _) =>
        {
            if (e.ResponseMessage.IsSuccessStatusCode)
            {
                var request = e.ApiRequestEventArgs.Request;
                var chat = request switch
                {
                    SendMessageRequest send => send.ChatId.Identifier,
                    EditMessageTextRequest edit => edit.ChatId.Identifier,
                    _ => null,
                };
                onCall(request.MethodName, chat, DateTimeOffset.UtcNow);
            }

            return ValueTask.CompletedTask;
        };
        return app;
    }

    /// <summary>
    /// The child side of --host-process: runs the host and writes "c METHOD CHAT TICKS" to stdout for every answered call, answers a
    /// "snap" line on stdin with its <see cref="ProcessSnapshot"/>, and stops when stdin closes.
    /// Arguments: API base URL, token, Redis connection string, key prefix.
    /// </summary>
    public static async Task<int> ServeAsync(string apiBaseUrl, string token, string redis, string keyPrefix)
    {
        var replies = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var app = Build(new Uri(apiBaseUrl), token, redis, keyPrefix, (method, chat, at) =>
            replies.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"c {method} {chat ?? 0} {at.UtcTicks}")));
        await app.StartAsync();
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        await stdout.WriteLineAsync("ready");
        await stdout.FlushAsync();
        var writer = Task.Run(async () =>
        {
            // One writer, flushing whenever it has caught up: few syscalls under load, no delay when idle.
            while (await replies.Reader.WaitToReadAsync())
            {
                while (replies.Reader.TryRead(out var line))
                {
                    await stdout.WriteLineAsync(line);
                }

                await stdout.FlushAsync();
            }
        });

        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "snap")
            {
                replies.Writer.TryWrite("snap " + ProcessSnapshot.Take().Serialize());
            }
        }

        await StopAsync(app);
        replies.Writer.Complete();
        await writer;
        return 0;
    }

    private sealed class InProcessHost(WebApplication app) : BotUnderTest
    {
        public override IConnectionMultiplexer Multiplexer => app.Services.GetRequiredService<IConnectionMultiplexer>();

        public static async Task<BotUnderTest> StartAsync(Uri apiBaseUrl, string token, string redis, string keyPrefix, BotCall onCall)
        {
            var app = Build(apiBaseUrl, token, redis, keyPrefix, onCall);
            await app.StartAsync();
            return new InProcessHost(app);
        }

        public override async ValueTask DisposeAsync() => await StopAsync(app);
    }

    private sealed class ChildProcessHost(Process process) : BotUnderTest
    {
        private Task reading = Task.CompletedTask;
        private TaskCompletionSource<ProcessSnapshot>? snapshot;

        public override int? ProcessId => process.Id;

        public override async Task<ProcessSnapshot?> SnapshotAsync()
        {
            var answer = new TaskCompletionSource<ProcessSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref snapshot, answer);
            await process.StandardInput.WriteLineAsync("snap");
            await process.StandardInput.FlushAsync();
            return await answer.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public static async Task<BotUnderTest> StartAsync(Uri apiBaseUrl, string token, string redis, string keyPrefix, BotCall onCall, string? cpus)
        {
            // The same binary, as `dotnet SpeakUp.Bench.dll --serve-host …` (or its apphost), optionally pinned with taskset.
            var self = Environment.ProcessPath ?? "dotnet";
            var command = new List<string>();
            if (cpus is not null)
            {
                command.AddRange(["taskset", "-c", cpus]);
            }

            command.Add(self);
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                command.Add(typeof(BotUnderTest).Assembly.Location);
            }

            command.AddRange(["--serve-host", apiBaseUrl.ToString(), token, redis, keyPrefix]);
            var start = new ProcessStartInfo(command[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };

            // The host runs with Server GC, as BotHost does, whatever this process runs with.
            start.Environment["DOTNET_gcServer"] = "1";
            foreach (var argument in command.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host process");
            var ready = await process.StandardOutput.ReadLineAsync();
            if (ready != "ready")
            {
                process.Kill();
                throw new InvalidOperationException("the host process did not start: " + ready);
            }

            var host = new ChildProcessHost(process);
            host.reading = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("c ", StringComparison.Ordinal) && line.Split(' ') is [_, var method, var chat, var ticks])
                    {
                        var id = long.Parse(chat, CultureInfo.InvariantCulture);
                        onCall(method, id == 0 ? null : id, new DateTimeOffset(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero));
                    }
                    else if (line.StartsWith("snap ", StringComparison.Ordinal))
                    {
                        Volatile.Read(ref host.snapshot)?.TrySetResult(ProcessSnapshot.Parse(line[5..]));
                    }
                }
            });
            return host;
        }

        public override async ValueTask DisposeAsync()
        {
            // Closing stdin asks the host to stop gracefully.
            process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            await reading;
            process.Dispose();
        }
    }
}

/// <summary>The fake Bot API, the host polling it, and the load whose supporters hear about the host's calls.</summary>
internal sealed class Rig(FakeTelegramServer telegram) : IAsyncDisposable
{
    private SupporterLoad? current;

    public FakeTelegramServer Telegram { get; } = telegram;

    public BotUnderTest? Host { get; set; }

    public void Use(SupporterLoad load) => Volatile.Write(ref current, load);

    public void OnCall(string method, long? chat, DateTimeOffset at) => Volatile.Read(ref current)?.OnCall(method, chat, at);

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Telegram.DisposeAsync();
    }
}
