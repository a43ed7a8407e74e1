using System.Runtime.InteropServices;

namespace PatternQuality.Interop.Internal;

/// <summary>
/// Collects the nodes and constant tensors of one ONNX graph and writes the ModelProto around it. Field numbers are
/// those of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    public const int FloatType = 1;
    public const int UInt8Type = 2;
    public const int Int64Type = 7;
    public const int DoubleType = 11;

    public const string MLDomain = "ai.onnx.ml";

    // IR version 10 and opsets 21 / ai.onnx.ml 5 are those of ONNX 1.16, the first release with TreeEnsemble.
    private const long IrVersion = 10;
    private const long DefaultOpset = 21;
    private const long MLOpset = 5;

    private readonly List<Action<ProtoWriter>> _nodes = [];
    private readonly List<Action<ProtoWriter>> _initializers = [];
    private int _names;

    /// <summary>Adds a double constant (an initializer) and returns its name.</summary>
    public string Constant(string hint, double[] values, params long[] dims)
        => AddInitializer(hint, DoubleType, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>Adds an int64 constant (an initializer) and returns its name.</summary>
    public string Constant(string hint, long[] values, params long[] dims)
        => AddInitializer(hint, Int64Type, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string? domain = null, string? output = null, params Action<ProtoWriter>[] attributes)
    {
        var name = output ?? NewName(opType.ToLowerInvariant());
        var nodeName = NewName("node_" + opType);
        _nodes.Add(w =>
        {
            foreach (var input in inputs)
            {
                w.WriteString(1, input);
            }

            w.WriteString(2, name);
            w.WriteString(3, nodeName);
            w.WriteString(4, opType);
            foreach (var attribute in attributes)
            {
                w.WriteMessage(5, attribute);
            }

            if (domain is not null)
            {
                w.WriteString(7, domain);
            }
        });
        return name;
    }

    /// <summary>Writes the whole model: one float input [N, featureCount] and one float output [N].</summary>
    public byte[] Build(ModelDescription description)
    {
        var model = new ProtoWriter();
        model.WriteInt64(1, IrVersion);
        model.WriteString(2, description.ProducerName);
        model.WriteString(3, description.ProducerVersion);
        model.WriteString(4, "patternquality");
        model.WriteString(6, description.DocString);
        model.WriteMessage(7, graph =>
        {
            foreach (var node in _nodes)
            {
                graph.WriteMessage(1, node);
            }

            graph.WriteString(2, description.GraphName);
            foreach (var initializer in _initializers)
            {
                graph.WriteMessage(5, initializer);
            }

            graph.WriteMessage(11, v => ValueInfo(v, description.InputName, description.InputDocString, description.FeatureCount));
            graph.WriteMessage(12, v => ValueInfo(v, description.OutputName, "The calibrated probability of approval, one per row.", null));
        });
        model.WriteMessage(8, o =>
        {
            o.WriteString(1, string.Empty);
            o.WriteInt64(2, DefaultOpset);
        });
        model.WriteMessage(8, o =>
        {
            o.WriteString(1, MLDomain);
            o.WriteInt64(2, MLOpset);
        });
        foreach (var (key, value) in description.Metadata)
        {
            model.WriteMessage(14, e =>
            {
                e.WriteString(1, key);
                e.WriteString(2, value);
            });
        }

        return model.WrittenSpan.ToArray();
    }

    public static Action<ProtoWriter> IntAttribute(string name, long value) => w =>
    {
        w.WriteString(1, name);
        w.WriteInt64(20, 2); // AttributeType.INT
        w.WriteInt64(3, value);
    };

    public static Action<ProtoWriter> IntsAttribute(string name, IReadOnlyList<long> values) => w =>
    {
        w.WriteString(1, name);
        w.WriteInt64(20, 7); // AttributeType.INTS
        w.WritePackedInt64(8, values);
    };

    public static Action<ProtoWriter> TensorAttribute(string name, int dataType, byte[] raw, long count) => w =>
    {
        w.WriteString(1, name);
        w.WriteInt64(20, 4); // AttributeType.TENSOR
        w.WriteMessage(5, t => Tensor(t, name, dataType, [count], raw));
    };

    private static void Tensor(ProtoWriter t, string name, int dataType, long[] dims, byte[] raw)
    {
        t.WritePackedInt64(1, dims);
        t.WriteInt64(2, dataType);
        t.WriteString(8, name);

        // raw_data holds fixed-width little-endian values: what MemoryMarshal gives on every platform .NET runs on here.
        t.WriteBytes(9, raw);
    }

    private static void ValueInfo(ProtoWriter v, string name, string doc, int? featureCount)
    {
        v.WriteString(1, name);
        v.WriteMessage(2, type => type.WriteMessage(1, tensor =>
        {
            tensor.WriteInt64(1, FloatType);
            tensor.WriteMessage(2, shape =>
            {
                shape.WriteMessage(1, dim => dim.WriteString(2, "N"));
                if (featureCount is { } f)
                {
                    shape.WriteMessage(1, dim => dim.WriteInt64(1, f));
                }
            });
        }));
        v.WriteString(3, doc);
    }

    private string AddInitializer(string hint, int dataType, long[] dims, byte[] raw)
    {
        var name = NewName(hint);
        _initializers.Add(w => Tensor(w, name, dataType, dims, raw));
        return name;
    }

    private string NewName(string hint) => $"{hint}_{_names++}";
}
