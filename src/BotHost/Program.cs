using SpeakUp.BotHost;

// `BotHost --healthcheck` asks the running instance's /healthz (the container image has no curl).
if (args is ["--healthcheck", ..])
{
    return await HealthProbe.RunAsync(args[1..]);
}

// Configuration problems (a missing key, a broken campaign file) end here as one readable line, not a stack trace.
try
{
    var app = SpeakUpApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is StartupException or Microsoft.Extensions.Options.OptionsValidationException)
{
    await Console.Error.WriteLineAsync("SpeakUp cannot start: " + ex.Message);
    return 2;
}
