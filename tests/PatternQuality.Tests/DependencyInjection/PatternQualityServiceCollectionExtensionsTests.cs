using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moq;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Features;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.DependencyInjection;

public class PatternQualityServiceCollectionExtensionsTests
{
    private static readonly FeatureExtractor<Suggestion> _extractor = new FeatureExtractorBuilder<Suggestion>()
        .Numeric("confidence", s => s.Confidence)
        .Build();

    [Fact]
    public void AddPatternQuality_RegistersDefaults()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Suggestion>().UseFeatureExtractor(_extractor);
        using var sp = services.BuildServiceProvider(validateScopes: true);

        Assert.IsType<InMemoryModelStore>(sp.GetRequiredService<IModelStore>());
        Assert.IsType<InMemoryFeedbackSource<Suggestion>>(sp.GetRequiredService<IFeedbackSource<Suggestion>>());
        Assert.Same(TimeProvider.System, sp.GetRequiredService<TimeProvider>());
        Assert.NotNull(sp.GetRequiredService<QualityModelHolder>());
        Assert.Equal(0.5f, sp.GetRequiredService<PatternScorer<Suggestion>>().Score(new Suggestion()));
    }

    [Fact]
    public void AddPatternQuality_HostStoreRegisteredFirst_IsNotReplaced()
    {
        var hostStore = Mock.Of<IModelStore>();
        var services = new ServiceCollection();
        services.AddSingleton(hostStore);
        services.AddPatternQuality<Suggestion>();
        using var sp = services.BuildServiceProvider();

        Assert.Same(hostStore, sp.GetRequiredService<IModelStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IModelStore));
    }

    [Fact]
    public void UseModelStore_BeforeOrAfterAdd_HostChoiceWins()
    {
        var store = Mock.Of<IModelStore>();
        var services = new ServiceCollection();
        var builder = services.AddPatternQuality<Suggestion>();
        builder.UseModelStore(store);
        services.AddPatternQuality<Suggestion>(); // a second call must not bring the default back
        using var sp = services.BuildServiceProvider();
        Assert.Same(store, sp.GetRequiredService<IModelStore>());
    }

    [Fact]
    public void UseFeedbackSourceAndExtractorTypes_AreResolved()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Suggestion>()
            .UseFeatureExtractor<Suggestion, TestExtractor>()
            .UseFeedbackSource<Suggestion, TestSource>()
            .UseModelStore<Suggestion, InMemoryModelStore>();
        using var sp = services.BuildServiceProvider();

        Assert.IsType<TestExtractor>(sp.GetRequiredService<IFeatureExtractor<Suggestion>>());
        Assert.IsType<TestSource>(sp.GetRequiredService<IFeedbackSource<Suggestion>>());
        Assert.Single(services, d => d.ServiceType == typeof(IFeedbackSource<Suggestion>));
    }

    [Fact]
    public void AddPatternQuality_CalledTwice_RegistersServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Suggestion>().UseFeatureExtractor(_extractor);
        services.AddPatternQuality<Suggestion>();

        Assert.Single(services, d => d.ServiceType == typeof(IModelStore));
        Assert.Single(services, d => d.ServiceType == typeof(QualityModelHolder));
        Assert.Single(services, d => d.ServiceType == typeof(PatternScorer<Suggestion>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<PatternQualityOptions>));
        using var sp = services.BuildServiceProvider();
        Assert.NotNull(sp.GetRequiredService<PatternScorer<Suggestion>>());
    }

    [Fact]
    public void AddPatternQuality_DoesNotAddLogging()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Suggestion>();
        Assert.DoesNotContain(services, d => d.ServiceType.FullName!.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_Invalid_FailsWithEveryErrorNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Suggestion>(o => o.DefaultScore = 2).UseFeatureExtractor(_extractor);
        using var sp = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<PatternQualityOptions>>().Value);
        Assert.Contains("DefaultScore must be between 0 and 1", ex.Message);
    }

    [Fact]
    public async Task Options_Invalid_HostFailsOnStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPatternQuality<Suggestion>(o => o.DefaultScore = -1);
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("DefaultScore", ex.Message);
    }

    [Fact]
    public async Task TrainerOptions_Invalid_HostFailsOnStartNamingEachOption()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPatternQuality<Suggestion>().UseFeatureExtractor(_extractor);
        builder.Services.Configure<QualityTrainerOptions>(o =>
        {
            o.TestFraction = 2;
            o.CalibrationFolds = 1;
        });
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("TestFraction", ex.Message);
        Assert.Contains("CalibrationFolds", ex.Message);
    }

    [Fact]
    public void AddPatternQuality_RegistersTrainerAndVersionManagerOverTheHostStore()
    {
        var store = new InMemoryModelStore();
        var policy = Mock.Of<IPromotionPolicy>();
        var services = new ServiceCollection();
        services.AddSingleton<IPromotionPolicy>(policy);
        services.AddPatternQuality<Suggestion>().UseFeatureExtractor(_extractor).UseModelStore(store);
        services.Configure<QualityTrainerOptions>(o => o.Trainer = TrainerKind.Forest);
        using var sp = services.BuildServiceProvider(validateScopes: true);

        Assert.Equal(TrainerKind.Forest, sp.GetRequiredService<QualityTrainer>().Options.Trainer);
        Assert.NotNull(sp.GetRequiredService<ModelVersionManager>());
        Assert.Same(policy, sp.GetRequiredService<IPromotionPolicy>());
    }

    [Fact]
    public void PatternScorer_NoExtractorRegistered_ExplainsWhatToCall()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Suggestion>();
        using var sp = services.BuildServiceProvider();
        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<PatternScorer<Suggestion>>());
        Assert.Contains("UseFeatureExtractor", ex.Message);
    }

    [Fact]
    public void AddPatternQuality_ConfigureApplies()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<Suggestion>(o => o.DefaultScore = 0.25).UseFeatureExtractor(_extractor);
        using var sp = services.BuildServiceProvider();
        Assert.Equal(0.25f, sp.GetRequiredService<PatternScorer<Suggestion>>().Score(new Suggestion()));
    }

    private sealed class TestExtractor : IFeatureExtractor<Suggestion>
    {
        public FeatureSchema Schema => _extractor.Schema;

        public void Extract(Suggestion pattern, Span<float> destination) => _extractor.Extract(pattern, destination);
    }

    private sealed class TestSource : IFeedbackSource<Suggestion>
    {
        public IAsyncEnumerable<FeedbackRecord<Suggestion>> ReadAsync(FeedbackWatermark after, CancellationToken cancellationToken = default)
            => AsyncEnumerable.Empty<FeedbackRecord<Suggestion>>();
    }
}
