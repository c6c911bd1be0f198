using System.Globalization;

namespace SpeakUp.Testing.Measurement;

/// <summary>
/// CPU time of every process on the machine at one moment (/proc/PID/stat: utime, stime and reaped children's). The
/// machine is shared; what other processes took during a run says how far its numbers can be trusted.
/// </summary>
public sealed class OtherProcesses
{
    private readonly Dictionary<int, (string Name, double Seconds)> processes = [];

    public static OtherProcesses Take()
    {
        var snapshot = new OtherProcesses();
        foreach (var dir in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // pid (comm) state ppid … utime(14) stime(15) cutime(16) cstime(17), in clock ticks of 1/100 s.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
                snapshot.processes[pid] = (stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close], ticks / 100.0);
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return snapshot;
    }

    /// <summary>Cores used since <paramref name="before"/> by processes other than <paramref name="exclude"/>, and the busiest of them.</summary>
    public string Since(OtherProcesses before, TimeSpan wall, params int?[] exclude)
    {
        var used = processes
            .Where(p => !exclude.Contains(p.Key))
            .Select(p => (p.Value.Name, Seconds: p.Value.Seconds - (before.processes.TryGetValue(p.Key, out var b) ? b.Seconds : 0)))
            .Where(p => p.Seconds > 0)
            .ToList();
        var top = used.GroupBy(p => p.Name).Select(g => (Name: g.Key, Seconds: g.Sum(p => p.Seconds))).OrderByDescending(p => p.Seconds).Take(3)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Seconds / wall.TotalSeconds:0.00}"));
        return string.Create(CultureInfo.InvariantCulture, $"{used.Sum(p => p.Seconds) / wall.TotalSeconds:0.00} cores ({string.Join(", ", top)})");
    }
}
