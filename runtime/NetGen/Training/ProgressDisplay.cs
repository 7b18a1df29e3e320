using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace NetGen.Training;

/// <summary>
/// Training progress as text. Interactive (a terminal): one line redrawn in place at most 20 times a second, with a bar, the
/// running loss and accuracy, samples/s and the ETA, and a summary line per epoch. Redirected (a file, a pipe, CI logs): only
/// the summary line per epoch.
/// </summary>
public sealed class ProgressDisplay
{
    private const int BarWidth = 24;
    private const long RedrawMilliseconds = 50;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = new();
    private int _epochs;
    private int _samplesPerEpoch;
    private long _startSamples;
    private long _lastDraw = -RedrawMilliseconds;
    private int _lastLength;

    /// <summary>Writes to <paramref name="output"/>, redrawing in place when <paramref name="interactive"/>.</summary>
    public ProgressDisplay(TextWriter output, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _interactive = interactive;
    }

    /// <summary>The console: interactive unless standard output is redirected.</summary>
    public static ProgressDisplay ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    internal void Start(int epochs, int samplesPerEpoch, int startEpoch, int startSamplesInEpoch)
    {
        _epochs = epochs;
        _samplesPerEpoch = samplesPerEpoch;
        _startSamples = (long)startEpoch * samplesPerEpoch + startSamplesInEpoch;
        _clock.Restart();
        _lastDraw = -RedrawMilliseconds;
    }

    internal void BatchEnded(in BatchReport report)
    {
        if (!_interactive)
        {
            return;
        }
        long now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < RedrawMilliseconds)
        {
            return;
        }
        _lastDraw = now;
        long done = (long)(report.Epoch - 1) * _samplesPerEpoch + report.SamplesDone;
        long total = (long)_epochs * _samplesPerEpoch;
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? (done - _startSamples) / seconds : 0;
        double eta = rate > 0 ? (total - done) / rate : 0;
        int filled = (int)(BarWidth * (double)report.SamplesDone / _samplesPerEpoch);
        string accuracy = double.IsNaN(report.EpochAccuracy) ? "" : string.Create(CultureInfo.InvariantCulture, $"  acc {report.EpochAccuracy * 100,5:F1}%");
        string line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(Digits(_epochs))}/{_epochs} {new string('█', filled)}{new string('░', BarWidth - filled)} loss {report.EpochLoss:F4}{accuracy}  {rate,8:N0} samples/s  ETA {FormatTime(eta)}");
        Draw(line);
    }

    internal void EpochEnded(EpochRecord record)
    {
        string line = Summary(record);
        if (_interactive)
        {
            Draw(line);
            _output.WriteLine();
            _lastLength = 0;
        }
        else
        {
            _output.WriteLine(line);
        }
        _output.Flush();
    }

    internal void Finished() => _output.Flush();

    /// <summary>What early stopping did, once training has ended: whether it stopped the run, and which epoch's weights the
    /// network now holds.</summary>
    internal void EarlyStoppingEnded(bool stopped, int lastEpoch, int patience, string monitored, int bestEpoch, double best, bool restored)
    {
        var c = CultureInfo.InvariantCulture;
        if (stopped)
        {
            _output.WriteLine(string.Create(c, $"early stopping after epoch {lastEpoch}: the {monitored} has not improved for {patience} epoch{(patience == 1 ? "" : "s")} (best {best:F4} at epoch {bestEpoch})"));
        }
        if (restored && bestEpoch != lastEpoch)
        {
            _output.WriteLine(string.Create(c, $"restored the weights of epoch {bestEpoch} ({monitored} {best:F4})"));
        }
        else
        {
            _output.WriteLine(string.Create(c, $"kept the weights of the last epoch, {lastEpoch}"));
        }
    }

    /// <summary>The per-epoch summary line.</summary>
    public string Summary(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var c = CultureInfo.InvariantCulture;
        string text = string.Create(c, $"epoch {record.Epoch.ToString(c).PadLeft(Digits(_epochs))}/{_epochs}  loss {record.TrainLoss:F4}");
        if (!double.IsNaN(record.TrainAccuracy))
        {
            text += string.Create(c, $"  acc {record.TrainAccuracy * 100:F1}%");
        }
        if (!double.IsNaN(record.ValidationLoss))
        {
            text += string.Create(c, $"  val loss {record.ValidationLoss:F4}");
        }
        if (!double.IsNaN(record.ValidationAccuracy))
        {
            text += string.Create(c, $"  val acc {record.ValidationAccuracy * 100:F1}%");
        }
        // One format for every rate, so 0.02 and 2.5e-10 line up and compare at a glance.
        return text + string.Create(c, $"  lr {record.LearningRate:0.000e+00}  {FormatTime(record.Seconds)}");
    }

    private void Draw(string line)
    {
        string padding = line.Length < _lastLength ? new string(' ', _lastLength - line.Length) : "";
        _output.Write("\r" + line + padding);
        _lastLength = line.Length;
    }

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;

    private static string FormatTime(double seconds) => seconds < 60
        ? seconds.ToString("F1", CultureInfo.InvariantCulture) + "s"
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)}m{(int)(seconds % 60):D2}s");
}
