using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Testing.Telegram;

/// <summary>
/// The real update inbox, with an awaited signal for tests: every put and removal that storage acknowledged is mirrored
/// in memory, so a test waits for "handled and removed" on a signal instead of reading Redis in a loop. The mirror holds
/// what this process put (or found pending at start) and has not removed yet.
/// </summary>
public sealed class ObservedUpdateInbox(IUpdateInbox inner) : IUpdateInbox
{
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _pending = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The inbox as storage has it, read without touching the mirror.</summary>
    public IUpdateInbox Inner => inner;

    public async Task PutAsync(string source, IReadOnlyCollection<InboxUpdate> updates, IReadOnlyCollection<long> done, CancellationToken cancellationToken)
    {
        await inner.PutAsync(source, updates, done, cancellationToken);
        Apply(updates.Select(u => u.Id), done);
    }

    public async Task DoneAsync(string source, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await inner.DoneAsync(source, ids, cancellationToken);
        Apply([], ids);
    }

    public async Task<IReadOnlyList<InboxUpdate>> PendingAsync(string source, CancellationToken cancellationToken)
    {
        var pending = await inner.PendingAsync(source, cancellationToken);
        Apply(pending.Select(u => u.Id), []);
        return pending;
    }

    /// <summary>Waits until what is put and not removed satisfies <paramref name="condition"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyCollection<long>, bool> condition, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_pending))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                lock (_gate)
                {
                    throw new TimeoutException($"After {timeout} the inbox still holds [{string.Join(", ", _pending)}].");
                }
            }
        }
    }

    /// <summary>Waits until every update up to <paramref name="updateId"/> that this process put was handled and removed.</summary>
    public Task WaitUntilHandledAsync(long updateId, TimeSpan timeout) => WaitUntilAsync(p => p.All(id => id > updateId), timeout);

    private void Apply(IEnumerable<long> added, IEnumerable<long> removed)
    {
        lock (_gate)
        {
            _pending.ExceptWith(removed);
            _pending.UnionWith(added);
            var changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }
}

public static class ObservedUpdateInboxServiceCollectionExtensions
{
    /// <summary>Wraps the registered <see cref="IUpdateInbox"/> in an <see cref="ObservedUpdateInbox"/>, registered as itself too.</summary>
    public static IServiceCollection ObserveUpdateInbox(this IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IUpdateInbox));
        services.Remove(original);
        services.AddSingleton(sp => new ObservedUpdateInbox(
            original.ImplementationInstance as IUpdateInbox
            ?? original.ImplementationFactory?.Invoke(sp) as IUpdateInbox
            ?? (IUpdateInbox)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)));
        services.AddSingleton<IUpdateInbox>(sp => sp.GetRequiredService<ObservedUpdateInbox>());
        return services;
    }
}
