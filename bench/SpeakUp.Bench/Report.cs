using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace SpeakUp.Bench;

/// <summary>Prints the compact tables of a run. Numbers are invariant-culture; latencies in milliseconds.</summary>
internal sealed class Report
{
    /// <summary>Size of a joined supporter's session JSON (HSTRLEN of field d, measured by the host run): the redis-only payload.</summary>
    public const int SessionBytes = 400;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        Line("machine", $"{Environment.ProcessorCount} cores, {model ?? "?"}, {RuntimeInformation.OSDescription}");
        Line("runtime", $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "Server" : "Workstation")} GC");
    }

    public void Title(string what, BenchOptions options, int updatesPerSupporter)
    {
        var load = options.Rate > 0 ? F($"paced, offered {options.Rate:0} updates/s (think time)") : "closed loop (next step right after the answer)";
        Line("run", what);
        var length = options.Duration is { } d ? F($"again and again as new people for {d.TotalSeconds:0} s") : "once";
        Line("load", F($"{options.Supporters} supporters at a time, each walking {updatesPerSupporter} updates {length}; {load}"));
        if (options.ResponseDelay > TimeSpan.Zero)
        {
            Line("bot api delay", F($"{options.ResponseDelay.TotalMilliseconds:0} ms per send/edit"));
        }
    }

    public void Warmup(List<double> rates) =>
        Line("warm-up", F($"{rates.Count} rounds of 1000 supporters, updates/s: ") + string.Join(" ", rates.Select(r => F($"{r:0}"))));

    public void Load(LoadResult result, ProcessSnapshot process, string others, string inProcess, ProcessSnapshot? hostProcess)
    {
        var latencies = result.Measure();
        var answered = latencies.All.Count;
        var wall = ((latencies.AnsweredAt.Count > 0 ? latencies.AnsweredAt.Max() : result.Ended) - result.Started).TotalSeconds;
        var people = result.Sent.Select(s => s.Chat).Distinct().Count();
        Console.WriteLine();
        Line("supporters", F($"{people} walked the flow, {result.Failures.Count} failed"));
        foreach (var failure in result.Failures.Take(3))
        {
            Line("  failed", failure);
        }

        Line("updates", F($"{answered} answered in {wall:0.00} s"));
        Line("updates/s", F($"{answered / wall:0} (steady, middle 80 % of the run: {latencies.SteadyRate():0})"));
        Line("latency ms", Percentiles(latencies.All));
        foreach (var (step, values) in latencies.ByStep)
        {
            Line("  " + step, Percentiles(values));
        }

        Costs(hostProcess is null ? "process" : "bench process", inProcess, process, answered);
        if (hostProcess is { } host)
        {
            Costs("host process", "the host alone", host, answered);
        }

        Line("other processes", F($"{others}; load average {LoadAverage()}"));
    }

    private static void Costs(string label, string what, ProcessSnapshot p, int updates)
    {
        updates = Math.Max(updates, 1);
        Line(label, F($"{p.Cpu.TotalSeconds / p.Wall.TotalSeconds:0.00} cores ({what}), {p.Cpu.TotalMilliseconds * 1000 / updates:0} µs CPU/update"));
        Line("  memory", F($"heap {p.HeapBytes / 1048576.0:0} MB, {p.Allocated / 1024.0 / updates:0.0} KB allocated/update; {(p.ServerGc ? "Server" : "Workstation")} GC gen0/1/2 {p.Gen0}/{p.Gen1}/{p.Gen2}, paused {p.GcPause.TotalMilliseconds:0} ms ({p.GcPause / p.Wall:P1} of the time); JIT {p.JitMethods} methods, {p.JitTime.TotalMilliseconds:0} ms"));
    }

    public void Telegram(LoadResult result)
    {
        var updates = Math.Max(result.Sent.Count(s => s.Answered), 1);
        var methods = result.Calls.OrderByDescending(c => c.Value).Select(c => F($"{c.Key} {c.Value / (double)updates:0.00}"));
        Line("bot api/update", string.Join(", ", methods));
        var polls = result.Calls.GetValueOrDefault("getUpdates");
        Line("getUpdates", F($"{polls} calls, {updates / (double)Math.Max(polls, 1):0.0} updates per batch on average"));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public void Redis(RedisStats used, LoadResult result, List<StackExchange.Redis.Profiling.IProfiledCommand>? sent, long sessionBytes, bool inProcess)
    {
        var updates = Math.Max(result.Sent.Count(s => s.Answered), 1);
        var seconds = used.Timestamp / (double)System.Diagnostics.Stopwatch.Frequency;
        Line("redis CPU", inProcess ? "(in process)" : F($"{used.CpuSeconds / seconds:0.00} cores, {used.CpuSeconds * 1e6 / updates:0} µs/update"));

        // The server counts every command it runs, those inside Lua scripts and MULTI/EXEC included.
        Line("redis cmds/update", used.Calls.Count == 0
            ? "(the server reports no commandstats)"
            : F($"{used.TotalCommands / (double)updates:0.00} seen by the server: ") + Names(used.Calls, updates));

        // The host's own requests, from StackExchange.Redis's profiler: one per round trip (a MULTI/EXEC shows as its EXEC,
        // a script as one EVAL, sent as EVALSHA). Only when the host runs in this process.
        if (sent is not null)
        {
            var byName = sent.GroupBy(c => c.Command.ToLowerInvariant()).Select(g => KeyValuePair.Create(g.Key, (long)g.Count())).ToList();
            Line("round trips/update", F($"{byName.Sum(c => c.Value) / (double)updates:0.00} = ") + Names(byName, updates) + " (what the host sent)");
        }

        if (sessionBytes > 0)
        {
            Line("session JSON", F($"{sessionBytes} bytes (a joined supporter)"));
        }
    }

    public void RedisOnly(int count, TimeSpan wall, List<double> latencies, ProcessSnapshot process, string others, RedisStats used, bool inProcess)
    {
        var seconds = wall.TotalSeconds;
        Console.WriteLine();
        Line("updates", F($"{count} in {seconds:0.00} s (LoadSessionAndCount.lua + SaveSession.lua; two MULTI/EXECs on the join)"));
        Line("updates/s", F($"{count / seconds:0}"));
        Line("latency ms", Percentiles(latencies));
        Line("process CPU", F($"{process.Cpu.TotalSeconds / seconds:0.00} cores (StackExchange.Redis client{(inProcess ? " + Garnet" : "")}), {process.Cpu.TotalMilliseconds * 1000 / Math.Max(count, 1):0} µs/update"));
        Line("redis CPU", inProcess ? "(in process)" : F($"{used.CpuSeconds / seconds:0.00} cores, {used.CpuSeconds * 1e6 / Math.Max(count, 1):0} µs/update"));
        Line("redis cmds/update", F($"{used.TotalCommands / (double)Math.Max(count, 1):0.00}; ") + Names(used.Calls, Math.Max(count, 1)));
        Line("other processes", F($"{others}; load average {LoadAverage()}"));
    }

    public void Workflow(double handleMicros, double handleAllocatedKb, double withJsonMicros, double allocatedKb, int events)
    {
        Console.WriteLine();
        Line("events", F($"{events} (after as many to warm up)"));
        Line("workflow.Handle", F($"{handleMicros:0.0} µs/event, {handleAllocatedKb:0.0} KB allocated/event"));
        Line("with session JSON", F($"{withJsonMicros:0.0} µs/event, {allocatedKb:0.0} KB allocated/event"));
    }

    public bool Failed(LoadResult result) => result.Failures.Count > 0;

    /// <summary>Per-update counts by name, largest first; names below 0.005 per update (heartbeats, the bench's own) left out.</summary>
    private static string Names(IEnumerable<KeyValuePair<string, long>> calls, int updates) =>
        string.Join(", ", calls.Where(c => c.Value / (double)updates >= 0.005).OrderByDescending(c => c.Value).Select(c => F($"{c.Key} {c.Value / (double)updates:0.00}")));

    private static string Percentiles(List<double> values)
    {
        if (values.Count == 0)
        {
            return "-";
        }

        values.Sort();
        double At(double p) => values[Math.Clamp((int)Math.Ceiling(p * values.Count) - 1, 0, values.Count - 1)];
        return F($"p50 {At(0.50),6:0.0}  p90 {At(0.90),6:0.0}  p99 {At(0.99),6:0.0}  max {values[^1],6:0.0}  (n={values.Count})");
    }

    private static string F(FormattableString text) => text.ToString(Inv);

    private static void Line(string label, string value) => Console.WriteLine($"{label,-20} {value}");
}

