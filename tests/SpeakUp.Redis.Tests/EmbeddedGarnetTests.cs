using System.Collections.Concurrent;
using System.Diagnostics;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests;

/// <summary>Durability of the embedded server: what a restart, a stop without checkpoint, and a killed process keep.</summary>
public sealed class EmbeddedGarnetTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 8, 15, 9, 30, 0, TimeSpan.Zero);

    private readonly string dataDirectory = GarnetFixture.NewDataDirectory();
    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    public void Dispose() => GarnetFixture.DeleteDataDirectory(dataDirectory);

    [Fact]
    public void Arguments_make_garnet_durable_on_debian()
    {
        var arguments = string.Join(' ', EmbeddedGarnet.BuildArguments("/var/speakup", 7000, "1g"));

        Assert.Contains("--bind 127.0.0.1", arguments);
        Assert.Contains("--port 7000", arguments);
        Assert.Contains("--memory 1g", arguments);
        Assert.Contains("--lua", arguments);
        Assert.Contains("--device-type RandomAccess", arguments);
        Assert.Contains("--aof ", arguments);
        Assert.Contains("--aof-commit-freq 0", arguments);
        Assert.Contains("--aof-commit-wait", arguments);
        Assert.Contains("--recover", arguments);
        Assert.Contains("--checkpointdir /var/speakup/checkpoints", arguments);
    }

    [Fact]
    public async Task Restart_after_graceful_stop_keeps_saved_session_and_its_ttl()
    {
        var session = Session.New(NewChat(), Now);
        session.FirstName = "Asha";
        using (var garnet = EmbeddedGarnet.Start(dataDirectory, GarnetFixture.TestMemory))
        {
            using var redis = await ConnectAsync(garnet);
            Assert.True(await new RedisSessionStore(redis, keys).TrySaveAsync(session, TimeSpan.FromDays(30), default));
        }

        Assert.True(System.IO.Directory.Exists(Path.Combine(dataDirectory, "checkpoints", "Store")), "the graceful stop took no checkpoint");

        using (var garnet = EmbeddedGarnet.Start(dataDirectory, GarnetFixture.TestMemory))
        {
            using var redis = await ConnectAsync(garnet);
            var loaded = await new RedisSessionStore(redis, keys).LoadAsync(session.Chat, default);
            Assert.NotNull(loaded);
            Assert.Equal("Asha", loaded.FirstName);
            Assert.Equal(1, loaded.Version);
            Assert.NotNull(await redis.GetDatabase().KeyTimeToLiveAsync(keys.Session(session.Chat)));
        }
    }

    [Fact]
    public async Task Acknowledged_writes_survive_a_stop_without_checkpoint()
    {
        var chats = Enumerable.Range(0, 100).Select(_ => NewChat()).ToArray();
        using (var garnet = EmbeddedGarnet.Start(dataDirectory, GarnetFixture.TestMemory))
        {
            using var redis = await ConnectAsync(garnet);
            var store = new RedisSessionStore(redis, keys);
            var saved = await Task.WhenAll(chats.Select(chat => store.TrySaveAsync(Session.New(chat, Now), null, default)));
            Assert.All(saved, Assert.True);
            garnet.DisposeWithoutCheckpoint();
        }

        Assert.False(System.IO.Directory.Exists(Path.Combine(dataDirectory, "checkpoints", "Store")), "a checkpoint was taken; this test is about the AOF alone");

        using (var garnet = EmbeddedGarnet.Start(dataDirectory, GarnetFixture.TestMemory))
        {
            using var redis = await ConnectAsync(garnet);
            var store = new RedisSessionStore(redis, keys);
            foreach (var chat in chats)
            {
                Assert.NotNull(await store.LoadAsync(chat, default));
            }
        }
    }

    [Fact]
    public async Task Acknowledged_writes_survive_killing_the_process_mid_write()
    {
        const int Workers = 16;
        const int AcknowledgedBeforeKill = 300;
        var acknowledged = new ConcurrentBag<ChatKey>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using (var child = await GarnetProcess.StartAsync(dataDirectory))
        {
            using var redis = await ConnectAsync(child.ConnectionString);
            var store = new RedisSessionStore(redis, keys);
            var writers = Enumerable.Range(0, Workers).Select(async _ =>
            {
                while (true)
                {
                    var session = Session.New(NewChat(), Now);
                    session.FirstName = session.Chat.ChatId;
                    try
                    {
                        Assert.True(await store.TrySaveAsync(session, null, default));
                    }
                    catch (StorageUnavailableException)
                    {
                        return;
                    }

                    acknowledged.Add(session.Chat);
                    if (acknowledged.Count >= AcknowledgedBeforeKill)
                    {
                        enough.TrySetResult();
                    }
                }
            }).ToArray();

            await enough.Task;
            child.Kill();
            await Task.WhenAll(writers);
        }

        using (var child = await GarnetProcess.StartAsync(dataDirectory))
        {
            using var redis = await ConnectAsync(child.ConnectionString);
            var store = new RedisSessionStore(redis, keys);
            var lost = new List<ChatKey>();
            foreach (var chat in acknowledged)
            {
                if ((await store.LoadAsync(chat, default))?.FirstName != chat.ChatId)
                {
                    lost.Add(chat);
                }
            }

            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged sessions were lost: {string.Join(", ", lost.Take(5))}");
        }
    }

    [Fact]
    public void A_second_server_on_the_same_directory_is_refused()
    {
        using var first = EmbeddedGarnet.Start(dataDirectory, GarnetFixture.TestMemory);

        var error = Assert.Throws<IOException>(() => EmbeddedGarnet.Start(dataDirectory, GarnetFixture.TestMemory));

        Assert.Contains("in use", error.Message);
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(EmbeddedGarnet garnet) => ConnectAsync(garnet.ConnectionString);

    private static Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;

        // Fail fast once the server is killed instead of queueing writes for a reconnect.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    private static ChatKey NewChat() => new("tg", Guid.NewGuid().ToString("N"));

    /// <summary>This test assembly run as a program (see <see cref="Program"/>): an embedded Garnet that can be SIGKILLed.</summary>
    private sealed class GarnetProcess : IDisposable
    {
        private readonly Process process;

        private GarnetProcess(Process process, int port)
        {
            this.process = process;
            ConnectionString = $"127.0.0.1:{port}";
        }

        public string ConnectionString { get; }

        public static async Task<GarnetProcess> StartAsync(string dataDirectory)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            start.ArgumentList.Add("garnet");
            start.ArgumentList.Add(dataDirectory);
            var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();

            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return new GarnetProcess(process, int.Parse(line["READY ".Length..], System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            await process.WaitForExitAsync();
            throw new InvalidOperationException($"The Garnet child process exited with {process.ExitCode}: {await stderr}");
        }

        /// <summary>SIGKILL: no checkpoint, no flush, no finally blocks.</summary>
        public void Kill()
        {
            process.Kill();
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                // Closing stdin asks the child to stop gracefully (with a checkpoint).
                process.StandardInput.Close();
                if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    process.Kill();
                }
            }

            process.Dispose();
        }
    }
}
