using System.Collections.Concurrent;

namespace McpGate.Policy.Classification;

/// <summary>
/// Verdicts of steps 2–4 per (server, tool, content hash) (docs/classifier.md, "The cache"). Bounded: when full it is
/// cleared, so an upstream that keeps renaming or rewording tools cannot grow it without limit.
/// </summary>
/// <remarks>
/// The hash is <see cref="HashCode"/> (randomised per process, so an upstream cannot aim for
/// collisions). A hit is only served after comparing the stored descriptor content with the
/// caller's, so even a collision can never return another tool's verdict.
/// </remarks>
internal sealed class ClassificationCache
{
    private readonly ConcurrentDictionary<CacheKey, CacheEntry> _entries = new();
    private readonly Lock _clearLock = new();
    private readonly int _capacity;

    // Our own count: ConcurrentDictionary.Count takes every lock. Approximate under races, which is
    // fine for a bound.
    private int _count;

    public ClassificationCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    public ToolClassification GetOrAdd(string server, ToolDescriptor tool)
    {
        var key = new CacheKey(server, tool.Name, ContentHash(tool));
        if (_entries.TryGetValue(key, out var cached) && cached.Describes(tool))
        {
            return cached.Result;
        }

        var result = ToolClassifier.ClassifyByContent(tool);
        Store(key, new CacheEntry(tool, result));
        return result;
    }

    internal static int ContentHash(ToolDescriptor tool)
    {
        var hash = new HashCode();
        hash.Add(ToolClassifier.Version);
        hash.Add(tool.Description);
        hash.Add(Encode(tool.ReadOnlyHint));
        hash.Add(Encode(tool.DestructiveHint));
        var names = tool.InputPropertyNames;
        hash.Add(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            hash.Add(names[i]);
        }

        return hash.ToHashCode();
    }

    private static int Encode(bool? hint) => hint switch
    {
        null => 0,
        false => 1,
        true => 2,
    };

    private void Store(CacheKey key, CacheEntry entry)
    {
        if (Volatile.Read(ref _count) >= _capacity)
        {
            lock (_clearLock)
            {
                if (Volatile.Read(ref _count) >= _capacity)
                {
                    _entries.Clear();
                    Volatile.Write(ref _count, 0);
                }
            }
        }

        if (_entries.TryAdd(key, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            // Same key, other content (a hash collision) or a racing thread: the newest verdict wins.
            _entries[key] = entry;
        }
    }

    private readonly record struct CacheKey(string Server, string Tool, int ContentHash);

    private sealed class CacheEntry
    {
        private readonly string? _description;
        private readonly bool? _readOnlyHint;
        private readonly bool? _destructiveHint;
        private readonly string[] _propertyNames;

        public CacheEntry(ToolDescriptor tool, ToolClassification result)
        {
            _description = tool.Description;
            _readOnlyHint = tool.ReadOnlyHint;
            _destructiveHint = tool.DestructiveHint;

            // A copy: the caller's list may be mutable, and the entry must keep what was classified.
            var names = tool.InputPropertyNames;
            _propertyNames = new string[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                _propertyNames[i] = names[i];
            }

            Result = result;
        }

        public ToolClassification Result { get; }

        public bool Describes(ToolDescriptor tool)
        {
            if (!string.Equals(_description, tool.Description, StringComparison.Ordinal)
                || _readOnlyHint != tool.ReadOnlyHint
                || _destructiveHint != tool.DestructiveHint)
            {
                return false;
            }

            var names = tool.InputPropertyNames;
            if (names.Count != _propertyNames.Length)
            {
                return false;
            }

            for (var i = 0; i < _propertyNames.Length; i++)
            {
                if (!string.Equals(_propertyNames[i], names[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