/// <summary>Real time shifted to a fixed start, so "today" is a campaign day while timers and delays stay real.</summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
{
    /// <summary>26 November 2026, 09:30 in India: the sample calendar runs #SpeakUpForFarmers that day.</summary>
    public static readonly DateTimeOffset CampaignMorning = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);

    private readonly TimeSpan offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}

/// <summary>CPU, allocations and collections of this process at one moment (or, after <see cref="Since"/>, over a span).</summary>
internal readonly record struct ProcessSnapshot(TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan GcPause, long JitMethods, TimeSpan JitTime, long Timestamp, bool ServerGc, long HeapBytes)
{
    public TimeSpan Wall => TimeSpan.FromSeconds(Timestamp / (double)System.Diagnostics.Stopwatch.Frequency);

    public static ProcessSnapshot Take() => new(
        Environment.CpuUsage.TotalTime,
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration(),
        System.Runtime.JitInfo.GetCompiledMethodCount(),
        System.Runtime.JitInfo.GetCompilationTime(),
        System.Diagnostics.Stopwatch.GetTimestamp(),
        GCSettings.IsServerGC,
        GC.GetGCMemoryInfo().HeapSizeBytes);

    public string Serialize() => string.Join(' ', new[] { Cpu.Ticks, Allocated, Gen0, Gen1, Gen2, GcPause.Ticks, JitMethods, JitTime.Ticks, Timestamp, ServerGc ? 1 : 0, HeapBytes }
        .Select(v => v.ToString(CultureInfo.InvariantCulture)));

    public static ProcessSnapshot Parse(string text)
    {
        var v = text.Split(' ').Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return new(TimeSpan.FromTicks(v[0]), v[1], (int)v[2], (int)v[3], (int)v[4], TimeSpan.FromTicks(v[5]), v[6], TimeSpan.FromTicks(v[7]), v[8], v[9] == 1, v[10]);
    }

    public ProcessSnapshot Since(ProcessSnapshot before) =>
        new(Cpu - before.Cpu, Allocated - before.Allocated, Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, GcPause - before.GcPause, JitMethods - before.JitMethods, JitTime - before.JitTime, Timestamp - before.Timestamp, ServerGc, HeapBytes);
}
