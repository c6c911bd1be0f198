using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SpeakUp.Core.Localization;

namespace SpeakUp.Web;

/// <summary>One static file, read once from the assembly.</summary>
internal sealed record WebAsset(byte[] Body, string ContentType, string ETag);

/// <summary>
/// The page, its script and style, and widget.js: embedded in the assembly (no wwwroot to deploy, nothing fetched from a
/// CDN), served with an ETag so a phone on patchy data revalidates instead of downloading again.
/// </summary>
internal sealed class WebAssets
{
    public const string Page = "index.html";
    public const string Script = "chat.js";
    public const string Style = "chat.css";
    public const string Widget = "widget.js";

    private readonly Dictionary<string, WebAsset> assets = new(StringComparer.Ordinal);

    public WebAssets(ILocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        foreach (var (name, type) in new[]
                 {
                     (Page, "text/html; charset=utf-8"),
                     (Script, "text/javascript; charset=utf-8"),
                     (Style, "text/css; charset=utf-8"),
                 })
        {
            assets[name] = Make(Read(name), type);
        }

        // The widget runs on other sites before it can ask us anything, so its labels come with it, in every language.
        var labels = localizer.Languages.ToDictionary(
            lang => lang,
            lang => WebStrings.WidgetKeys.ToDictionary(k => k["web.".Length..], k => localizer.Plain(lang, k), StringComparer.Ordinal),
            StringComparer.Ordinal);
        var json = JsonSerializer.Serialize(labels, WebJson.Context.DictionaryStringDictionaryStringString);
        var widget = Encoding.UTF8.GetString(Read(Widget))
            .Replace("/*LABELS*/{}", json, StringComparison.Ordinal)
            .Replace("/*DEFAULT_LANGUAGE*/\"hi\"", JsonSerializer.Serialize(localizer.DefaultLanguage, WebJson.Context.String), StringComparison.Ordinal);
        assets[Widget] = Make(Encoding.UTF8.GetBytes(widget), "text/javascript; charset=utf-8");
    }

    public WebAsset this[string name] => assets[name];

    /// <summary>Writes the asset, or 304 when the browser already has this version.</summary>
    public static async Task ServeAsync(HttpContext context, WebAsset asset)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(asset);
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Body, context.RequestAborted);
        }
    }

    private static WebAsset Make(byte[] body, string contentType) =>
        new(body, contentType, "\"" + Convert.ToHexString(SHA256.HashData(body).AsSpan(0, 12)) + "\"");

    private static byte[] Read(string file)
    {
        var name = "SpeakUp.Web.wwwroot." + file;
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded file {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
