namespace VoScript.Engine.Runtime;

/// <summary>
/// Things that live for one run and are shared by its steps (a SAMP connection, say):
/// made on first use by whichever step needs them, disposed by the executor when the
/// run ends, whether it succeeded, failed or was cancelled (last made, first disposed).
/// </summary>
public sealed class RunResources : IAsyncDisposable
{
    private readonly Dictionary<string, object> _byKey = new(StringComparer.Ordinal);
    private readonly List<object> _order = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>The resource under <paramref name="key"/>, made by <paramref name="create"/> the first time (once, even when steps ask at the same time).</summary>
    public T GetOrAdd<T>(string key, Func<T> create) where T : class
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_byKey.TryGetValue(key, out var existing)) return (T)existing;
            var made = create();
            _byKey[key] = made;
            _order.Add(made);
            return made;
        }
    }

    /// <summary>Disposes every resource (IAsyncDisposable or IDisposable), last made first.</summary>
    public async ValueTask DisposeAsync()
    {
        List<object> items;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            items = _order.AsEnumerable().Reverse().ToList();
        }
        foreach (var item in items)
        {
            switch (item)
            {
                case IAsyncDisposable a: await a.DisposeAsync().ConfigureAwait(false); break;
                case IDisposable d: d.Dispose(); break;
            }
        }
    }
}
