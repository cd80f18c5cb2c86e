namespace LsTranslate.Vision;

/// <summary>
/// Where a vision run stands after a finished epoch; saved in checkpoint.last with the optimizer state so a
/// killed run resumes at the next epoch exactly as if it had never stopped.
/// </summary>
/// <param name="Epochs">epochs finished.</param>
/// <param name="Step">optimizer steps taken.</param>
/// <param name="BestAccuracy">best validation accuracy so far (the one checkpoint.best holds).</param>
/// <param name="ShuffleState">the state of the generator that shuffles and augments the training batches.</param>
public sealed record VisionProgress(int Epochs, int Step, double BestAccuracy, byte[] ShuffleState);
