// TorchSharp's random generator (manual_seed, dropout, initialisation) is process-wide: tests that train
// must not interleave, or seeded runs stop being reproducible and comparisons between runs fail at random.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
