using System.Collections.Concurrent;

namespace StudioToken.LocalEndpoint.Tests;

/// <summary>Catches endpoint tasks that faulted without anyone observing it, which would otherwise go unnoticed.</summary>
[SetUpFixture]
public sealed class UnobservedTaskExceptionGuard
{
    private static readonly ConcurrentQueue<Exception> Unobserved = new();

    /// <summary>Called from each fixture's TearDown, because a failing OneTimeTearDown does not fail the run.</summary>
    public static void AssertNoneSoFar()
    {
        // Unobserved exceptions are only reported when their tasks are finalised.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(Unobserved, Is.Empty);
    }

    [OneTimeSetUp]
    public void Subscribe() => TaskScheduler.UnobservedTaskException += Record;

    [OneTimeTearDown]
    public void Unsubscribe() => TaskScheduler.UnobservedTaskException -= Record;

    private static void Record(object? sender, UnobservedTaskExceptionEventArgs e) => Unobserved.Enqueue(e.Exception);
}
