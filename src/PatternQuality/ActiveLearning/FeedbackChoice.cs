namespace PatternQuality.ActiveLearning;

/// <summary>One candidate an <see cref="ExplorationPolicy"/> chose to show, with the probability it had of being chosen.</summary>
/// <param name="Index">The candidate's position in the list that was offered.</param>
/// <param name="Slot">The display slot it fills, 0 first.</param>
/// <param name="Score">Its calibrated score (probability of approval).</param>
/// <param name="Propensity">
/// The probability that the policy put this candidate in this slot, given the candidates chosen for earlier slots.
/// Log it with the feedback: inverse propensity weighting then evaluates other policies on this feedback without bias.
/// </param>
/// <param name="Explored">True when the slot was filled by exploration rather than by the best remaining score.</param>
public readonly record struct FeedbackChoice(int Index, int Slot, float Score, double Propensity, bool Explored);
