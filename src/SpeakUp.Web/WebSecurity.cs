using Microsoft.AspNetCore.Http;

namespace SpeakUp.Web;

/// <summary>
/// Headers and origin rules of every web chat response. The page runs no inline script or style, so its CSP is
/// <c>'self'</c> only; everything else (JSON, the event stream) may not be framed or run anything at all.
/// CORS is answered here rather than by the host's CORS middleware, so the channel needs no pipeline changes.
/// </summary>
internal static class WebSecurity
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    private const string AllowedHeaders = "Content-Type, " + WebIdentity.CsrfHeader + ", " + WebIdentity.ActAsHeader + ", Last-Event-ID";

    /// <summary>The page's policy: its own script and style only; framed by this host and Web:AllowedOrigins only.</summary>
    public static string PagePolicy(WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ancestors = options.AllowedOrigins.Count == 0 ? "'self'" : "'self' " + string.Join(' ', options.AllowedOrigins);
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + ancestors;
    }

    public static void ApplyDefaults(HttpContext context, WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ApiPolicy;
        ApplyCors(context, options);
    }

    /// <summary>For a request from one of Web:AllowedOrigins: let it read the answer, cookies included.</summary>
    public static void ApplyCors(HttpContext context, WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? origin = context.Request.Headers.Origin;
        context.Response.Headers.Vary = "Origin";
        if (IsListed(origin, options))
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlAllowCredentials = "true";
        }
    }

    /// <summary>A CORS preflight: 204 with the methods and headers the chat uses for a listed origin, 403 for any other.</summary>
    public static int Preflight(HttpContext context, WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsListed(context.Request.Headers.Origin, options))
        {
            return StatusCodes.Status403Forbidden;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowMethods = "GET, POST";
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = "600";
        return StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Whether a browser request may post: no Origin (not a browser, or a same-origin GET-style client), this host's own
    /// origin, or a listed one. The CSRF token is checked as well; this only refuses early.
    /// </summary>
    public static bool MayPost(HttpContext context, WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? origin = context.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (IsListed(origin, options))
        {
            return true;
        }

        // Behind a TLS-terminating proxy the scheme differs; host and port are what identify this site.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsListed(string? origin, WebChatOptions options) =>
        !string.IsNullOrEmpty(origin) && options.AllowedOrigins.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase));
}
