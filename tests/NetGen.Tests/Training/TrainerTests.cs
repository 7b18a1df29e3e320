using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

public sealed class TrainerTests
{
    private static TrainerOptions ResumeOptions(string checkpoint) => new()
    {
        Epochs = 4,
        BatchSize = 16,
        Seed = 7,
        Schedule = LearningRateSchedule.LinearWarmup(5, LearningRateSchedule.CosineAnnealing(4, 1e-4f)),
        EarlyStoppingPatience = 10,
        CheckpointPath = checkpoint,
        CheckpointEverySteps = 3,
    };

    private static Adam ResumeOptimizer() => new(0.01f) { L2 = 1e-3f, ClipNorm = 5f };

    [Fact]
    public void A_run_killed_mid_epoch_and_resumed_equals_the_uninterrupted_run_bit_for_bit()
    {
        TrainingData train = SyntheticData.Blobs();
        TrainingData validation = SyntheticData.Blobs(count: 30, seed: 99);

        var reference = new TinyClassifier(seed: 3, capacity: 16);
        var uninterrupted = new Trainer(reference, ResumeOptimizer(), ResumeOptions(SyntheticData.TempPath("a.ckpt")));
        TrainingResult expected = uninterrupted.Fit(train, validation, TestContext.Current.CancellationToken);
        Assert.Equal(4 * 7, uninterrupted.Step); // ⌈103/16⌉ = 7 steps per epoch

        // Kill the second run at step 17 = epoch 3, batch 3; its last checkpoint is from step 15 (epoch 3, after batch 1).
        string checkpoint = SyntheticData.TempPath("b.ckpt");
        var killed = new TinyClassifier(seed: 3, capacity: 16);
        var first = new Trainer(killed, ResumeOptimizer(), ResumeOptions(checkpoint));
        first.BatchEnded += report =>
        {
            if (report.Step == 17)
            {
                throw new InvalidOperationException("killed");
            }
        };
        Assert.Throws<InvalidOperationException>(() => first.Fit(train, validation, TestContext.Current.CancellationToken));
        Assert.Equal(2, first.History.Epochs.Count);

        // A fresh process: a network with other initial weights and a new optimizer, restored from the file alone.
        var resumedNet = new TinyClassifier(seed: 12345, capacity: 16);
        var resumed = new Trainer(resumedNet, ResumeOptimizer(), ResumeOptions(SyntheticData.TempPath("c.ckpt")));
        resumed.Resume(checkpoint);
        Assert.Equal(15, resumed.Step);
        TrainingResult actual = resumed.Fit(train, validation, TestContext.Current.CancellationToken);

        Assert.Equal(SyntheticData.Bytes(reference.Parameters), SyntheticData.Bytes(resumedNet.Parameters));
        Assert.Equal(expected.History.BatchLosses, actual.History.BatchLosses);
        Assert.Equal(expected.History.Epochs.Select(e => e with { Seconds = 0 }), actual.History.Epochs.Select(e => e with { Seconds = 0 }));
        Assert.Equal(uninterrupted.Optimizer.StepCount, resumed.Optimizer.StepCount);
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
    }

    [Fact]
    public void Cancellation_stops_before_the_next_step_and_resuming_matches_too()
    {
        TrainingData train = SyntheticData.Blobs();
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 1, CheckpointPath = SyntheticData.TempPath("x.ckpt"), CheckpointEverySteps = 2 };
        var reference = new TinyClassifier(seed: 1, capacity: 16);
        new Trainer(reference, new Momentum(0.05f), options).Fit(train, null, TestContext.Current.CancellationToken);

