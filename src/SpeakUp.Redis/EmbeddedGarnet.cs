using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// A Garnet server inside this process, on 127.0.0.1 and a free port, for single-machine installs and tests.
/// Durable: every write is in the append-only file before the client sees its reply (<c>--aof-commit-wait</c>), so a
/// killed process loses nothing it acknowledged; <see cref="Dispose"/> takes a checkpoint first so the next start replays
/// little. Clients reach it over TCP with StackExchange.Redis, exactly as they would reach a Redis server.
/// </summary>
public sealed class EmbeddedGarnet : IDisposable
{
    private const int StartAttempts = 3;

    private readonly GarnetServer server;
    private readonly FileStream dataDirLock;
    private readonly ILogger logger;
    private int disposed;

    private EmbeddedGarnet(GarnetServer server, FileStream dataDirLock, int port, string dataDirectory, string[] arguments, ILogger logger)
    {
        this.server = server;
        this.dataDirLock = dataDirLock;
        this.logger = logger;
        Port = port;
        DataDirectory = dataDirectory;
        Arguments = arguments;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Absolute path of the data directory (checkpoints and the append-only file are under <c>checkpoints/</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The command line Garnet was started with.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>
    /// Starts Garnet on <paramref name="dataDirectory"/>, recovering what an earlier run left there.
    /// Only one server may use a directory at a time; a second start on it fails with an <see cref="IOException"/>.
    /// </summary>
    /// <param name="dataDirectory">Created when missing.</param>
    /// <param name="memory">Log memory, e.g. "1g". Garnet silently evicts the oldest records when it is full.</param>
    /// <param name="loggerFactory">Garnet's own log lines go here, under categories starting with "Garnet.".</param>
    public static EmbeddedGarnet Start(string dataDirectory, string memory = "1g", ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(memory);
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<EmbeddedGarnet>();

        // Garnet does not lock its files; two servers on one directory would interleave their logs.
        var dataDirLock = LockDirectory(directory);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeLoopbackPort();
                var arguments = BuildArguments(directory, port, memory);
                GarnetServer? server = null;
                try
                {
                    server = new GarnetServer(arguments, new GarnetLoggerFactory(loggerFactory));
                    server.Start();
                    Log.EmbeddedGarnetStarted(logger, port, directory, memory);
                    return new EmbeddedGarnet(server, dataDirLock, port, directory, arguments, logger);
                }
                catch (Exception ex) when (attempt < StartAttempts && IsPortTaken(ex))
                {
                    // Someone took the port between our probe and Garnet's bind.
                    Log.EmbeddedGarnetPortTaken(logger, port, ex);
                    server?.Dispose(deleteDir: false);
                }
                catch
                {
                    server?.Dispose(deleteDir: false);
                    throw;
                }
            }
        }
        catch
        {
            dataDirLock.Dispose();
            throw;
        }
    }

    /// <summary>Garnet's command line for a server on <paramref name="port"/> keeping its files in <paramref name="dataDirectory"/>.</summary>
    internal static string[] BuildArguments(string dataDirectory, int port, string memory) =>
    [
        "--bind", "127.0.0.1",
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--memory", memory,
        "--lua",
        // Plain .NET file I/O. The default native device loads libaio.so.1, absent from a stock Debian 12: measured, its AOF
        // reads fail (pages skipped) and the process terminates on the first flush.
        "--device-type", "RandomAccess",
        "--aof",
        // Issue an AOF commit for every operation, and answer the client only once it is on disk (in the OS's file cache:
        // survives a killed process, not a power cut). Measured: without the wait a kill lost acknowledged writes.
        "--aof-commit-freq", "0",
        "--aof-commit-wait",
        "--recover",
        // The AOF lives in <checkpointdir>/AOF. (--logdir is for the storage tier, which this server does not use.)
        "--checkpointdir", Path.Combine(dataDirectory, "checkpoints"),
        "-q",
    ];

    /// <summary>Takes a checkpoint now (Redis SAVE): the next start loads it instead of replaying the whole AOF.</summary>
    public void Checkpoint()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        TakeCheckpoint();
    }

    /// <summary>Checkpoints, then stops the server. Never deletes the data.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            TakeCheckpoint();
            Log.EmbeddedGarnetCheckpointed(logger, DataDirectory);
        }
        catch (Exception ex) when (ex is RedisException or IOException or SocketException or TimeoutException)
        {
            // The AOF already holds every acknowledged write; the next start just replays more of it.
            Log.EmbeddedGarnetCheckpointFailed(logger, DataDirectory, ex);
        }

        Stop();
    }

    /// <summary>Stops without a checkpoint, the way a killed process would (for tests of recovery from the AOF alone).</summary>
    internal void DisposeWithoutCheckpoint()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            Stop();
        }
    }

    private void TakeCheckpoint()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { new IPEndPoint(IPAddress.Loopback, Port) },
            AllowAdmin = true,
            AbortOnConnectFail = true,
            ConnectTimeout = 5_000,
            SyncTimeout = 60_000,
            ClientName = "speakup-checkpoint",
        };
        using var admin = ConnectionMultiplexer.Connect(options);
        // SAVE (not BGSAVE): Garnet answers once the checkpoint is on disk.
        admin.GetServer(options.EndPoints[0]).Execute("SAVE");
    }

    private void Stop()
    {
        server.Dispose(deleteDir: false);
        dataDirLock.Dispose();
        Log.EmbeddedGarnetStopped(logger, Port);
    }

    /// <summary>Garnet wraps the bind failure in a GarnetException.</summary>
    private static bool IsPortTaken(Exception ex) =>
        (ex as SocketException ?? ex.InnerException as SocketException)?.SocketErrorCode == SocketError.AddressAlreadyInUse;

    private static FileStream LockDirectory(string directory)
    {
        var path = Path.Combine(directory, "garnet.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The Garnet data directory {directory} is in use by another server ({path} is locked).", ex);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Hands Garnet the host's loggers under a "Garnet." category prefix, and mutes its argument parser, which warns on every
/// start that the console-logger options are ignored when a logger factory is given (they are: the host logs).
/// Never disposes the host's factory.
/// </summary>
internal sealed class GarnetLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName == "ArgParser" ? NullLogger.Instance : inner.CreateLogger("Garnet." + categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }
}
