using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Web;

/// <summary>Who is posting: the browser, the chat it talks in, and (simulator only) the user id it acts as.</summary>
internal sealed record WebCaller(string BrowserId, ChatKey Chat, string? UserId, string? ActingAs);

/// <summary>Why a request has no caller: the HTTP status to answer with, and a stable code for the page and the logs.</summary>
internal sealed record WebRefusal(int Status, string Code);

/// <summary>
/// Anonymous web identity. Each browser gets a random 128-bit id in an HttpOnly cookie; that id is a credential and is
/// never stored or logged. Its chat id is a hash of it, so Redis keys, indexes and logs cannot be turned back into a
/// cookie. CSRF tokens are an HMAC of the browser id under a secret shared through Redis (every instance, every restart).
/// </summary>
internal sealed class WebIdentity(WebChatHistory history, IOptions<WebChatOptions> options, TimeProvider time)
{
    public const string CookieName = "speakup_web";
    public const string CsrfHeader = "X-SpeakUp-Csrf";
    public const string ActAsHeader = "X-SpeakUp-Act-As";
    public const string ActAsQuery = "as";

    /// <summary>Chat ids of the simulator's acted users start with this; '.' is outside base64url, so they never meet a browser's.</summary>
    public const string ActedChatPrefix = "as.";

    private readonly WebChatOptions options = options.Value;
    private Task<byte[]>? secret;

    public static string NewBrowserId() => Base64Url(RandomNumberGenerator.GetBytes(16));

    /// <summary>Exactly what <see cref="NewBrowserId"/> makes: 22 base64url characters. Anything else is ignored.</summary>
    public static bool IsBrowserId(string? value) =>
        value is { Length: 22 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The chat id of a browser: 128 bits of SHA-256 of its id, base64url.</summary>
    public static string ChatIdFor(string browserId) =>
        Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes("speakup-web-chat:" + browserId)).AsSpan(0, 16));

    /// <summary>User ids as Bot:AdminIds holds them: digits, with a leading '-' allowed (Telegram group ids).</summary>
    public static bool IsUserId(string? value) =>
        value is { Length: > 0 and <= 20 } && value.Select((c, i) => char.IsAsciiDigit(c) || (c == '-' && i == 0)).All(ok => ok) && value != "-";

    /// <summary>
    /// The caller of a request that needs an identity (every API call but /chat/session, which issues it). Null with a
    /// refusal when the cookie is missing or malformed, or when acting as a user is asked for and not allowed.
    /// </summary>
    public WebCaller? Read(HttpContext context, out WebRefusal? refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        var browserId = context.Request.Cookies[CookieName];
        if (!IsBrowserId(browserId))
        {
            refusal = new WebRefusal(StatusCodes.Status403Forbidden, "no_session");
            return null;
        }

        return ForBrowser(context, browserId!, out refusal);
    }

    /// <summary>The caller for a browser id, applying the act-as header or query when the simulator allows it.</summary>
    public WebCaller? ForBrowser(HttpContext context, string browserId, out WebRefusal? refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        refusal = null;
        string? actAs = context.Request.Headers[ActAsHeader];
        if (string.IsNullOrEmpty(actAs))
        {
            actAs = context.Request.Query[ActAsQuery];
        }

        if (string.IsNullOrEmpty(actAs))
        {
            return new WebCaller(browserId, new ChatKey(WebChatKeys.Channel, ChatIdFor(browserId)), null, null);
        }

        if (!options.Simulator)
        {
            // Impersonation exists only for local development; with the simulator off it is refused, never ignored,
            // so a misconfigured page notices instead of silently posting as itself.
            refusal = new WebRefusal(StatusCodes.Status403Forbidden, "impersonation_off");
            return null;
        }

        if (!IsUserId(actAs))
        {
            refusal = new WebRefusal(StatusCodes.Status400BadRequest, "bad_user_id");
            return null;
        }

        return new WebCaller(browserId, new ChatKey(WebChatKeys.Channel, ActedChatPrefix + actAs), actAs, actAs);
    }

    /// <summary>
    /// The browser id of the cookie, or a new one. Either way the cookie is (re)written, so its expiry slides. In an
    /// embedded frame over https the cookie is SameSite=None and Partitioned (a cross-site frame cannot keep a Strict one);
    /// otherwise SameSite=Strict.
    /// </summary>
    public string IssueCookie(HttpContext context, bool embedded)
    {
        ArgumentNullException.ThrowIfNull(context);
        var browserId = context.Request.Cookies[CookieName];
        if (!IsBrowserId(browserId))
        {
            browserId = NewBrowserId();
        }

        var crossSiteFrame = embedded && context.Request.IsHttps;
        var cookie = new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = crossSiteFrame ? SameSiteMode.None : SameSiteMode.Strict,
            Path = context.Request.PathBase.HasValue ? context.Request.PathBase.Value : "/",
            Expires = time.GetUtcNow().AddDays(365),
            IsEssential = true,
        };
        if (crossSiteFrame)
        {
            cookie.Extensions.Add("Partitioned");
        }

        context.Response.Cookies.Append(CookieName, browserId!, cookie);
        return browserId!;
    }

    public async Task<string> CsrfTokenAsync(string browserId, CancellationToken cancellationToken)
    {
        var key = await SecretAsync(cancellationToken);
        return Base64Url(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("csrf:" + browserId)));
    }

    public async Task<bool> CheckCsrfAsync(string browserId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return false;
        }

        var expected = await CsrfTokenAsync(browserId, cancellationToken);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token));
    }

    private Task<byte[]> SecretAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref secret);
        if (current is { IsCompletedSuccessfully: true })
        {
            return current;
        }

        // A failed read (Redis down) is not cached: the next request tries again.
        var fresh = history.SecretAsync(cancellationToken);
        Interlocked.CompareExchange(ref secret, fresh, current);
        return fresh;
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
