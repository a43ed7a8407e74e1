using System.Runtime.InteropServices;
using PatternQuality.Data;

namespace PatternQuality.Tests.Interop;

/// <summary>
/// Trains and predicts with the native LightGBM library that Microsoft.ML.LightGbm brings (lib_lightgbm, C API), so
/// the text-model importer is checked against LightGBM itself rather than a hand-written fixture.
/// </summary>
internal static partial class LightGbmNative
{
    private const string Lib = "lib_lightgbm";
    private const int Float32 = 0;
    private const int Float64 = 1;

    /// <summary>Trains <paramref name="rounds"/> rounds on <paramref name="data"/> and saves the text model.</summary>
    public static void TrainAndSave(Dataset data, string parameters, int rounds, string modelPath)
    {
        var x = data.Features.ToArray();
        var y = data.Labels.ToArray();
        Check(LGBM_DatasetCreateFromMat(x, Float32, data.RowCount, data.Schema.Count, 1, parameters, IntPtr.Zero, out var dataset));
        try
        {
            Check(LGBM_DatasetSetField(dataset, "label", y, y.Length, Float32));
            Check(LGBM_BoosterCreate(dataset, parameters, out var booster));
            try
            {
                for (var i = 0; i < rounds; i++)
                {
                    Check(LGBM_BoosterUpdateOneIter(booster, out _));
                }

                Check(LGBM_BoosterSaveModel(booster, 0, -1, 0, modelPath));
            }
            finally
            {
                LGBM_BoosterFree(booster);
            }
        }
        finally
        {
            LGBM_DatasetFree(dataset);
        }
    }

    /// <summary>Predicts with a saved text model: probabilities, or raw scores when <paramref name="raw"/>.</summary>
    public static double[] Predict(string modelPath, Dataset data, bool raw)
    {
        Check(LGBM_BoosterCreateFromModelfile(modelPath, out _, out var booster));
        try
        {
            var result = new double[data.RowCount];
            var x = data.Features.ToArray();
            Check(LGBM_BoosterPredictForMat(booster, x, Float32, data.RowCount, data.Schema.Count, 1, raw ? 1 : 0, 0, -1, "num_threads=1", out var length, result));
            Assert.Equal(data.RowCount, length);
            return result;
        }
        finally
        {
            LGBM_BoosterFree(booster);
        }
    }

    private static void Check(int code)
    {
        if (code != 0)
        {
            throw new InvalidOperationException("LightGBM: " + Marshal.PtrToStringAnsi(LGBM_GetLastError()));
        }
    }

    [LibraryImport(Lib)]
    private static partial IntPtr LGBM_GetLastError();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_DatasetCreateFromMat(float[] data, int dataType, int rows, int columns, int rowMajor, string parameters, IntPtr reference, out IntPtr dataset);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_DatasetSetField(IntPtr dataset, string field, float[] data, int count, int type);

    [LibraryImport(Lib)]
    private static partial int LGBM_DatasetFree(IntPtr dataset);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_BoosterCreate(IntPtr dataset, string parameters, out IntPtr booster);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_BoosterCreateFromModelfile(string path, out int iterations, out IntPtr booster);

    [LibraryImport(Lib)]
    private static partial int LGBM_BoosterUpdateOneIter(IntPtr booster, out int finished);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_BoosterSaveModel(IntPtr booster, int startIteration, int iterations, int importanceType, string path);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LGBM_BoosterPredictForMat(
        IntPtr booster, float[] data, int dataType, int rows, int columns, int rowMajor, int predictType, int startIteration, int iterations, string parameters, out long length, double[] result);

    [LibraryImport(Lib)]
    private static partial int LGBM_BoosterFree(IntPtr booster);
}
