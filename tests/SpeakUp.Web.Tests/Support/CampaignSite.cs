using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SpeakUp.Web.Tests.Support;

/// <summary>
/// A stand-in for a campaign's own website: one page on another loopback port (so another origin) that embeds the chat
/// with README's one-line snippet.
/// </summary>
internal sealed class CampaignSite : IAsyncDisposable
{
    private readonly WebApplication app;
    private volatile string html = "<!doctype html><title>Campaign</title>";

    private CampaignSite(WebApplication app) => this.app = app;

    public string Origin => app.Urls.First().TrimEnd('/');

    public static async Task<CampaignSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var site = new CampaignSite(builder.Build());
        site.app.MapGet("/", () => Results.Content(site.html, "text/html; charset=utf-8"));
        await site.app.StartAsync();
        return site;
    }

    /// <summary>Puts the snippet for the chat at <paramref name="chat"/> on the page.</summary>
    public void Embed(Uri chat) => html = $"""
        <!doctype html><html lang="hi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Campaign</title></head>
        <body><h1>#SpeakUp</h1>
        <script src="{chat}widget.js" data-lang="hi" defer></script>
        </body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
