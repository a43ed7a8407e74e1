using FsCheck;
using FsCheck.Fluent;
using PatternQuality.Serialization;

namespace PatternQuality.Tests.Properties;

/// <summary>
/// The model container round-trips any set of sections, and any byte sequence is either a file or a
/// <see cref="ModelFormatException"/>: model files are data, never code.
/// </summary>
public class ModelFileProperties
{
    private static Arbitrary<(string Tag, byte[] Content)[]> Sections()
        => (from count in Gen.Choose(0, 6)
            from contents in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)), count)
            select contents.Select((c, i) => ("S" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), c)).ToArray())
            .ToArbitrary();

    [Fact]
    public void WriteThenParse_ReturnsEverySection()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(Sections(), sections =>
        {
            var writer = new ModelFileWriter();
            foreach (var (tag, content) in sections)
            {
                writer.AddSection(tag, content);
            }

            var reader = ModelFileReader.Parse(writer.ToArray());
            return reader.Tags.SequenceEqual(sections.Select(s => s.Tag))
                && sections.All(s => reader.ReadSection(s.Tag, r => r.ReadBytes(s.Content.Length)).SequenceEqual(s.Content));
        }));

    [Fact]
    public void AnyChangedByte_IsRejectedAsModelFormatException()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(Sections(), Arb.From(Gen.Choose(0, int.MaxValue)), (sections, position) =>
        {
            var writer = new ModelFileWriter();
            foreach (var (tag, content) in sections)
            {
                writer.AddSection(tag, content);
            }

            var file = writer.ToArray();
            file[position % file.Length] ^= 0x5A;
            return Throws(file);
        }));

    [Fact]
    public void AnyBytes_ParseOrThrowModelFormatException()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))), bytes =>
        {
            try
            {
                ModelFileReader.Parse(bytes);
                return true;
            }
            catch (ModelFormatException)
            {
                return true;
            }
        }));

    private static bool Throws(byte[] file)
    {
        try
        {
            ModelFileReader.Parse(file);
            return false;
        }
        catch (ModelFormatException)
        {
            return true;
        }
    }
}
