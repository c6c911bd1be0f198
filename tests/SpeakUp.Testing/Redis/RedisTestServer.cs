using StackExchange.Redis;

namespace SpeakUp.Testing.Redis;

/// <summary>
/// A server speaking the Redis protocol, started once per test class (xunit class fixture) and shared by its tests.
/// Tests isolate themselves with <see cref="NewKeyPrefix"/> and their own chat ids, so they can run in parallel.
/// </summary>
public abstract class RedisTestServer : IDisposable
{
    private ConnectionMultiplexer? connection;

    /// <summary>"redis-server" or "garnet": shows in test output which backend a failure came from.</summary>
    public abstract string Name { get; }

    /// <summary>False when the server could not be started here (then <see cref="UnavailableReason"/> says why and tests skip).</summary>
    public bool IsAvailable => connection is not null;

    public string? UnavailableReason { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public IConnectionMultiplexer Connection =>
        connection ?? throw new InvalidOperationException($"{Name} is not available: {UnavailableReason}");

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewKeyPrefix() => $"test:{Guid.NewGuid():N}:";

    public override string ToString() => Name;

    public void Dispose()
    {
        connection?.Dispose();
        connection = null;
        StopServer();
        GC.SuppressFinalize(this);
    }

    protected void Connected(string connectionString)
    {
        ConnectionString = connectionString;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ClientName = "speakup-tests";
        connection = ConnectionMultiplexer.Connect(options);
    }

    protected void Unavailable(string reason) => UnavailableReason = reason;

    protected abstract void StopServer();
}
