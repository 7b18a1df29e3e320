using System;
using NetGen.Optimizers;
using NetGen.Tests.Training;
using Xunit;

namespace NetGen.Tests.Optimizers;

/// <summary>Claims the documentation makes about the update forms, and the allocation-free step.</summary>
public sealed class OptimizerPropertyTests
{
    [Fact]
    public void Reformulated_Nesterov_tracks_the_look_ahead_point_of_the_defining_form()
    {
        // Defining form on f(θ) = ½·a·θ²: v ← ρv + ∇f(θ − ηρv), θ ← θ − ηv. The optimizer works on θ′ = θ − ηρv.
        const double a = 3.0, eta = 0.05, rho = 0.9;
        double theta = 2.0, v = 0.0;
        float[] shifted = [2f];
        float[] gradient = new float[1];
        var nesterov = new Nesterov((float)eta, (float)rho);
        for (int t = 0; t < 25; t++)
        {
            v = rho * v + a * (theta - eta * rho * v);
            theta -= eta * v;
            gradient[0] = (float)(a * shifted[0]); // the network's gradient at its own parameters
            nesterov.Step(shifted, gradient);
            Assert.Equal(theta - eta * rho * v, shifted[0], 5);
        }
    }

    [Fact]
    public void The_average_momentum_form_is_the_heavy_ball_with_eta_times_one_minus_mu()
    {
        var random = new SeededRandom(3);
        float[] a = new float[40], b = new float[40], g = new float[40];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = b[i] = (float)random.NextGaussian();
        }
        var average = new Momentum(0.5f, 0.8f, MomentumForm.Average);
        var heavyBall = new Momentum(0.5f * (1 - 0.8f), 0.8f);
        for (int step = 0; step < 10; step++)
        {
            for (int i = 0; i < g.Length; i++)
            {
                g[i] = (float)random.NextGaussian();
            }
            average.Step(a, g);
            heavyBall.Step(b, g);
        }
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(b[i], a[i], 5);
        }
    }

    public static TheoryData<string> All => new(["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adadelta", "Adam", "AdamW", "Rprop", "Quickprop", "DeltaDelta", "DeltaBarDelta"]);

    [Theory]
    [MemberData(nameof(All))]
    public void A_step_after_the_first_allocates_nothing(string name)
    {
        Optimizer optimizer = name switch
        {
            "SGD" => new Sgd(),
            "Momentum" => new Momentum(),
            "Nesterov" => new Nesterov(),
            "AdaGrad" => new AdaGrad(),
            "RMSprop" => new RmsProp(),
            "Adadelta" => new Adadelta(),
            "Adam" => new Adam(),
            "AdamW" => new AdamW(),
            "Rprop" => new Rprop(),
            "Quickprop" => new Quickprop(),
            "DeltaDelta" => new DeltaDelta(),
            _ => new DeltaBarDelta(),
        };
        optimizer.L1 = 1e-4f;
        optimizer.L2 = 1e-4f;
        optimizer.MaxNorm = 2f;
        optimizer.ClipNorm = 1f;
        optimizer.ClipValue = 0.5f;
        var net = new TinyClassifier(seed: 1, capacity: 4);
        net.Gradients.Fill(0.1f);
        optimizer.Step(net);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            net.Gradients.Fill(i % 2 == 0 ? 0.1f : -0.05f);
            optimizer.Step(net);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(21, optimizer.StepCount);
    }

    [Fact]
    public void Reset_forgets_state_and_a_resized_buffer_is_refused_until_then()
    {
        var adam = new Adam(0.1f);
        float[] p = new float[10], g = new float[10];
        g.AsSpan().Fill(1f);
        adam.Step(p, g);
        Assert.Throws<InvalidOperationException>(() => adam.Step(new float[12], new float[12]));
        adam.Reset();
        Assert.Equal(0, adam.StepCount);
        float[] fresh = new float[12], grad = new float[12];
        grad.AsSpan().Fill(1f);
        adam.Step(fresh, grad);
        Assert.Equal(-0.1f, fresh[0], 5); // a first Adam step moves by η·sign(g)
    }
}
