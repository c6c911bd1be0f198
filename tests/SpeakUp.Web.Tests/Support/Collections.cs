using SpeakUp.Testing.Redis;

namespace SpeakUp.Web.Tests.Support;

/// <summary>An embedded Garnet and a web chat host with default settings, shared by the HTTP and browser tests.</summary>
public sealed class ChatServerFixture : IAsyncLifetime
{
    private WebChatHost? host;

    public GarnetFixture Garnet { get; } = new();

    internal WebChatHost Host => host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => host = await WebChatHost.StartAsync(Garnet);

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        Garnet.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ChatServerDefinition : ICollectionFixture<ChatServerFixture>
{
    public const string Name = "chat server";
}
