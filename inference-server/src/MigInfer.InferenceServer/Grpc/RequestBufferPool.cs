using System.Runtime.CompilerServices;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>
/// Arrays of an exact length for the raw input contents of large requests, kept between requests.
/// A slice receives the same few tensor sizes over and over (a batch of 8 images is the same 4.8 MB each
/// time), and a fresh large-object-heap array for each cost 7 to 8 ms of page faults on the development
/// machine and a gen2 collection every few requests, against 0.1 ms to copy into a warm one. Exact lengths
/// keep each array a whole tensor, so the tensor is still used in place (<see cref="Tensors.RawContentsCodec"/>).
/// Arrays below <see cref="MinLength"/> are left to the GC, which allocates small ones cheaply.
/// </summary>
internal sealed class RequestBufferPool(long capacityBytes, int minLength)
{
    /// <summary>One pool per process (a process serves one slice): up to 128 MiB of idle arrays of 64 KiB and more.</summary>
    public static RequestBufferPool Shared { get; } = new(128L * 1024 * 1024, 64 * 1024);

    private readonly Lock _lock = new();
    private readonly Dictionary<int, Bucket> _free = [];

    // Which arrays this pool handed out and has not got back: only those may come back, and only once, so an
    // array that anything else still holds can never be handed to a second request. Weak, so a request that is
    // never released costs nothing but its array.
    private readonly ConditionalWeakTable<byte[], object> _rented = [];
    private long _retained;
    private long _uses;

    public int MinLength { get; } = minLength;

    /// <summary>Bytes held in idle arrays.</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_lock)
            {
                return _retained;
            }
        }
    }

    /// <summary>An array of exactly <paramref name="length"/> bytes with unspecified contents; the caller overwrites all of it.</summary>
    public byte[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinLength);
        byte[]? array = null;
        lock (_lock)
        {
            if (_free.TryGetValue(length, out var bucket) && bucket.Arrays.TryPop(out array))
            {
                _retained -= length;
                bucket.LastUse = ++_uses;
            }
        }

        // Pinned: ONNX Runtime reads the tensor in place, and a pinned-heap array never blocks compaction.
        array ??= GC.AllocateUninitializedArray<byte>(length, pinned: true);
        _rented.AddOrUpdate(array, array);
        return array;
    }

    /// <summary>
    /// Takes back an array from <see cref="Rent"/> for the next request of its length; anything else, or an array
    /// already returned, is ignored. Keeps at most the capacity, evicting the lengths used longest ago first.
    /// </summary>
    public void Return(byte[] array)
    {
        if (array.Length < MinLength || !_rented.Remove(array) || array.Length > capacityBytes)
        {
            return;
        }

        lock (_lock)
        {
            while (_retained + array.Length > capacityBytes && Oldest(except: array.Length) is { } victim)
            {
                var evicted = victim.Arrays.Pop();
                _retained -= evicted.Length;
                if (victim.Arrays.Count == 0)
                {
                    _free.Remove(evicted.Length);
                }
            }

            if (_retained + array.Length > capacityBytes)
            {
                return;
            }

            if (!_free.TryGetValue(array.Length, out var bucket))
            {
                _free[array.Length] = bucket = new Bucket();
            }

            bucket.Arrays.Push(array);
            bucket.LastUse = ++_uses;
            _retained += array.Length;
        }
    }

    private Bucket? Oldest(int except) =>
        _free.Where(f => f.Key != except).MinBy(f => f.Value.LastUse).Value;

    private sealed class Bucket
    {
        public Stack<byte[]> Arrays { get; } = new();

        public long LastUse { get; set; }
    }
}
