namespace MeshConf.Core.Chat;

/// <summary>One line of the chat as the call screen shows it: who said it (its display name), what, and when.</summary>
/// <param name="From">The sender's display name.</param>
/// <param name="Text">The line.</param>
/// <param name="IsOwn">True for what this node sent itself.</param>
/// <param name="At">When it was said (sent, by the sender's clock) or received.</param>
internal sealed record ChatEntry(string From, string Text, bool IsOwn, DateTimeOffset At);
