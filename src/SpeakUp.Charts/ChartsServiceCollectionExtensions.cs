using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Admin;

namespace SpeakUp.Charts;

public static class ChartsServiceCollectionExtensions
{
    /// <summary>Registers the /stats chart renderer (SkiaSharp) and binds the "Charts" section.</summary>
    public static IServiceCollection AddSpeakUpCharts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChartOptions>().Bind(configuration.GetSection(ChartOptions.Section));
        services.AddSingleton<IStatsChart, SkiaStatsChart>();
        return services;
    }
}
