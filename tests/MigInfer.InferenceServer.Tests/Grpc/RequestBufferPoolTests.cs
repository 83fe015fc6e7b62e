using MigInfer.InferenceServer.Grpc;

namespace MigInfer.InferenceServer.Tests.Grpc;

public sealed class RequestBufferPoolTests
{
    [Fact]
    public void Rent_GivesExactLength_AndAReturnedArrayToTheNextRenterOfThatLength()
    {
        var pool = new RequestBufferPool(1 << 20, 100);

        var first = pool.Rent(1000);
        pool.Return(first);
        var other = pool.Rent(999);
        var again = pool.Rent(1000);

        Assert.Equal(1000, first.Length);
        Assert.Equal(999, other.Length);
        Assert.Same(first, again);
    }

    [Fact]
    public void ArraysThePoolDidNotRent_NeverComeOut()
    {
        var pool = new RequestBufferPool(1 << 20, 100);
        var foreign = new byte[1000];

        pool.Return(foreign);

        Assert.Equal(0, pool.RetainedBytes);
        Assert.NotSame(foreign, pool.Rent(1000));
    }

    [Fact]
    public void AnArrayReturnedTwice_GoesToOneRenterOnly()
    {
        var pool = new RequestBufferPool(1 << 20, 100);
        var array = pool.Rent(500);

        pool.Return(array);
        pool.Return(array);

        Assert.Equal(500, pool.RetainedBytes);
        Assert.NotSame(pool.Rent(500), pool.Rent(500));
    }

    [Fact]
    public void Capacity_EvictsTheLengthUsedLongestAgo()
    {
        var pool = new RequestBufferPool(2000, 100);
        var older = pool.Rent(1000);
        var newer = pool.Rent(800);
        var arriving = pool.Rent(1100);
        pool.Return(older);
        pool.Return(newer);

        pool.Return(arriving);

        Assert.Equal(1900, pool.RetainedBytes);
        Assert.Same(newer, pool.Rent(800));
        Assert.Same(arriving, pool.Rent(1100));
        Assert.NotSame(older, pool.Rent(1000));
    }

    [Fact]
    public void AnArrayLargerThanTheCapacity_IsNotKept()
    {
        var pool = new RequestBufferPool(1000, 100);
        var kept = pool.Rent(600);
        var dropped = pool.Rent(1200);
        pool.Return(kept);

        pool.Return(dropped);

        Assert.Equal(600, pool.RetainedBytes);
        Assert.Same(kept, pool.Rent(600));
    }

    [Fact]
    public void RentBelowTheMinimumLength_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestBufferPool(1000, 100).Rent(99));

    [Fact]
    public void ConcurrentRentAndReturn_NeverHandOneArrayToTwoHolders()
    {
        var pool = new RequestBufferPool(1 << 20, 100);
        var held = new System.Collections.Concurrent.ConcurrentDictionary<byte[], byte>(ReferenceEqualityComparer.Instance);
        var clash = false;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var array = pool.Rent(100 + (i % 3));
            clash |= !held.TryAdd(array, 0);
            held.TryRemove(array, out _);
            pool.Return(array);
        });

        Assert.False(clash);
        Assert.InRange(pool.RetainedBytes, 100, 1 << 20);
    }
}
