using System.Text;
using PatternQuality.Data;
using PatternQuality.Serialization;
using PatternQuality.Tests.Trees;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Serialization;

public class FeatureSchemaSectionTests
{
    [Fact]
    public void WriteRead_Schema_RoundTripsNamesKindsAndCategories()
    {
        var schema = new FeatureSchema(
        [
            new FeatureDefinition("confidence", FeatureKind.Numeric),
            new FeatureDefinition("weekend", FeatureKind.Boolean),
            new FeatureDefinition("type", FeatureKind.Categorical, ["time_of_day", "co_occurrence"]),
        ]);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            FeatureSchemaSection.Write(w, schema);
        }

        ms.Position = 0;
        using var r = new BinaryReader(ms);
        var read = FeatureSchemaSection.Read(r);
        Assert.Equal(schema.Hash, read.Hash);
        Assert.Equal(schema.Features, read.Features);
    }

    [Fact]
    public void Load_ModelWithCorruptedTreesRecomputedChecksum_ThrowsModelFormatException()
    {
        // A file whose checksum is valid but whose tree points at a feature the schema lacks must still fail cleanly.
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 2 }).Fit(SyntheticData.Binary(300));
        var reader = ModelFileReader.Parse(model.ToBytes());
        var schema = reader.ReadSection(FeatureSchemaSection.Tag, FeatureSchemaSection.Read);
        var trees = reader.ReadSection("trees", r => r.ReadBytes((int)r.BaseStream.Length));
        var options = reader.ReadSection("options", r => r.ReadBytes((int)r.BaseStream.Length));

        // Node 0's feature index sits after kind, class count, base score, learning rate, L2, tree count, leaf count, word count.
        var offset = 4 + 4 + 8 + 8 + 8 + 4 + 4 + 4;
        BitConverter.TryWriteBytes(trees.AsSpan(offset, 4), 77);
        var writer = new ModelFileWriter();
        writer.AddSection(FeatureSchemaSection.Tag, w => FeatureSchemaSection.Write(w, schema));
        writer.AddSection("trees", trees);
        writer.AddSection("options", options);

        var ex = Assert.Throws<ModelFormatException>(() => TreeEnsembleModel.Load(writer.ToArray()));
        Assert.Contains("node 0 is invalid", ex.Message, StringComparison.Ordinal);
    }
}
