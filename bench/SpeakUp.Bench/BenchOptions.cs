using System.Globalization;

namespace SpeakUp.Bench;

/// <summary>What to run, from the command line. Every run is bounded: a fixed number of steps and a hard time limit.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        SpeakUp.Bench: N simulated supporters walk onboarding and /today against the real host, the fake Bot API and a real Redis.

          --supporters N     supporters in the measured run (default 2000)
          --rate R           offered load in updates/s, each supporter pausing between steps (think time) so that all of
                             them together send about R/s; 0 = closed loop, the next step right after the answer (default 0)
          --duration S       keep N supporters mid-flow for S seconds: one who is through starts again as a new person
                             (default: each supporter walks the flow once)
          --today K          /today requests per supporter after joining (default 1; the flow is 6 + K updates)
          --warmup R         at most R warm-up rounds of 1000 supporters, not measured, until tiered JIT has settled
                             (two rounds within 5 % in updates/s, at least 6); 0 = none (default 12)
          --redis CONN       use this Redis (StackExchange.Redis connection string) instead of starting redis-server
          --garnet           use the embedded Garnet (SpeakUp.Redis.EmbeddedGarnet, durable AOF) instead of redis-server
          --mode M           host (default): the real host; fake: the fake Bot API with a trivial echo bot and no Redis;
                             redis: the host's Redis calls alone (load-and-count + save scripts, two MULTI/EXECs on join);
                             workflow: SupporterWorkflow.Handle and the session JSON alone, on one thread
          --host-process     run the host in a child process of its own, so its CPU is measured apart from the fake
                             Bot API's and the driver's (replies are signalled over the child's stdout)
          --host-cpus LIST   with --host-process: pin the host to these CPUs (taskset -c LIST), e.g. 1
          --concurrency C    redis mode: parallel workers (default 64, the dispatcher's parallel chats)
          --response-delay MS  fake Bot API holds each send/edit answer this long (default 0)
          --timeout S        hard limit for the measured run in seconds (default 180)
          --seed S           random seed for think times (default 1)
        """;

    public int Supporters { get; private set; } = 2000;

    public double Rate { get; private set; }

    public int Todays { get; private set; } = 1;

    public TimeSpan? Duration { get; private set; }

    public int Warmup { get; private set; } = 12;

    public string? RedisConnection { get; private set; }

    public bool Garnet { get; private set; }

    public string Mode { get; private set; } = "host";

    public int Concurrency { get; private set; } = 64;

    public bool HostProcess { get; private set; }

    public string? HostCpus { get; private set; }

    public TimeSpan ResponseDelay { get; private set; }

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(180);

    public int Seed { get; private set; } = 1;

    /// <summary>Null (with the reason in <paramref name="error"/>) when the arguments are wrong.</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        var o = new BenchOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value");
            try
            {
                switch (name)
                {
                    case "--supporters": o.Supporters = Positive(Value()); break;
                    case "--rate": o.Rate = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture); break;
                    case "--duration": o.Duration = TimeSpan.FromSeconds(Positive(Value())); break;
                    case "--today": o.Todays = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--warmup": o.Warmup = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--redis": o.RedisConnection = Value(); break;
                    case "--garnet": o.Garnet = true; break;
                    case "--mode": o.Mode = Value(); break;
                    case "--concurrency": o.Concurrency = Positive(Value()); break;
                    case "--host-process": o.HostProcess = true; break;
                    case "--host-cpus": o.HostCpus = Value(); break;
                    case "--response-delay": o.ResponseDelay = TimeSpan.FromMilliseconds(Positive(Value(), allowZero: true)); break;
                    case "--timeout": o.Timeout = TimeSpan.FromSeconds(Positive(Value())); break;
                    case "--seed": o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "-h" or "--help": error = ""; return null;
                    default: error = "unknown argument " + name; return null;
                }
            }
            catch (FormatException ex)
            {
                error = $"{name}: {ex.Message}";
                return null;
            }
        }

        if (o.Mode is not ("host" or "fake" or "redis" or "workflow"))
        {
            error = "--mode is host, fake, redis or workflow";
            return null;
        }

        if (o.Garnet && o.RedisConnection is not null)
        {
            error = "--garnet and --redis exclude each other";
            return null;
        }

        if (o.Rate < 0 || o.Todays < 0 || o.Warmup < 0)
        {
            error = "--rate, --today and --warmup cannot be negative";
            return null;
        }

        return o;
    }

    private static int Positive(string text, bool allowZero = false)
    {
        var value = int.Parse(text, CultureInfo.InvariantCulture);
        return value > 0 || (allowZero && value == 0) ? value : throw new FormatException("must be positive");
    }
}
