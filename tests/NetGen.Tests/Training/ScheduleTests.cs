using System;
using System.Linq;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

public sealed class ScheduleTests
{
    [Fact]
    public void Step_divides_by_ten_every_N_epochs()
    {
        LearningRateSchedule s = LearningRateSchedule.Step(2);
        Assert.Equal(1f, s.Rate(1f, 0, 10));
        Assert.Equal(1f, s.Rate(1f, 19, 10));
        Assert.Equal(0.1f, s.Rate(1f, 20, 10), 6);
        Assert.Equal(0.01f, s.Rate(1f, 45, 10), 6);
    }

    [Fact]
    public void Exponential_multiplies_by_gamma_per_epoch()
    {
        LearningRateSchedule s = LearningRateSchedule.Exponential(0.5f);
        Assert.Equal(0.8f, s.Rate(0.8f, 9, 10));
        Assert.Equal(0.1f, s.Rate(0.8f, 30, 10), 6);
    }

    [Fact]
    public void Cosine_annealing_goes_from_the_base_to_the_minimum_in_T_epochs()
    {
        LearningRateSchedule s = LearningRateSchedule.CosineAnnealing(4, 0.1f);
        Assert.Equal(1f, s.Rate(1f, 0, 10), 6);
        Assert.Equal(0.55f, s.Rate(1f, 20, 10), 6); // halfway: 0.1 + 0.45·(1 + cos π/2)
        Assert.Equal(0.1f + 0.45f * (1 + MathF.Cos(MathF.PI / 4)), s.Rate(1f, 10, 10), 5);
        Assert.Equal(0.1f, s.Rate(1f, 40, 10), 6);
        Assert.Equal(0.1f, s.Rate(1f, 55, 10), 6);
    }

    [Fact]
    public void Linear_warmup_ramps_then_hands_over()
    {
        LearningRateSchedule s = LearningRateSchedule.LinearWarmup(4, LearningRateSchedule.Step(1, 0.5f));
        Assert.Equal([0.25f, 0.5f, 0.75f, 1f, 1f], new[] { 0L, 1, 2, 3, 4 }.Select(step => s.Rate(1f, step, 10)));
        Assert.Equal(0.5f, s.Rate(1f, 10, 10));
    }

    [Fact]
    public void Reduce_on_plateau_waits_for_patience_then_scales()
    {
        var s = new ReduceOnPlateau(factor: 0.5f, patience: 2);
        double[] losses = [1.0, 0.9, 0.95, 0.9, 0.91, 0.8, 0.8, 0.8, 0.8];
        float[] rates = new float[losses.Length];
        for (int e = 0; e < losses.Length; e++)
        {
            s.EpochEnded(e + 1, losses[e]);
            rates[e] = s.Rate(1f, 0, 1);
        }
        // 0.9 (best) then 0.95, 0.9 (not below best·(1 − 1e−4)), 0.91: the third bad epoch reduces; 0.8 improves; three more bad reduce again.
        Assert.Equal([1f, 1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f], rates);
        Assert.Equal(2, s.Reductions);
    }

    [Fact]
    public void The_trainer_sets_the_scheduled_rate_before_every_step()
    {
        var optimizer = new Sgd(0.2f);
        var trainer = new Trainer(new TinyClassifier(capacity: 16), optimizer,
            new TrainerOptions { Epochs = 3, BatchSize = 16, Schedule = LearningRateSchedule.Step(1, 0.5f) });
        var seen = new System.Collections.Generic.List<float>();
        trainer.BatchEnded += r => seen.Add(r.LearningRate);
        TrainingResult result = trainer.Fit(SyntheticData.Blobs(count: 32), null, TestContext.Current.CancellationToken);
        Assert.Equal([0.2f, 0.2f, 0.1f, 0.1f, 0.05f, 0.05f], seen);
        Assert.Equal(0.05f, result.History.Epochs[2].LearningRate);
    }
}
