using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Feedback;
using PatternQuality.Tests.Online;

namespace PatternQuality.Tests.DependencyInjection;

/// <summary>The feedback source and the feedback store are one service: the container never hands out two different ones.</summary>
public class FeedbackStoreRegistrationTests
{
    [Fact]
    public void Defaults_TheInMemoryStoreIsBothSourceAndStore()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Offer>();
        services.AddPatternQuality<Offer>();
        using var sp = services.BuildServiceProvider();

        var store = sp.GetRequiredService<IFeedbackStore<Offer>>();

        Assert.IsType<InMemoryFeedbackSource<Offer>>(store);
        Assert.Same(store, sp.GetRequiredService<IFeedbackSource<Offer>>());
    }

    [Fact]
    public void UseFeedbackStore_Factory_OneInstanceForBothRolesDisposedWithTheContainer()
    {
        var services = new ServiceCollection();
        var created = 0;
        services.AddPatternQuality<Offer>().UseFeedbackStore(_ =>
        {
            created++;
            return new DisposableStore();
        });
        DisposableStore store;
        using (var sp = services.BuildServiceProvider())
        {
            store = Assert.IsType<DisposableStore>(sp.GetRequiredService<IFeedbackStore<Offer>>());
            Assert.Same(store, sp.GetRequiredService<IFeedbackSource<Offer>>());
        }

        Assert.Equal(1, created);
        Assert.True(store.Disposed);
    }

    [Fact]
    public void UseFeedbackStore_Instance_IsBothRolesAndStaysTheHostsToDispose()
    {
        var services = new ServiceCollection();
        var store = new DisposableStore();
        services.AddPatternQuality<Offer>().UseFeedbackStore(store);
        using (var sp = services.BuildServiceProvider())
        {
            Assert.Same(store, sp.GetRequiredService<IFeedbackStore<Offer>>());
            Assert.Same(store, sp.GetRequiredService<IFeedbackSource<Offer>>());
        }

        Assert.False(store.Disposed);
    }

    [Fact]
    public void UseFeedbackSource_PlainSource_RemovesTheStoreSoNothingIsWrittenElsewhere()
    {
        var services = new ServiceCollection();
        var source = new PlainSource();
        services.AddPatternQuality<Offer>().UseFeedbackSource(source);
        using var sp = services.BuildServiceProvider();

        Assert.Same(source, sp.GetRequiredService<IFeedbackSource<Offer>>());
        Assert.Null(sp.GetService<IFeedbackStore<Offer>>());
    }

    [Fact]
    public void UseFeedbackSource_TypeThatIsAStore_IsBothRoles()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Offer>().UseFeedbackSource<Offer, DisposableStore>();
        using var sp = services.BuildServiceProvider();

        Assert.Same(sp.GetRequiredService<IFeedbackSource<Offer>>(), sp.GetRequiredService<IFeedbackStore<Offer>>());
        Assert.IsType<DisposableStore>(sp.GetRequiredService<IFeedbackStore<Offer>>());
    }

    [Fact]
    public void SourceRegisteredBeforeAddPatternQuality_IsKeptWithoutADefaultStore()
    {
        var services = new ServiceCollection();
        var source = new PlainSource();
        services.AddSingleton<IFeedbackSource<Offer>>(source);
        services.AddPatternQuality<Offer>();
        using var sp = services.BuildServiceProvider();

        Assert.Same(source, sp.GetRequiredService<IFeedbackSource<Offer>>());
        Assert.Null(sp.GetService<IFeedbackStore<Offer>>());
    }

    private sealed class PlainSource : IFeedbackSource<Offer>
    {
        public IAsyncEnumerable<FeedbackRecord<Offer>> ReadAsync(FeedbackWatermark after, CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<FeedbackRecord<Offer>>();
    }

    private sealed class DisposableStore : IFeedbackStore<Offer>, IDisposable
    {
        private readonly InMemoryFeedbackSource<Offer> _inner = new();

        public bool Disposed { get; private set; }

        public Task<FeedbackAppendResult<Offer>> AppendAsync(IReadOnlyList<FeedbackRecord<Offer>> records, CancellationToken cancellationToken = default) => _inner.AppendAsync(records, cancellationToken);

        public Task<long> CountAsync(CancellationToken cancellationToken = default) => _inner.CountAsync(cancellationToken);

        public IAsyncEnumerable<FeedbackRecord<Offer>> ReadAsync(FeedbackWatermark after, CancellationToken cancellationToken = default) => _inner.ReadAsync(after, cancellationToken);

        public void Dispose() => Disposed = true;
    }
}
