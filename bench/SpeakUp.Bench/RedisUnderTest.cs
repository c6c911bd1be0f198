using System.Diagnostics;
using System.Globalization;
using SpeakUp.Redis;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Bench;

/// <summary>
/// The Redis the run talks to: a redis-server this tool starts (installed with apt-get when missing), an existing one
/// (--redis), or the embedded Garnet (--garnet). Reads INFO before and after a run for per-command counts and CPU.
/// </summary>
internal sealed class RedisUnderTest : IAsyncDisposable
{
    private readonly IDisposable? owned;
    private readonly ConnectionMultiplexer admin;

    private RedisUnderTest(string name, string connectionString, IDisposable? owned, bool inProcess)
    {
        Name = name;
        ConnectionString = connectionString;
        InProcess = inProcess;
        this.owned = owned;
        var options = ConfigurationOptions.Parse(connectionString);
        options.ClientName = "speakup-bench-admin";
        options.AbortOnConnectFail = true;
        options.AllowAdmin = true;
        admin = ConnectionMultiplexer.Connect(options);
    }

    public string Name { get; private set; }

    public string ConnectionString { get; }

    /// <summary>The server's process (INFO server process_id), or null when it is this one.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>Garnet runs inside this process: its CPU is part of the process's.</summary>
    public bool InProcess { get; }

    public static async Task<RedisUnderTest> StartAsync(BenchOptions options)
    {
        RedisUnderTest redis;
        if (options.RedisConnection is { } connection)
        {
            redis = new RedisUnderTest("redis", connection, null, inProcess: false);
        }
        else if (options.Garnet)
        {
            var dir = GarnetFixture.NewDataDirectory();
            var garnet = EmbeddedGarnet.Start(dir, "1g");
            redis = new RedisUnderTest("garnet (embedded, AOF commit wait)", garnet.ConnectionString, new GarnetOwner(garnet, dir), inProcess: true);
        }
        else
        {
            var fixture = new RedisServerFixture();
            if (!fixture.IsAvailable)
            {
                fixture.Dispose();
                Console.WriteLine($"{fixture.UnavailableReason}; installing it with apt-get…");
                await RunAsync("apt-get", "install", "-y", "redis-server");
                fixture = new RedisServerFixture();
                if (!fixture.IsAvailable)
                {
                    throw new InvalidOperationException("redis-server is still unavailable: " + fixture.UnavailableReason);
                }
            }

            redis = new RedisUnderTest("redis-server", fixture.ConnectionString, fixture, inProcess: false);
        }

        try
        {
            var server = await redis.InfoAsync("server");
            var version = server.GetValueOrDefault("redis_version") ?? server.GetValueOrDefault("garnet_version") ?? "?";
            redis.Name += " " + version;
            if (!redis.InProcess && int.TryParse(server.GetValueOrDefault("process_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                redis.ProcessId = pid;
            }

            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    public async Task<RedisStats> SnapshotAsync()
    {
        var all = await InfoAsync("commandstats");
        var stats = await InfoAsync("stats");
        var cpu = await InfoAsync("cpu");
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in all)
        {
            // cmdstat_hmget:calls=12,usec=34,usec_per_call=2.83,…
            if (key.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                var field = value.Split(',').FirstOrDefault(f => f.StartsWith("calls=", StringComparison.Ordinal));
                if (field is not null)
                {
                    calls[key["cmdstat_".Length..].ToLowerInvariant()] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
                }
            }
        }

        static double Number(Dictionary<string, string> info, string key) =>
            info.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;

        return new RedisStats(
            calls,
            (long)Number(stats, "total_commands_processed"),
            Number(cpu, "used_cpu_user") + Number(cpu, "used_cpu_sys"),
            Stopwatch.GetTimestamp());
    }

    /// <summary>The length of one field of one hash: used to size the redis-only run like real sessions.</summary>
    public async Task<long> HashFieldLengthAsync(string key, string field) =>
        await admin.GetDatabase().HashStringLengthAsync(key, field);

    public async Task<Dictionary<string, string>> InfoAsync(string section)
    {
        string text;
        try
        {
            text = (string?)await admin.GetDatabase().ExecuteAsync("INFO", section) ?? "";
        }
        catch (RedisServerException)
        {
            // Garnet has no "cpu" section (and runs in this process anyway).
            return [];
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                result[line[..colon]] = line[(colon + 1)..];
            }
        }

        return result;
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await admin.DisposeAsync();
        owned?.Dispose();
    }

    private sealed class GarnetOwner(EmbeddedGarnet garnet, string directory) : IDisposable
    {
        public void Dispose()
        {
            garnet.Dispose();
            GarnetFixture.DeleteDataDirectory(directory);
        }
    }
}

/// <summary>Server-side counters at one moment: calls per command name, all commands, CPU seconds.</summary>
internal sealed record RedisStats(Dictionary<string, long> Calls, long TotalCommands, double CpuSeconds, long Timestamp)
{
    /// <summary>What happened between <paramref name="before"/> and this snapshot, leaving out the bench's own INFO calls.</summary>
    public RedisStats Since(RedisStats before)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, count) in Calls)
        {
            var delta = count - before.Calls.GetValueOrDefault(name);
            if (delta > 0 && name != "info")
            {
                calls[name] = delta;
            }
        }

        var info = Calls.GetValueOrDefault("info") - before.Calls.GetValueOrDefault("info");
        return new RedisStats(calls, TotalCommands - before.TotalCommands - info, CpuSeconds - before.CpuSeconds, Timestamp - before.Timestamp);
    }
}
