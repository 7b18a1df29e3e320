using System;
using System.IO;
using System.Text;

namespace NetGen.Data;

/// <summary>Small real data sets shipped inside the NetGen assembly, so samples and tests run with no download.</summary>
public static class EmbeddedDatasets
{
    private const string DigitsResource = "NetGen.Data.digits.csv.gz";

    /// <summary>
    /// The UCI optical-recognition handwritten digits as scikit-learn ships them: 1,797 images of 8×8 pixels with values
    /// 0–16 (returned unscaled) and labels 0–9. Origin and licence: <c>runtime/NetGen/Data/digits.rst</c> and <c>DIGITS-NOTICE.md</c>.
    /// </summary>
    public static Dataset Digits()
    {
        Stream stream = typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream(DigitsResource)
            ?? throw new InvalidOperationException($"Embedded resource '{DigitsResource}' is missing from the NetGen assembly.");
        using DataFile file = DataFile.Wrap(DigitsResource, stream);
        using var reader = new StreamReader(file.AsStream(), Encoding.UTF8);
        return Csv.Read(reader, DigitsResource, new CsvOptions { HasHeader = false, ClassCount = 10, Shape = new ImageShape(1, 8, 8) });
    }
}
