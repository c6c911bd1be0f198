using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram;

/// <summary>
/// Sets the command menu (setMyCommands) in every language of the localizer: the default language's list also without a
/// language code, so clients in other languages see it. Failures are logged, never fatal.
/// </summary>
internal sealed class TelegramCommandsPublisher(ITelegramBotClient bot, IServiceProvider services, ILogger<TelegramCommandsPublisher> logger)
{
    private const int MaxDescriptionLength = 256;

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var localizer = services.GetService<ILocalizer>();
        if (localizer is null)
        {
            Log.CommandsNoLocalizer(logger);
            return;
        }

        var done = 0;
        foreach (var language in localizer.Languages)
        {
            var code = language.Split('-', 2)[0].ToLowerInvariant();
            if (code.Length != 2)
            {
                Log.CommandsBadLanguage(logger, language);
                continue;
            }

            BotCommand[] commands;
            try
            {
                commands = [.. BotCommands.Menu.Select(c => new BotCommand(c, Describe(localizer, language, c)))];
                if (language == localizer.DefaultLanguage)
                {
                    await bot.SetMyCommands(commands, cancellationToken: cancellationToken);
                }

                await bot.SetMyCommands(commands, languageCode: code, cancellationToken: cancellationToken);
                done++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                Log.CommandsFailed(logger, language, ex);
            }
        }

        Log.CommandsSet(logger, done);
    }

    private static string Describe(ILocalizer localizer, string language, string command)
    {
        var text = localizer.Plain(language, BotCommands.DescriptionKey(command)).Trim();
        if (text.Length == 0)
        {
            return command;
        }

        return text.Length <= MaxDescriptionLength ? text : text[..MaxDescriptionLength];
    }
}
