using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SpeakUp.Testing.Redis;

/// <summary>
/// A throwaway <c>redis-server</c> on a free loopback port: no snapshots, no AOF, killed on dispose.
/// Without redis-server on PATH the fixture is unavailable and tests skip, except under CI=true, where that is a setup
/// error and the constructor throws, so a CI run cannot pass by silently skipping the Redis half.
/// </summary>
public sealed class RedisServerFixture : RedisTestServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string? executable;
    private Process? process;
    private int port;

    public RedisServerFixture()
    {
        executable = FindOnPath("redis-server");
        if (executable is null)
        {
            const string reason = "redis-server is not on PATH (apt-get install redis-server)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(reason + "; CI=true, so the Redis tests must not be skipped.");
            }

            Unavailable(reason);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            port = FreeLoopbackPort();
            process = TryStart(executable, port, out var output);
            if (process is not null)
            {
                Connected($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
                return;
            }

            // Most likely someone took the port between our probe and redis-server's bind.
            if (attempt == 3)
            {
                throw new InvalidOperationException($"redis-server did not start on 127.0.0.1:{port}. Its output:\n{output}");
            }
        }
    }

    public override string Name => "redis-server";

    /// <summary>Kills the server (SIGKILL), as a crash or a restart would; <see cref="StartAgain"/> brings it back on the same port, empty.</summary>
    public void Kill() => StopServer();

    public void StartAgain()
    {
        if (executable is null || process is not null)
        {
            throw new InvalidOperationException("redis-server is not installed, or still running.");
        }

        process = TryStart(executable, port, out var output)
            ?? throw new InvalidOperationException($"redis-server did not start again on 127.0.0.1:{port}. Its output:\n{output}");
    }

    protected override void StopServer()
    {
        if (process is null)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        process.Dispose();
        process = null;
    }

    /// <summary>Starts redis-server and waits for its "Ready to accept connections" line; null (with its output) when it exits first.</summary>
    private static Process? TryStart(string executable, int port, out string output)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--daemonize", "no", "--dir", Path.GetTempPath(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var log = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var redis = new Process { StartInfo = start, EnableRaisingEvents = true };
        redis.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetResult(false);
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult(true);
            }
        };
        redis.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        redis.Exited += (_, _) => ready.TrySetResult(false);
        redis.Start();
        redis.BeginOutputReadLine();
        redis.BeginErrorReadLine();

        var started = ready.Task.Wait(StartTimeout) && ready.Task.Result;
        lock (log)
        {
            output = log.ToString();
        }

        if (started)
        {
            return redis;
        }

        try
        {
            redis.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        redis.Dispose();
        return null;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
