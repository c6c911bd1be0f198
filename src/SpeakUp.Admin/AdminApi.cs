using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SpeakUp.Admin;

/// <summary>Settings of the admin HTTP API (section "Admin").</summary>
public sealed class AdminApiOptions
{
    public const string Section = "Admin";

    /// <summary>Bearer key for /admin/*. Secret: environment or user-secrets. Empty = the admin API answers 404.</summary>
    public string ApiKey { get; set; } = "";

    public bool Enabled => !string.IsNullOrEmpty(ApiKey);
}

internal sealed class AdminApiOptionsValidator : IValidateOptions<AdminApiOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminApiOptions options) =>
        options.Enabled && options.ApiKey.Length < 32
            ? ValidateOptionsResult.Fail("Admin:ApiKey must be at least 32 characters (use a random key), or empty to turn the admin API off.")
            : ValidateOptionsResult.Success;
}

public static class AdminApi
{
    public static IServiceCollection AddAdminApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminApiOptions>().Bind(configuration.GetSection(AdminApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminApiOptions>, AdminApiOptionsValidator>();
        return services;
    }

    /// <summary>
    /// The /admin route group, authorized by <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c> compared in constant time.
    /// Features add their endpoints to the group this returns.
    /// </summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin");
        group.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminApiOptions>>().Value;
            if (!options.Enabled)
            {
                return Results.NotFound();
            }

            return IsAuthorized(context.HttpContext.Request.Headers.Authorization.ToString(), options.ApiKey)
                ? await next(context)
                : Results.Unauthorized();
        });
        return group;
    }

    internal static bool IsAuthorized(string header, string apiKey)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        // Hash both sides so the comparison takes the same time whatever the lengths.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
