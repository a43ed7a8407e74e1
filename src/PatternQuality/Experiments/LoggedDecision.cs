namespace PatternQuality.Experiments;

/// <summary>One logged decision of a running policy: in a context, it took an action with a known probability and saw a reward.</summary>
/// <param name="Context">The context bucket the policies condition on (for example the slot or position shown), 0 or more.</param>
/// <param name="Action">The action taken (for example the item shown), 0 to actions - 1.</param>
/// <param name="Propensity">The logging policy's probability of that action in that context, in (0, 1].</param>
/// <param name="Reward">The observed reward (for example 1 for a click, 0 otherwise).</param>
public readonly record struct LoggedDecision(int Context, int Action, double Propensity, double Reward);
