using SpeakUp.Testing.Redis;

namespace BotHost.Tests;

[CollectionDefinition(Name)]
public sealed class OnGarnet : ICollectionFixture<GarnetFixture>
{
    public const string Name = "host on garnet";
}

[CollectionDefinition(Name)]
public sealed class OnRedisServer : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "host on redis-server";
}
