namespace SpeakUp.BotHost;

/// <summary>The container HEALTHCHECK: GET /healthz on the first configured URL, exit 0 when it answers 200.</summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var urls = Environment.GetEnvironmentVariable("Http__Urls") ?? (args.Length > 0 ? args[0] : "http://127.0.0.1:8080");
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(first), "/healthz"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException)
        {
            return 1;
        }
        catch (TaskCanceledException)
        {
            return 1;
        }
    }
}
