using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace BotHost.Tests.Broadcasts;

/// <summary>Seeds joined supporters straight into Redis (session + indexes), as the conversation engine would store them.</summary>
internal static class Supporters
{
    public const string ApiKey = "broadcast-tests-key-0123456789abcdefghij";

    public static async Task SeedAsync(ISessionStore sessions, ISupporterDirectory directory, IEnumerable<long> chatIds, string state = "RJ", string language = "hi", DateTimeOffset? joinedAt = null)
    {
        var joined = joinedAt ?? new DateTimeOffset(2026, 11, 20, 4, 0, 0, TimeSpan.Zero);
        await Parallel.ForEachAsync(chatIds, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
        {
            var chat = new ChatKey("tg", id.ToString(CultureInfo.InvariantCulture));
            var session = Session.New(chat, joined);
            session.State = SupporterState.Joined;
            session.JoinedAt = joined;
            session.OptedIn = true;
            session.StateCode = state;
            session.Language = language;
            session.UserId = id.ToString(CultureInfo.InvariantCulture);
            Assert.True(await sessions.TrySaveAsync(session, null, ct));
            await directory.ApplyAsync(null, session.Snapshot(), ct);
        });
    }

    public static HttpClient Admin(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    public static async Task<string> CreateBroadcastAsync(HttpClient admin, string text, object? audience = null)
    {
        using var response = await admin.PostAsJsonAsync("/admin/broadcasts", new { content = new { text }, audience });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Waits until the job is finished. The job lives in Redis and any instance may finish it, so this reads its status
    /// (every 100 ms, bounded); the interesting waits in these tests are signalled by the fake Bot API.
    /// </summary>
    public static async Task<Dictionary<string, string>> WaitForFinishAsync(IDatabase db, string keyPrefix, string id, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var meta = (await db.HashGetAllAsync($"{keyPrefix}{{supporters}}:bc:{id}:meta")).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
            if (meta.GetValueOrDefault("status") is "Completed" or "Cancelled")
            {
                return meta;
            }

            Assert.True(deadline.Elapsed < timeout, $"broadcast {id} did not finish in {timeout}: {string.Join(", ", meta.Where(m => m.Key != "def"))}");
            await Task.Delay(100);
        }
    }

    public static async Task<Dictionary<string, string>> OutcomesAsync(IDatabase db, string keyPrefix, string id) =>
        (await db.HashGetAllAsync($"{keyPrefix}{{supporters}}:bc:{id}:done")).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
}

/// <summary>BotHost as its own OS process (the same BotHost.dll the tests reference), so a test can SIGKILL it.</summary>
internal sealed class BotHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _output = new();

    private BotHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<BotHostProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = BotHostHarness.FreePort();
        var dir = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet", [Path.Combine(dir, "BotHost.dll")])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["Http__Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new BotHostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Exited += (_, _) => host._started.TrySetException(new InvalidOperationException("BotHost exited early:\n" + host.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host._started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    /// <summary>SIGKILL: no graceful stop, no finally blocks, exactly like a crash.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it: the host shuts down gracefully and exits.</summary>
    public async Task StopAsync()
    {
        // The shell's own kill builtin: no procps needed on a bare machine.
        using var kill = Process.Start("/bin/sh", ["-c", "kill -TERM " + _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