        string checkpoint = SyntheticData.TempPath("y.ckpt");
        var net = new TinyClassifier(seed: 1, capacity: 16);
        var trainer = new Trainer(net, new Momentum(0.05f), new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 1, CheckpointPath = checkpoint, CheckpointEverySteps = 2 });
        using var cancel = new CancellationTokenSource();
        trainer.BatchEnded += report =>
        {
            if (report.Step == 11)
            {
                cancel.Cancel();
            }
        };
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(train, null, cancel.Token));
        Assert.Equal(11, trainer.Step);

        var again = new TinyClassifier(seed: 2, capacity: 16);
        var resumed = new Trainer(again, new Momentum(0.05f), new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 1 });
        resumed.Resume(checkpoint);
        Assert.Equal(10, resumed.Step);
        resumed.Fit(train, null, TestContext.Current.CancellationToken);
        Assert.Equal(SyntheticData.Bytes(reference.Parameters), SyntheticData.Bytes(again.Parameters));
    }

    /// <summary>A NaN in the validation data would become the epoch's validation loss and silently end early stopping's
    /// search; training stops instead, naming the cause, and the epoch is not recorded.</summary>
    [Fact]
    public void A_NaN_in_the_validation_data_stops_training_after_the_epoch_naming_the_cause()
    {
        TrainingData train = SyntheticData.Blobs();
        TrainingData validation = SyntheticData.Blobs(count: 30, seed: 99);
        validation.Inputs[7] = float.NaN;
        var trainer = new Trainer(new TinyClassifier(seed: 4, capacity: 16), new Sgd(0.05f),
            new TrainerOptions { Epochs = 3, BatchSize = 16, EarlyStoppingPatience = 2 });

        TrainingDivergedException error = Assert.Throws<TrainingDivergedException>(
            () => trainer.Fit(train, validation, TestContext.Current.CancellationToken));

        Assert.Equal(1, error.Epoch);
        Assert.Equal(0, error.Batch);
        Assert.True(float.IsNaN(error.Loss));
        Assert.Contains("training stopped after epoch 1: the validation loss is NaN; the validation inputs hold a NaN or infinity",
            error.Message, StringComparison.Ordinal);
        Assert.Empty(trainer.History.Epochs);
    }

    [Fact]
    public void A_NaN_stops_training_naming_the_step_and_layer_and_leaves_the_checkpoint_untouched()
    {
        TrainingData train = SyntheticData.Blobs();
        string checkpoint = SyntheticData.TempPath("nan.ckpt");
        var net = new TinyClassifier(seed: 4, capacity: 16);
        var trainer = new Trainer(net, new Sgd(0.05f), new TrainerOptions { Epochs = 3, BatchSize = 16, CheckpointPath = checkpoint });
        byte[]? afterEpoch1 = null;
        DateTime writtenAt = default;
        byte[]? parametersBeforeFailure = null;
        trainer.EpochEnded += record =>
        {
            afterEpoch1 = File.ReadAllBytes(checkpoint);
            writtenAt = File.GetLastWriteTimeUtc(checkpoint);
        };
        trainer.BatchEnded += report =>
        {
            if (report.Step == 9) // epoch 2, batch 2: poison one weight of the output layer
            {
                ParameterTensor weight = TinyClassifier.ParameterTensors.Single(t => t.Name == "fc2.weight");
                weight.Slice(net.Parameters)[5] = float.NaN;
                parametersBeforeFailure = SyntheticData.Bytes(net.Parameters);
            }
        };

        TrainingDivergedException error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(train, null, TestContext.Current.CancellationToken));

        Assert.Equal(10, error.Step);
        Assert.Equal(2, error.Epoch);
        Assert.Equal(3, error.Batch);
        Assert.Contains("step 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("non-finite parameters in fc2.weight (layer 'fc2')", error.Message, StringComparison.Ordinal);
        Assert.Contains("'fc2'", error.Message, StringComparison.Ordinal);
        Assert.Equal("fc2", error.Layers[0]); // the poisoned layer comes first
        Assert.True(float.IsNaN(error.Loss));
        Assert.NotNull(afterEpoch1);
        Assert.Equal(afterEpoch1, File.ReadAllBytes(checkpoint));
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(checkpoint));
        Assert.Equal(parametersBeforeFailure, SyntheticData.Bytes(net.Parameters)); // no update was applied
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(checkpoint)!)); // no temporary file left behind
    }

    [Fact]
    public void A_NaN_input_is_reported_with_the_layers_whose_gradients_it_poisoned()
    {
        TrainingData clean = SyntheticData.Blobs();
        float[] inputs = (float[])clean.Inputs.Clone();
        inputs[40 * 4 + 1] = float.PositiveInfinity;
        var train = new TrainingData(inputs, clean.Targets, 4, 3, clean.Labels, 3);
        var net = new TinyClassifier(seed: 4, capacity: 16);
        var trainer = new Trainer(net, new Sgd(0.05f), new TrainerOptions { Epochs = 1, BatchSize = 16, Shuffle = false });

        TrainingDivergedException error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(train, null, TestContext.Current.CancellationToken));

        Assert.Equal(3, error.Step); // sample 40 is in the third batch of 16
        Assert.Contains("non-finite gradients in fc1.weight", error.Message, StringComparison.Ordinal);
        Assert.Equal("fc1", error.Layers[0]);
        Assert.DoesNotContain("non-finite parameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_steady_state_training_step_allocates_nothing()
    {
        TrainingData train = SyntheticData.Blobs(count: 16 * 12);
        var net = new TinyClassifier(seed: 4, capacity: 16);
        var optimizer = new Adam(0.01f) { L2 = 1e-4f, L1 = 1e-5f, ClipNorm = 1f, ClipValue = 2f, MaxNorm = 3f };
        var trainer = new Trainer(net, optimizer, new TrainerOptions { Epochs = 2, BatchSize = 16, Schedule = LearningRateSchedule.CosineAnnealing(2) });
        long before = -1, after = -1;
        trainer.BatchEnded += report =>
        {
            if (report.Epoch == 2 && report.Batch == 2)
            {
                before = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (report.Epoch == 2 && report.Batch == 11)
            {
                after = GC.GetAllocatedBytesForCurrentThread();
            }
        };
        trainer.Fit(train, null, TestContext.Current.CancellationToken);
        Assert.True(before > 0 && after > 0);
        Assert.Equal(0, after - before);
    }

    /// <summary>Epochs is an upper bound a run may never reach: Fit makes room for one epoch's batch losses at a time,
    /// not for all of them up front.</summary>
    [Fact]
    public void A_huge_epoch_count_reserves_nothing_up_front()
    {
        TrainingData train = SyntheticData.Blobs(count: 16 * 12);
        var net = new TinyClassifier(seed: 4, capacity: 16);
        var trainer = new Trainer(net, new Sgd(0.1f), new TrainerOptions { Epochs = 10_000_000, BatchSize = 16 });
        using var stop = new System.Threading.CancellationTokenSource();
        trainer.BatchEnded += report =>
        {
            if (report.Epoch == 3)
            {
                stop.Cancel();
            }
        };
        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(train, null, stop.Token));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1L << 20);
        Assert.InRange(trainer.History.BatchLosses.Count, 2 * 12 + 1, 3 * 12);
    }

    /// <summary>The progress display says when early stopping ends a run and whose weights the network holds.</summary>
    [Fact]
    public void Early_stopping_and_the_restored_epoch_are_printed()
    {
        TrainingData train = SyntheticData.Blobs(spread: 1.5);
        TrainingData validation = SyntheticData.Blobs(count: 60, seed: 8, spread: 1.5, scrambleLabels: true);
        using var output = new StringWriter();
        var trainer = new Trainer(new TinyClassifier(seed: 6, capacity: 16), new Adam(0.05f), new TrainerOptions
        {
            Epochs = 40, BatchSize = 16, EarlyStoppingPatience = 3, Progress = new ProgressDisplay(output, interactive: false),
        });

        TrainingResult result = trainer.Fit(train, validation, TestContext.Current.CancellationToken);

        Assert.True(result.StoppedEarly);
        int last = result.History.Epochs.Count;
        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"early stopping after epoch {last}: the validation loss has not improved for 3 epochs (best ", lines[^2], StringComparison.Ordinal);
        Assert.EndsWith($" at epoch {result.BestEpoch})", lines[^2], StringComparison.Ordinal);
        Assert.StartsWith($"restored the weights of epoch {result.BestEpoch} (validation loss ", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Early_stopping_restores_the_weights_of_the_best_epoch()
    {
        // Validation labels are noise: its loss rises as the network fits the training blobs.
        TrainingData train = SyntheticData.Blobs(spread: 1.5);
        TrainingData validation = SyntheticData.Blobs(count: 60, seed: 8, spread: 1.5, scrambleLabels: true);
        var net = new TinyClassifier(seed: 6, capacity: 16);
        var trainer = new Trainer(net, new Adam(0.05f), new TrainerOptions { Epochs = 40, BatchSize = 16, EarlyStoppingPatience = 3 });
        var snapshots = new Dictionary<int, byte[]>();
        trainer.EpochEnded += record => snapshots[record.Epoch] = SyntheticData.Bytes(net.Parameters);

        TrainingResult result = trainer.Fit(train, validation, TestContext.Current.CancellationToken);

        Assert.True(result.StoppedEarly);
        int last = result.History.Epochs.Count;
        Assert.Equal(result.BestEpoch + 3, last);
        double best = result.History.Epochs.Min(e => e.ValidationLoss);
        Assert.Equal(best, result.History.Epochs[result.BestEpoch - 1].ValidationLoss);
        Assert.Equal(snapshots[result.BestEpoch], SyntheticData.Bytes(net.Parameters));
        Assert.NotEqual(snapshots[last], snapshots[result.BestEpoch]);
        Assert.Equal(best, result.Validation!.Loss, 6);
    }

    [Fact]
    public void Metrics_are_consistent_with_the_confusion_matrix()
    {
        TrainingData train = SyntheticData.Blobs();
        TrainingData validation = SyntheticData.Blobs(count: 45, seed: 21);
        var net = new TinyClassifier(seed: 2, capacity: 16);
        var trainer = new Trainer(net, new Adam(0.02f), new TrainerOptions { Epochs = 15, BatchSize = 16, TopK = 2 });
        TrainingResult result = trainer.Fit(train, validation, TestContext.Current.CancellationToken);
        Evaluation v = result.Validation!;
        int[,] confusion = v.ConfusionMatrix!;
        int total = 0, diagonal = 0;
        for (int r = 0; r < 3; r++)
        {
            int row = 0;
            for (int c = 0; c < 3; c++)
            {
                total += confusion[r, c];
                row += confusion[r, c];
            }
            diagonal += confusion[r, r];
            Assert.Equal(validation.Labels!.Count(l => l == r), row);
        }
        Assert.Equal(45, total);
        Assert.Equal((double)diagonal / 45, v.Accuracy);
        Assert.InRange(v.TopKAccuracy, v.Accuracy, 1.0);
        Assert.Equal(2, v.K);
        Assert.True(v.Accuracy > 0.9, $"accuracy {v.Accuracy}");
        Assert.Equal(result.History.Epochs[^1].ValidationAccuracy, v.Accuracy);
        Assert.Contains("actual", v.FormatConfusionMatrix(), StringComparison.Ordinal);

        // A k of every class (or more) would always be right: it is not computed.
        foreach (int k in new[] { 3, 5 })
        {
            Evaluation all = new Trainer(net, new Sgd(), new TrainerOptions { TopK = k, BatchSize = 16 }).Evaluate(validation);
            Assert.Equal(0, all.K);
            Assert.True(double.IsNaN(all.TopKAccuracy));
        }
    }

    [Fact]
    public void Batches_cover_every_sample_once_per_epoch_including_the_partial_last_batch()
    {
        TrainingData train = SyntheticData.Blobs(count: 37);
        var trainer = new Trainer(new TinyClassifier(capacity: 16), new Sgd(), new TrainerOptions { Epochs = 2, BatchSize = 16 });
        var sizes = new List<int>();
        trainer.BatchEnded += r => sizes.Add(r.BatchSamples);
        trainer.Fit(train, null, TestContext.Current.CancellationToken);
        Assert.Equal([16, 16, 5, 16, 16, 5], sizes);
    }

    [Fact]
    public void Batch_size_above_capacity_is_rejected_with_both_numbers()
    {
        var error = Assert.Throws<ArgumentException>(() => new Trainer(new TinyClassifier(capacity: 8), new Sgd(), new TrainerOptions { BatchSize = 16 }));
        Assert.Contains("16", error.Message, StringComparison.Ordinal);
        Assert.Contains("capacity 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void History_is_written_as_CSV_and_an_SVG_learning_curve()
    {
        string csv = SyntheticData.TempPath("history.csv");
        string svg = Path.Combine(Path.GetDirectoryName(csv)!, "curve.svg");
        var trainer = new Trainer(new TinyClassifier(capacity: 16), new Adam(0.02f),
            new TrainerOptions { Epochs = 5, BatchSize = 16, HistoryCsvPath = csv, LearningCurvePath = svg });
        TrainingResult result = trainer.Fit(SyntheticData.Blobs(), SyntheticData.Blobs(count: 30, seed: 3), TestContext.Current.CancellationToken);

        string[] lines = File.ReadAllLines(csv);
        // Three classes and the default k of 5: no top-k column, which would always say 100 %.
        Assert.Equal("epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds", lines[0]);
        Assert.Equal(6, lines.Length);
        for (int e = 0; e < 5; e++)
        {
            string[] cells = lines[e + 1].Split(',');
            Assert.Equal(e + 1, int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(result.History.Epochs[e].TrainLoss, double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(result.History.Epochs[e].ValidationAccuracy, double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture));
        }

        var document = System.Xml.Linq.XDocument.Load(svg);
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", document.Root!.Name);
        Assert.Equal(5, document.Descendants(ns + "polyline").Count()); // batch, train, validation loss; train, validation accuracy
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value == "validation");
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value == $"best {result.BestEpoch}");
    }

    /// <summary>A log-scale loss axis has its gridlines at powers of ten and every point inside the plot.</summary>
    [Fact]
    public void The_learning_curve_can_draw_the_loss_by_decades()
    {
        string svg = SyntheticData.TempPath("log-curve.svg");
        var trainer = new Trainer(new TinyClassifier(capacity: 16), new Adam(0.05f),
            new TrainerOptions { Epochs = 12, BatchSize = 16, LearningCurvePath = svg, LearningCurveLogScale = true });
        trainer.Fit(SyntheticData.Blobs(), SyntheticData.Blobs(count: 30, seed: 3), TestContext.Current.CancellationToken);

        var document = System.Xml.Linq.XDocument.Load(svg);
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        // The loss panel's y labels: right-aligned texts left of the first panel.
        double[] ticks = [.. document.Descendants(ns + "text")
            .Where(t => (string?)t.Attribute("text-anchor") == "end" && double.Parse((string)t.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture) < 60)
            .Select(t => double.Parse(t.Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.True(ticks.Length >= 2, $"{ticks.Length} ticks");
        Assert.All(ticks, tick => Assert.Equal(Math.Round(Math.Log10(tick)), Math.Log10(tick), 9));
        foreach (var line in document.Descendants(ns + "polyline").Take(3))
        {
            Assert.All(((string)line.Attribute("points")!).Split(' '), point =>
                Assert.InRange(double.Parse(point.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 36, 274));
        }
    }

    [Fact]
    public void Redirected_progress_prints_one_plain_line_per_epoch()
    {
        using var output = new StringWriter();
        var trainer = new Trainer(new TinyClassifier(capacity: 16), new Sgd(0.1f),
            new TrainerOptions { Epochs = 3, BatchSize = 16, Progress = new ProgressDisplay(output, interactive: false) });
        trainer.Fit(SyntheticData.Blobs(), SyntheticData.Blobs(count: 30, seed: 3), TestContext.Current.CancellationToken);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.DoesNotContain('\r', l));
        Assert.StartsWith("epoch 1/3  loss ", lines[0], StringComparison.Ordinal);
        Assert.Contains("  lr 1.000e-01  ", lines[0], StringComparison.Ordinal);
        Assert.Contains("val acc", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_progress_redraws_a_bar_with_rate_and_eta()
    {
        using var output = new StringWriter();
        var trainer = new Trainer(new TinyClassifier(capacity: 16), new Sgd(0.1f),
            new TrainerOptions { Epochs = 1, BatchSize = 16, Progress = new ProgressDisplay(output, interactive: true) });
        trainer.Fit(SyntheticData.Blobs(), null, TestContext.Current.CancellationToken);
        string text = output.ToString();
        Assert.StartsWith("\repoch 1/1 ", text, StringComparison.Ordinal); // the first batch always draws
        Assert.Contains("samples/s", text, StringComparison.Ordinal);
        Assert.Contains("ETA", text, StringComparison.Ordinal);
        Assert.Contains('█', text);
        Assert.EndsWith("\n", text.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
