using PatternQuality.Learning;
using PatternQuality.MLNet;

namespace PatternQuality.Cli.Commands;

/// <summary>Maps <c>--trainer fasttree|fastforest|lightgbm</c> and the shared learner flags onto the ML.NET learners' options (ML.NET's defaults otherwise).</summary>
internal static class MLNetLearners
{
    public static ILearner? Create(string trainer, int? trees, int? leaves, double? learningRate, int? minLeaf, int seed)
    {
        switch (trainer.ToLowerInvariant())
        {
            case "fasttree":
                var fastTree = new FastTreeLearnerOptions { Seed = seed };
                fastTree.NumberOfTrees = trees ?? fastTree.NumberOfTrees;
                fastTree.NumberOfLeaves = leaves ?? fastTree.NumberOfLeaves;
                fastTree.LearningRate = learningRate ?? fastTree.LearningRate;
                fastTree.MinimumExampleCountPerLeaf = minLeaf ?? fastTree.MinimumExampleCountPerLeaf;
                return new FastTreeLearner(fastTree);
            case "fastforest":
                var forest = new FastForestLearnerOptions { Seed = seed };
                forest.NumberOfTrees = trees ?? forest.NumberOfTrees;
                forest.NumberOfLeaves = leaves ?? forest.NumberOfLeaves;
                forest.MinimumExampleCountPerLeaf = minLeaf ?? forest.MinimumExampleCountPerLeaf;
                return new FastForestLearner(forest);
            case "lightgbm":
                return new LightGbmLearner(new LightGbmLearnerOptions
                {
                    Seed = seed,
                    NumberOfIterations = trees ?? 100,
                    NumberOfLeaves = leaves,
                    LearningRate = learningRate,
                    MinimumExampleCountPerLeaf = minLeaf,
                });
            default:
                return null;
        }
    }
}
