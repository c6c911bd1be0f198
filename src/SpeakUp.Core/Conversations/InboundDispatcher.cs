using Microsoft.Extensions.Logging;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Conversations;

/// <summary>
/// Runs events of one chat strictly one after another, in arrival order, and different chats in parallel up to a bound.
/// A per-chat queue (rather than a lock per chat) keeps order even when events arrive faster than they are handled,
/// and a chat with nothing queued costs nothing.
/// </summary>
public sealed partial class InboundDispatcher : IInboundDispatcher, IDisposable
{
    private readonly Func<InboundEvent, CancellationToken, Task> _handler;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _parallel;
    private readonly Dictionary<ChatKey, Queue<WorkItem>> _queues = [];
    private readonly Lock _gate = new();

    public InboundDispatcher(ConversationEngine engine, ILogger<InboundDispatcher> logger, int maxParallelChats = 64)
        : this(engine.HandleAsync, logger, maxParallelChats)
    {
    }

    public InboundDispatcher(Func<InboundEvent, CancellationToken, Task> handler, ILogger logger, int maxParallelChats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelChats, 1);
        _handler = handler;
        _logger = logger;
        _parallel = new SemaphoreSlim(maxParallelChats, maxParallelChats);
    }

    public Task DispatchAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        var item = new WorkItem(inbound, cancellationToken);
        Queue<WorkItem>? startedQueue = null;
        lock (_gate)
        {
            if (_queues.TryGetValue(inbound.Chat, out var queue))
            {
                queue.Enqueue(item);
            }
            else
            {
                startedQueue = new Queue<WorkItem>();
                startedQueue.Enqueue(item);
                _queues[inbound.Chat] = startedQueue;
            }
        }

        if (startedQueue is not null)
        {
            _ = Task.Run(() => DrainAsync(inbound.Chat, startedQueue), CancellationToken.None);
        }

        return item.Done.Task;
    }

    private async Task DrainAsync(ChatKey chat, Queue<WorkItem> queue)
    {
        await _parallel.WaitAsync(CancellationToken.None);
        try
        {
            while (true)
            {
                WorkItem item;
                lock (_gate)
                {
                    if (queue.Count == 0)
                    {
                        _queues.Remove(chat);
                        return;
                    }

                    item = queue.Dequeue();
                }

                try
                {
                    await _handler(item.Event, item.CancellationToken);
                    item.Done.TrySetResult();
                }
                catch (OperationCanceledException) when (item.CancellationToken.IsCancellationRequested)
                {
                    item.Done.TrySetCanceled(item.CancellationToken);
                }
                catch (Exception ex)
                {
                    LogHandlerFailed(_logger, ex, chat, item.Event.Kind);
                    item.Done.TrySetException(ex);
                }
            }
        }
        finally
        {
            _parallel.Release();
        }
    }

    public void Dispose() => _parallel.Dispose();

    private sealed class WorkItem(InboundEvent inbound, CancellationToken cancellationToken)
    {
        public InboundEvent Event { get; } = inbound;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 110, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "Handling a {Kind} event for {Chat} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, ChatKey chat, InboundKind kind);
}
